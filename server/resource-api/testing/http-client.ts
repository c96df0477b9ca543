/**
 * Test fixture: raw HTTP requests with node:http, which (unlike fetch) can send the same header
 * twice, an arbitrary Host header, or a header larger than the server allows.
 */
import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';

/** Header name → value; an array sends the header once per value (e.g. two DPoP headers). */
export type TestHeaders = Record<string, string | string[]>;

export interface TestRequest {
  method?: string;
  path?: string;
  headers?: TestHeaders;
  /** Send from this local address, e.g. 127.0.0.2 (every 127/8 address is loopback on Linux). */
  localAddress?: string;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed JSON body, or undefined. */
  body: Record<string, unknown> | unknown[] | undefined;
  /** The parsed WWW-Authenticate challenge, or undefined. */
  challenge: Challenge | undefined;
}

/** Parses one `Scheme a="b", c="d"` challenge (values without escaped quotes, as the API sends). */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (header === undefined) return undefined;
  const [scheme = '', ...rest] = header.split(' ');
  const params: Record<string, string> = {};
  for (const match of rest.join(' ').matchAll(/([a-z_]+)="([^"]*)"/g))
    params[match[1]!] = match[2]!;
  return { scheme, params };
}

export function send(
  baseUrl: string,
  { method = 'GET', path = '/api/users', headers = {}, localAddress }: TestRequest = {},
): Promise<TestResponse> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        headers: headers as OutgoingHttpHeaders,
        agent: false,
        ...(localAddress ? { localAddress } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: TestResponse['body'];
          try {
            body = text ? (JSON.parse(text) as TestResponse['body']) : undefined;
          } catch {
            body = undefined;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            body,
            challenge: parseChallenge(res.headers['www-authenticate']),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
