/**
 * Benchmark 3: bundle size. Production builds with the Angular CLI:
 *
 * - the app itself (`ng build`, into dist/bench/app; the sign-in benchmark serves this build);
 * - one Angular shell (bench/bundle/shell: zoneless, router, HttpClient with fetch, a header with
 *   a Sign in button, lazy pages) built four ways from the workspace in bench/bundle/:
 *   `plain` (the shell alone), `dpop-lab` (+ the real src/app/auth and @dpop-lab/angular, wired
 *   as the app wires them), `okta` (+ okta-auth-js with `dpop: true`, its main entry point) and
 *   `okta-core` (+ okta-auth-js's smaller `core` entry point).
 *
 * initial_transfer_kb is the app's initial estimated transfer size (what `ng build` prints);
 * auth_layer_kb is (shell + DPoP Lab) − (shell alone), next to the same for okta-auth-js.
 */
import { join } from 'node:path';

import { initialSize, type InitialSize } from './lib/initial-size.ts';
import { cachedNgBuild } from './lib/ng-build.ts';
import { BENCH, OUT, ROOT } from './lib/paths.ts';
import { round, type Figures } from './lib/results.ts';
import { APP_BUILD, buildApp } from './sign-in-bench.ts';

const SHELLS = ['plain', 'dpop-lab', 'okta', 'okta-core'] as const;
type ShellName = (typeof SHELLS)[number];

export async function runBundleBenchmark(
  log: (line: string) => void = console.log,
): Promise<Figures> {
  const built = (fresh: boolean) => (fresh ? 'built' : 'unchanged, last build reused');
  const appBuilt = await buildApp();
  const app = await initialSize(APP_BUILD);
  log(
    `  app: ${app.transferKb.toFixed(2)} kB initial (${app.rawKb.toFixed(1)} kB raw; ${built(appBuilt)})`,
  );

  const shells = {} as Record<ShellName, InitialSize>;
  for (const shell of SHELLS) {
    const outDir = join(OUT, 'bundle', shell);
    const fresh = await cachedNgBuild({
      args: [shell],
      cwd: join(BENCH, 'bundle'),
      outDir,
      sources: [
        join(BENCH, 'bundle'),
        ...(shell === 'dpop-lab' ? [join(ROOT, 'src'), join(ROOT, 'projects')] : []),
      ],
    });
    shells[shell] = await initialSize(outDir);
    log(`  shell ${shell}: ${shells[shell].transferKb.toFixed(2)} kB initial (${built(fresh)})`);
  }
  const base = shells.plain.transferKb;
  const layer = (shell: ShellName) => round(shells[shell].transferKb - base, 2);

  const top = (size: InitialSize, count: number) =>
    Object.entries(size.bySourceKb)
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([source, kb]) => `${source} ${kb.toFixed(1)}`)
      .join(', ');
  const added = (shell: ShellName) =>
    Object.entries(shells[shell].bySourceKb)
      .map(([source, kb]) => [source, kb - (shells.plain.bySourceKb[source] ?? 0)] as const)
      .filter(([, kb]) => kb > 0.05)
      .sort((a, b) => b[1] - a[1])
      .map(([source, kb]) => `${source} ${kb.toFixed(1)}`)
      .join(', ');

  return {
    initial_transfer_kb: {
      value: round(app.transferKb, 2),
      unit: 'kB',
      goal: { op: '≤', limit: 80 },
      compare: {
        'Angular shell alone': round(base, 2),
        'shell + DPoP Lab auth + DPoP': round(shells['dpop-lab'].transferKb, 2),
        'shell + okta-auth-js (dpop: true)': round(shells.okta.transferKb, 2),
        'shell + okta-auth-js/core (dpop: true)': round(shells['okta-core'].transferKb, 2),
      },
      notes: [
        `initial_transfer_kb: brotli estimate of the initial JS + global CSS, as ng build prints it ` +
          `(${app.rawKb.toFixed(1)} kB raw, ${app.files.length} files; the same code as one file ` +
          `would be ${app.asOneFileKb.toFixed(1)} kB). Where it comes from (kB transfer, each ` +
          `file's share by bytes): ${top(app, 14)}.`,
      ],
    },
    auth_layer_kb: {
      value: layer('dpop-lab'),
      unit: 'kB',
      goal: { op: '≤', limit: 12 },
      compare: {
        'okta-auth-js (dpop: true)': layer('okta'),
        'okta-auth-js/core (dpop: true)': layer('okta-core'),
      },
      notes: [
        `auth_layer_kb: (shell + layer) − (shell alone), same Angular shell, production builds. ` +
          `DPoP Lab's layer adds: ${added('dpop-lab')}. okta-auth-js adds: ${added('okta')}.`,
      ],
    },
  };
}
