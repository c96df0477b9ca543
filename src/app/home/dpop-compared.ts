import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

/**
 * "What DPoP does and does not do": plain bearer tokens, DPoP, a backend-for-frontend and Device
 * Bound Session Credentials side by side — against a copied credential, against script running in
 * the page, and when each is the right choice. docs/architecture.md says the same.
 */
@Component({
  selector: 'app-dpop-compared',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    <section aria-labelledby="compared-heading">
      <h2 id="compared-heading">What DPoP does and does not do</h2>
      <ul>
        <li>It makes a copied token worthless: a token works only with a proof from its key.</li>
        <li>
          It does not stop script running in the page, which can use the key without reading it, or
          start a sign-in with a key of its own — the <a routerLink="/attacks">attack lab</a> shows
          both.
        </li>
      </ul>
      <details>
        <summary>Compared with bearer tokens, a backend-for-frontend and DBSC</summary>
        <table class="compared stacked">
          <caption id="compared-caption">
            Four ways to hold a session in a browser app
          </caption>
          <thead>
            <tr>
              <th scope="col">Approach</th>
              <th scope="col">Someone copies the token (or cookie)</th>
              <th scope="col">Script runs in the page (XSS)</th>
              <th scope="col">The right choice when</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Bearer tokens in the browser (RFC 6750)</th>
              <td data-label="If someone copies the token">
                It works for whoever has it, from anywhere, until it expires — a refresh token until
                it is revoked.
              </td>
              <td data-label="If script runs in the page">
                Reads the tokens and sends them elsewhere.
              </td>
              <td data-label="The right choice when">
                The data is low-value, tokens live minutes, and neither DPoP nor a backend is
                available.
              </td>
            </tr>
            <tr>
              <th scope="row">DPoP (RFC 9449), as in this app</th>
              <td data-label="If someone copies the token">
                Useless: every request needs a fresh proof signed by a private key that cannot leave
                the browser. Refresh tokens are bound to it too.
              </td>
              <td data-label="If script runs in the page">
                Cannot read the key, but can use it while the page is open, and can sign in again
                with a key of its own.
              </td>
              <td data-label="The right choice when">
                The app calls APIs itself (a single-page, mobile or command-line app, a service) and
                the authorization server and every API enforce DPoP —
                <a routerLink="/check">check yours</a>.
              </td>
            </tr>
            <tr>
              <th scope="row">Backend-for-frontend (token handler)</th>
              <td data-label="If someone copies the token">
                No token reaches the browser: a server on the app's own site keeps them and gives
                the page an <code>HttpOnly</code> session cookie.
              </td>
              <td data-label="If script runs in the page">
                Cannot get a token, but can send requests through the backend while the page is
                open.
              </td>
              <td data-label="The right choice when">
                Sensitive data and you can run a server next to the app: the recommended default for
                browser apps (OAuth for browser-based apps). It can use DPoP towards the APIs.
              </td>
            </tr>
            <tr>
              <th scope="row">Device Bound Session Credentials (DBSC)</th>
              <td data-label="If someone copies the token">
                A stolen session cookie works for minutes only: the browser proves, with a key kept
                by the device (a TPM where there is one), that it may have the next one.
              </td>
              <td data-label="If script runs in the page">
                No help: the script uses the session from inside the browser.
              </td>
              <td data-label="The right choice when">
                Cookie sessions (a backend-for-frontend's too) threatened by malware that steals
                cookies. A W3C draft, in Chrome first: an addition, not a replacement.
              </td>
            </tr>
          </tbody>
        </table>
      </details>
    </section>
  `,
  styles: `
    summary {
      cursor: pointer;
      font-weight: 600;
    }
    .compared th,
    .compared td {
      vertical-align: top;
      overflow-wrap: normal;
    }
  `,
})
export class DpopCompared {}
