// `npm test`: runs every suite (unit in headless Chromium, server on node's test runner,
// end-to-end in Playwright, the packed packages in a fresh app outside the repo), streams their
// output, and ends with one line CI can read: "N passed, N failed". Exits non-zero when any
// suite fails or cannot report its count.
import { spawn } from 'node:child_process';

// node --test closes with "# pass N" and "# fail N".
function nodeTestCount(out) {
  const pass = [...out.matchAll(/^# pass (\d+)$/gm)].pop();
  const fail = [...out.matchAll(/^# fail (\d+)$/gm)].pop();
  return pass && fail ? { passed: +pass[1], failed: +fail[1] } : null;
}

const suites = [
  {
    name: 'unit',
    command: ['npx', 'ng', 'test', '--no-watch', '--no-progress', '--browsers=ChromeHeadlessCI'],
    // Karma's closing line: "TOTAL: 3 FAILED, 40 SUCCESS" or "TOTAL: 43 SUCCESS".
    count(out) {
      const total = [...out.matchAll(/TOTAL: (?:(\d+) FAILED, )?(\d+) SUCCESS/g)].pop();
      const failedOnly = [...out.matchAll(/TOTAL: (\d+) FAILED$/gm)].pop();
      if (total) return { passed: +total[2], failed: +(total[1] ?? 0) };
      if (failedOnly) return { passed: 0, failed: +failedOnly[1] };
      return null;
    },
  },
  {
    name: 'server',
    command: ['npm', 'run', '--silent', 'test:server'],
    count: nodeTestCount,
  },
  {
    name: 'e2e',
    command: ['npx', 'playwright', 'test'],
    // Playwright's list reporter closes with "  12 passed (30s)", "  1 failed", "  1 flaky".
    count(out) {
      const n = (word) => +(out.match(new RegExp(`^\\s+(\\d+) ${word}\\b`, 'm'))?.[1] ?? 0);
      const passed = n('passed');
      const failed = n('failed') + n('flaky') + n('interrupted');
      return passed + failed > 0 ? { passed, failed } : null;
    },
  },
  {
    // The packed packages in a fresh Angular app outside the repo (npm run build:libs, ng new,
    // npm install of the tarballs, ng build).
    name: 'packages',
    command: ['npm', 'run', '--silent', 'test:packages'],
    count: nodeTestCount,
  },
];

const only = process.argv.slice(2);
const selected = only.length ? suites.filter((s) => only.includes(s.name)) : suites;

function run(suite) {
  return new Promise((resolve) => {
    console.log(`\n=== ${suite.name}: ${suite.command.join(' ')}`);
    const child = spawn(suite.command[0], suite.command.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let out = '';
    const tee = (stream) => (chunk) => {
      out += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    child.on('close', (code) =>
      resolve({ suite, code, counts: suite.count(out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')) }),
    );
  });
}

let passed = 0;
let failed = 0;
const lines = [];
for (const suite of selected) {
  const { code, counts } = await run(suite);
  if (!counts) {
    // A suite that crashed before reporting counts as one failure, so the summary never lies.
    failed += 1;
    lines.push(`${suite.name}: crashed before reporting a count (exit ${code})`);
    continue;
  }
  // A runner that exits non-zero with no failed test (a build error after the tests) is a failure too.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  passed += counts.passed;
  failed += counts.failed;
  lines.push(`${suite.name}: ${counts.passed} passed, ${counts.failed} failed (exit ${code})`);
}
console.log('\n' + lines.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
