/**
 * The initial files of an Angular production build and their estimated transfer size, computed
 * as the Angular CLI computes "Estimated transfer size": brotli (default quality) of each .js and
 * .css file, files under 1024 bytes counted as they are; sizes in kB of 1000 bytes. The initial
 * files are main, polyfills and the global styles plus every chunk they import statically,
 * read from the esbuild metafile (`--stats-json`).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress } from 'node:zlib';

const brotli = promisify(brotliCompress);

interface Metafile {
  outputs: Record<
    string,
    {
      bytes: number;
      imports?: { path: string; kind: string }[];
      inputs: Record<string, { bytesInOutput: number }>;
    }
  >;
}

export interface InitialFile {
  file: string;
  bytes: number;
  transfer: number;
  /** Bytes of this file by where they come from (package or src/ folder). */
  sources: Record<string, number>;
}

export interface InitialSize {
  files: InitialFile[];
  /** Estimated transfer size of the initial files, kB. */
  transferKb: number;
  rawKb: number;
  /** Estimated transfer size per source, kB: each file's transfer size shared out by its bytes. */
  bySourceKb: Record<string, number>;
  /**
   * The same initial JS as one file (brotli of the files joined) plus the CSS, kB: how much the
   * split into chunks costs (each file is compressed on its own; small ones not at all).
   */
  asOneFileKb: number;
}

/** Groups an esbuild input path: `@angular/router`, `jose`, `src/app/auth`, `bench/...`. */
function sourceGroup(input: string): string {
  const modules = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (modules) return modules[1]!;
  const parts = input.replace(/^(\.\.\/)+/, '').split('/');
  if (parts[0] === 'src' && parts[1] === 'app' && parts.length > 3)
    return parts.slice(0, 3).join('/');
  return parts.length > 1 ? parts.slice(0, -1).join('/') : input;
}

export async function initialSize(buildDir: string): Promise<InitialSize> {
  const meta = JSON.parse(await readFile(join(buildDir, 'stats.json'), 'utf8')) as Metafile;
  const browser = join(buildDir, 'browser');
  const initial = new Set<string>();
  const visit = (file: string) => {
    if (initial.has(file) || !meta.outputs[file]) return;
    initial.add(file);
    for (const { path, kind } of meta.outputs[file].imports ?? []) {
      if (kind === 'import-statement') visit(path);
    }
  };
  for (const file of Object.keys(meta.outputs)) {
    if (/^(main|polyfills|styles)-[A-Z0-9]+\.(js|css)$/.test(file)) visit(file);
  }

  const files: InitialFile[] = [];
  const scripts: Buffer[] = [];
  for (const file of [...initial].filter((f) => /\.(js|css)$/.test(f))) {
    const contents = await readFile(join(browser, file));
    if (file.endsWith('.js')) scripts.push(contents);
    const transfer =
      contents.byteLength < 1024 ? contents.byteLength : (await brotli(contents)).byteLength;
    const sources: Record<string, number> = {};
    for (const [input, { bytesInOutput }] of Object.entries(meta.outputs[file]!.inputs)) {
      const group = sourceGroup(input);
      sources[group] = (sources[group] ?? 0) + bytesInOutput;
    }
    files.push({ file, bytes: contents.byteLength, transfer, sources });
  }

  const bySourceKb: Record<string, number> = {};
  for (const { transfer, sources } of files) {
    const total = Object.values(sources).reduce((a, b) => a + b, 0) || 1;
    for (const [group, bytes] of Object.entries(sources)) {
      bySourceKb[group] = (bySourceKb[group] ?? 0) + (transfer * bytes) / total / 1000;
    }
  }
  const css = files.filter((f) => f.file.endsWith('.css')).reduce((sum, f) => sum + f.transfer, 0);
  return {
    files,
    transferKb: files.reduce((sum, f) => sum + f.transfer, 0) / 1000,
    rawKb: files.reduce((sum, f) => sum + f.bytes, 0) / 1000,
    bySourceKb,
    asOneFileKb: ((await brotli(Buffer.concat(scripts))).byteLength + css) / 1000,
  };
}
