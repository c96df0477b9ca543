/**
 * Bundles bench/browser/bench-page.ts for the browser with esbuild (the one the Angular CLI
 * itself uses): the real src/app/dpop code, Angular in JIT mode, jose, dpop and okta-auth-js.
 */
import { join } from 'node:path';

import { build } from 'esbuild';

import { BENCH, OUT, ROOT } from './paths.ts';

export async function bundleBenchPage(): Promise<string> {
  const outfile = join(OUT, 'page', 'bench-page.js');
  await build({
    entryPoints: [join(BENCH, 'browser', 'bench-page.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
    alias: {
      'okta-dpop': join(ROOT, 'node_modules/@okta/okta-auth-js/esm/browser/oidc/dpop.js'),
    },
    tsconfigRaw: {
      compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false },
    },
  });
  return outfile;
}
