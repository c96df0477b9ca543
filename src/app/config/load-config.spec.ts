import { ConfigError } from './app-config';
import { loadConfig } from './load-config';
import { renderStartupError } from './startup-error';

describe('loadConfig', () => {
  const url = 'http://localhost:4200/config.json';
  const origin = 'http://localhost:4200';
  const valid = {
    issuer: 'http://localhost:3000',
    clientId: 'dpop-lab-spa',
    scopes: ['openid'],
    redirectPath: '/login/callback',
    postLogoutRedirectPath: '/',
    api: { baseUrl: 'http://localhost:3001/api/' },
  };

  function answering(response: Response | Error): typeof fetch {
    return (async () => {
      if (response instanceof Error) throw response;
      return response;
    }) as typeof fetch;
  }

  async function failure(fetchFn: typeof fetch): Promise<string> {
    try {
      await loadConfig(url, origin, fetchFn);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).message;
    }
    throw new Error('loaded');
  }

  it('loads and validates config.json', async () => {
    const config = await loadConfig(url, origin, answering(Response.json(valid)));
    expect(config.clientId).toBe('dpop-lab-spa');
  });

  it('says config.json is missing when the server answers 404', async () => {
    expect(await failure(answering(new Response('', { status: 404 })))).toBe(
      `config.json is missing: ${url} answered 404. npm start and npm run serve:prod serve one ` +
        'made from their settings; a server of your own must serve it beside index.html.',
    );
  });

  it('says the request failed when the server is unreachable', async () => {
    expect(await failure(answering(new TypeError('Failed to fetch')))).toContain(
      'could not be loaded from http://localhost:4200/config.json: the request failed (Failed to fetch)',
    );
  });

  it('says when config.json is not JSON', async () => {
    expect(await failure(answering(new Response('<html>')))).toContain('not valid JSON');
  });

  it('passes on the validator message naming the bad field', async () => {
    expect(await failure(answering(Response.json({ ...valid, clientId: 42 })))).toContain(
      '"clientId" must be a non-empty string.',
    );
  });
});

describe('renderStartupError', () => {
  it('shows the message on the page as text, in an alert', () => {
    const host = document.createElement('div');
    renderStartupError(host, new ConfigError('config.json is missing: <b>404</b>'));
    const alert = host.querySelector('[role="alert"]')!;
    expect(alert.querySelector('h1')?.textContent).toBe('DPoP Lab could not start');
    expect(alert.textContent).toContain('config.json is missing: <b>404</b>');
    expect(alert.querySelector('b')).toBeNull();
  });

  it('lists every problem of an invalid config.json', () => {
    const host = document.createElement('div');
    renderStartupError(host, new ConfigError('x', ['"issuer" is missing.', '"api" is missing.']));
    expect(Array.from(host.querySelectorAll('li'), (li) => li.textContent)).toEqual([
      '"issuer" is missing.',
      '"api" is missing.',
    ]);
  });
});
