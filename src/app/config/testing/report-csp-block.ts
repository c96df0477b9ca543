/** Fires what Chromium fires when the page's policy refuses a call to `url` (for unit tests). */
export function reportCspBlock(url: string, directive = 'connect-src'): void {
  document.dispatchEvent(
    new SecurityPolicyViolationEvent('securitypolicyviolation', {
      blockedURI: url,
      documentURI: location.href,
      effectiveDirective: directive,
      violatedDirective: directive,
      originalPolicy: "connect-src 'self'",
      disposition: 'enforce',
      statusCode: 200,
    }),
  );
}
