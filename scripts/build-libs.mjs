// `npm run build:libs`: builds the packages teams install (ng-packagr, partial Ivy) and packs
// each into dist/packages/<name>-<version>.tgz, ready for `npm install ./dist/packages/…tgz`.
// The protocol package goes first: the Angular package is built against it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const OUT = 'dist/packages';
const PACKAGES = [
  { project: 'dpop-lab-protocol', dist: join(OUT, 'protocol') },
  { project: 'dpop-lab-angular', dist: join(OUT, 'angular') },
];

const run = (command, args) => execFileSync(command, args, { stdio: 'inherit' });

mkdirSync(OUT, { recursive: true });
for (const file of readdirSync(OUT).filter((name) => name.endsWith('.tgz'))) {
  rmSync(join(OUT, file));
}
for (const { project, dist } of PACKAGES) {
  run('npx', ['ng', 'build', project]);
  run('npm', ['pack', dist, '--pack-destination', OUT, '--silent']);
}
console.log(`\nPacked: ${readdirSync(OUT).filter((name) => name.endsWith('.tgz')).join(', ')}`);
