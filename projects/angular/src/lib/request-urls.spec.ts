import { absoluteUrl, parseUrl } from './request-urls';

describe('request URLs (what HttpClient calls)', () => {
  it('resolves a relative URL against document.baseURI, as the browser does', () => {
    const origin = new URL(document.baseURI).origin;
    expect(absoluteUrl('/api/users?x=1')).toBe(`${origin}/api/users?x=1`);
    expect(parseUrl('http://localhost:3001/api/users')?.origin).toBe('http://localhost:3001');
  });

  it('gives null (and leaves the URL as it is) for what is not a URL', () => {
    expect(parseUrl('http://[::1')).toBeNull();
    expect(absoluteUrl('http://[::1')).toBe('http://[::1');
  });
});
