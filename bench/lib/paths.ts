/** Where the bench reads from and writes to. Build outputs go under dist/ (git- and lint-ignored). */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BENCH = join(ROOT, 'bench');
export const OUT = join(ROOT, 'dist', 'bench');
export const CHROME = process.env['CHROME_BIN'] || '/usr/bin/chromium';
/** As root (CI) Chromium needs --no-sandbox; the rest keeps it off this machine's closed network. */
export { default as CHROME_ARGS } from '../../chromium-args.json' with { type: 'json' };
