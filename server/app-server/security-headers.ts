import type { WorldConfig } from '../config.ts';

/** Headers every response of the served app carries. */
export function securityHeaders(_config: WorldConfig): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}
