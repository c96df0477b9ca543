/**
 * Bundles bench/browser/bench-page.ts for the browser with esbuild (the one the Angular CLI
 * itself uses): the real @dpop-lab packages (their sources, found through tsconfig.json's
 * `paths` as the app finds them), Angular in JIT mode, jose, dpop and okta-auth-js.
 */
import { join } from 'node:path';

import { build, type Plugin } from 'esbuild';
import ts from 'typescript';

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
    plugins: [workspacePackages()],
    tsconfigRaw: {
      compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false },
    },
  });
  return outfile;
}

/** Resolves `@dpop-lab/...` to the sources tsconfig.json's `paths` name (tsconfigRaw ignores it). */
function workspacePackages(): Plugin {
  const { config } = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile) as {
    config: { compilerOptions: { paths: Record<string, string[]> } };
  };
  const paths = config.compilerOptions.paths;
  return {
    name: 'workspace-packages',
    setup(bundle) {
      bundle.onResolve({ filter: /^@dpop-lab\// }, ({ path }) => {
        const source = paths[path]?.[0];
        return source ? { path: join(ROOT, source) } : undefined;
      });
    },
  };
}
