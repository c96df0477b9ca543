/**
 * `htu` for a request URL (RFC 9449 §4.2): the target URI "without query and fragment parts" —
 * scheme, host, port and path. Only http(s) requests carry proofs.
 */
export function htuOf(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      `"${String(url)}" is not an absolute URL: give the full request URL, e.g. http://localhost:3001/api/apps.`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`"${String(url)}" is not an http(s) URL.`);
  }
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}
