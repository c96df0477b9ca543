/**
 * The README, the docs and the package READMEs link to each other and to headings: every relative
 * link must reach a file, and every #anchor a heading of it (GitHub's heading slugs), so a page
 * that moves or a heading that is renamed cannot leave a newcomer at a dead end.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');
const PAGES = [
  'README.md',
  'CHANGELOG.md',
  ...readdirSync(join(ROOT, 'docs')).map((name) => `docs/${name}`),
  'projects/protocol/README.md',
  'projects/angular/README.md',
  ...readdirSync(join(ROOT, 'projects/samples'))
    .map((name) => `projects/samples/${name}/README.md`)
    .filter((page) => existsSync(join(ROOT, page))),
].filter((page) => page.endsWith('.md'));

/** Markdown without code blocks (a `#` in a shell block is no heading). */
function withoutCodeBlocks(file: string): string {
  return readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
}

/** Markdown without any code: links inside code are examples, not links. */
function prose(file: string): string {
  return withoutCodeBlocks(file).replace(/`[^`\n]*`/g, '');
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of withoutCodeBlocks(file).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(heading!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count ? `${base}-${count}` : base);
  }
  return anchors;
}

test('every relative link and anchor of the README, the docs and the package READMEs resolves', () => {
  const broken: string[] = [];
  let checked = 0;
  for (const page of PAGES) {
    const file = join(ROOT, page);
    for (const [, target] of prose(file).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue; // https:, mailto:
      checked++;
      const [path, anchor] = target!.split('#');
      const destination = path ? resolve(dirname(file), path) : file;
      if (!existsSync(destination)) {
        broken.push(`${page}: ${target} (no such file)`);
      } else if (anchor !== undefined) {
        const markdown = statSync(destination).isFile() && destination.endsWith('.md');
        if (!markdown || !anchorsOf(destination).has(anchor)) {
          broken.push(`${page}: ${target} (no such heading)`);
        }
      }
    }
  }
  assert.ok(checked > 50, `only ${checked} links found: is the pattern still right?`);
  assert.deepEqual(broken, []);
});

test('the README fits a few screens: at most 150 lines, none over 100 characters', () => {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n');
  assert.ok(lines.length <= 150, `${lines.length} lines`);
  assert.deepEqual(
    lines.filter((line) => line.length > 100),
    [],
  );
});
