/**
 * The packages work outside this workspace (issue 17, item 2): `npm run build:libs` packs them,
 * `ng new` (the workspace's @angular/cli version) makes a fresh app in a temp folder, npm installs
 * the two tarballs with the workspace's exact Angular, rxjs, jose and idb versions from the
 * registry, the app uses them in a few lines, and `ng build` builds it. That proves the peer
 * dependencies, the partial-Ivy build, the `exports` map (the /devtools entry) and the lazy
 * runtime chunk as a team gets them — none of which the workspace's tsconfig `paths` exercise.
 *
 * Run by `npm test` (its `packages` suite), or alone: `npm run test:packages`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

import { FRESH_APP_FILES, LAZY_RUNTIME_MARKER } from './fresh-app-files.ts';

const WORKSPACE = resolve(import.meta.dirname, '../..');
const PACKAGES = ['protocol', 'angular'] as const;
/** The workspace's pins for these names go into the fresh app (the ones ng new lists, and these). */
const ALSO_PINNED = ['jose', 'idb'];

interface PackageJson {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** Runs a command; a failure says which, where, and ends with the last of its output. */
function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      command,
      args,
      {
        cwd,
        env: { ...process.env, NG_CLI_ANALYTICS: 'false', FORCE_COLOR: '0' },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (!error) return done(output);
        fail(new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${output.slice(-4000)}`));
      },
    );
  });
}

/** The fresh app's package.json: the workspace's exact versions, and the two tarballs. */
function pinned(app: PackageJson, workspace: PackageJson, tarballs: Record<string, string>) {
  const versions = { ...workspace.dependencies, ...workspace.devDependencies };
  const pin = (deps: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(deps).map(([name, range]) => [name, versions[name] ?? range]),
    );
  return {
    ...app,
    dependencies: {
      ...pin(app.dependencies),
      ...Object.fromEntries(ALSO_PINNED.map((name) => [name, versions[name]])),
      ...tarballs,
    },
    devDependencies: pin(app.devDependencies),
  };
}

/** The script files index.html loads at start-up (entry and preloaded chunks). */
function initialScripts(indexHtml: string): Set<string> {
  return new Set([...indexHtml.matchAll(/(?:src|href)="([^"]+\.js)"/g)].map((match) => match[1]));
}

let temp: string;
let buildOutput: string;
let browserDir: string;

before(async () => {
  await run('npm', ['run', '--silent', 'build:libs'], WORKSPACE);
  const workspace = await readJson<PackageJson>(join(WORKSPACE, 'package.json'));
  const tarballs: Record<string, string> = {};
  for (const name of PACKAGES) {
    const manifest = await readJson<PackageJson>(join(WORKSPACE, 'projects', name, 'package.json'));
    const file = `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`;
    tarballs[manifest.name] = `file:${join(WORKSPACE, 'dist/packages', file)}`;
  }

  temp = await mkdtemp(join(tmpdir(), 'dpop-lab-fresh-app-'));
  const cli = `@angular/cli@${workspace.devDependencies['@angular/cli']}`;
  await run(
    'npx',
    [
      '--yes',
      cli,
      'new',
      'fresh-app',
      '--skip-install',
      '--skip-git',
      '--zoneless',
      '--ssr=false',
      '--style=css',
      // No test runner and no AI files: fewer packages to install, nothing the build needs.
      '--minimal',
      '--ai-config=none',
      '--package-manager=npm',
      '--interactive=false',
    ],
    temp,
  );
  const app = join(temp, 'fresh-app');
  const manifest = await readJson<PackageJson>(join(app, 'package.json'));
  await writeFile(
    join(app, 'package.json'),
    JSON.stringify(pinned(manifest, workspace, tarballs), null, 2),
  );
  for (const [path, text] of Object.entries(FRESH_APP_FILES))
    await writeFile(join(app, path), text);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], app);
  buildOutput = await run('npx', ['ng', 'build'], app);
  browserDir = join(app, 'dist/fresh-app/browser');
});

after(async () => {
  if (temp) await rm(temp, { recursive: true, force: true });
});

test('a fresh Angular app builds with the packed @dpop-lab packages, without a warning', () => {
  assert.match(buildOutput, /Application bundle generation complete/);
  assert.doesNotMatch(buildOutput, /WARNING|ERROR/);
});

test('the key store and proof signer stay out of the first page load: one lazy chunk holds them', async () => {
  const initial = initialScripts(await readFile(join(browserDir, 'index.html'), 'utf8'));
  assert.ok(initial.size > 0, 'index.html loads scripts');
  const scripts = (await readdir(browserDir)).filter((file) => file.endsWith('.js'));
  const holding: string[] = [];
  for (const file of scripts) {
    if ((await readFile(join(browserDir, file), 'utf8')).includes(LAZY_RUNTIME_MARKER)) {
      holding.push(file);
    }
  }
  assert.equal(holding.length, 1, `one chunk holds the runtime: ${holding.join(', ')}`);
  assert.ok(!initial.has(holding[0]), `${holding[0]} is loaded at start-up`);
});
