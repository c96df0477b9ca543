/**
 * Runs the Angular CLI's production build, or reuses the last one when nothing it was built from
 * has changed: the key is a SHA-256 over every file in the given source folders and every input
 * the last build's esbuild metafile lists (which covers node_modules). BENCH_FRESH=1 always builds.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

import { ROOT } from './paths.ts';

const NG = join(ROOT, 'node_modules', '@angular', 'cli', 'bin', 'ng.js');

export function ngBuild(args: string[], cwd: string = ROOT): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NG, 'build', ...args], {
      cwd,
      // Chunks merged as `npm run build` merges them (NG_BUILD_OPTIMIZE_CHUNKS).
      env: {
        ...process.env,
        NG_BUILD_OPTIMIZE_CHUNKS: '1',
        NG_CLI_ANALYTICS: 'false',
        NO_COLOR: '1',
        FORCE_COLOR: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`ng build ${args.join(' ')} failed (exit ${code}):\n${output}`));
    });
  });
}

async function filesUnder(path: string): Promise<string[]> {
  if (!existsSync(path)) return [];
  if ((await stat(path)).isFile()) return [path];
  const entries = await readdir(path, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function buildKey(outDir: string, cwd: string, sources: string[]): Promise<string | null> {
  let inputs: string[];
  try {
    const meta = JSON.parse(await readFile(join(outDir, 'stats.json'), 'utf8')) as {
      inputs: Record<string, unknown>;
    };
    inputs = Object.keys(meta.inputs).map((input) => join(cwd, input));
  } catch {
    return null;
  }
  const files = new Set(inputs);
  for (const source of sources) for (const file of await filesUnder(source)) files.add(file);
  const hash = createHash('sha256');
  for (const file of [...files].sort()) {
    hash.update(relative(ROOT, file));
    hash.update(existsSync(file) ? await readFile(file) : 'virtual');
  }
  return hash.digest('hex');
}

export interface CachedBuild {
  /** Arguments for `ng build`; the build must write stats.json to `outDir` (`--stats-json`). */
  args: string[];
  outDir: string;
  /** The workspace folder (where angular.json is). */
  cwd?: string;
  /** Folders and files whose every file goes into the key (templates, styles, configs). */
  sources: string[];
}

/** Builds unless the last build in `outDir` came from the same files; returns whether it built. */
export async function cachedNgBuild({
  args,
  outDir,
  cwd = ROOT,
  sources,
}: CachedBuild): Promise<boolean> {
  const keyFile = join(outDir, '.bench-build-key');
  if (process.env['BENCH_FRESH'] !== '1' && existsSync(keyFile)) {
    const [previous, current] = await Promise.all([
      readFile(keyFile, 'utf8'),
      buildKey(outDir, cwd, sources),
    ]);
    if (current !== null && previous === current) return false;
  }
  await ngBuild(args, cwd);
  const key = await buildKey(outDir, cwd, sources);
  if (key) await writeFile(keyFile, key);
  return true;
}
