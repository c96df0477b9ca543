/** Where the bench reads from and writes to. Build outputs go under dist/ (git- and lint-ignored). */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BENCH = join(ROOT, 'bench');
export const OUT = join(ROOT, 'dist', 'bench');
export const CHROME = process.env['CHROME_BIN'] || '/usr/bin/chromium';
export const CHROME_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
