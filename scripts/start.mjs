// `npm start`: the embedded authorization server + resource API, and `ng serve`, together.
// Prints the three URLs and the demo accounts; Ctrl-C stops all of them.
import { spawn } from 'node:child_process';

const env = process.env;
const spa = env.SPA_ORIGIN || 'http://localhost:4200';
const spaPort = new URL(spa).port || '4200';
// Each part runs in its own process group, so stopping it stops everything it started
// (npx → tsx → node; npx → ng → esbuild), not just the first process.
const start = (args, stdin) =>
  spawn('npx', args, { stdio: [stdin, 'inherit', 'inherit'], env, detached: true });
const children = [
  start(['tsx', 'server/main.ts'], 'inherit'),
  start(['ng', 'serve', '--port', spaPort], 'ignore'),
];

// oidc-provider 9 warns when it loads on a Node release older than 22 LTS ("Jod") or not an LTS
// (node_modules/oidc-provider/lib/index.js); it works on Node 20.19+ (DESIGN.md).
const lts = process.release.lts;
const runtimeNote =
  !lts || lts < 'J'
    ? `  oidc-provider prints "Unsupported runtime" below: expected on Node ${process.versions.node}, it works on 20.19+.\n`
    : '';
console.log(`
DPoP Lab
  app                   ${spa}
  authorization server  ${env.ISSUER || `http://localhost:${env.AS_PORT || 3000}`}
  resource API          ${env.API_PUBLIC_URL || `http://localhost:${env.API_PORT || 3001}`}
  demo accounts         alice / alice-password, bob / bob-password
${runtimeNote}  Ctrl-C stops all three.
`);

let exiting = false;
function stopAll(code) {
  if (exiting) return;
  exiting = true;
  const signal = (sig) => {
    for (const child of children) {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // that group has already gone
      }
    }
  };
  signal('SIGTERM');
  // Anything still running after 3 s is stopped for good.
  setTimeout(() => {
    signal('SIGKILL');
    process.exit(code);
  }, 3000).unref();
  Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.on('exit', r)) : null)),
  ).then(() => process.exit(code));
}
for (const child of children) {
  // If one part dies (a port in use, say), stop the others instead of leaving half a world running.
  child.on('exit', (code) => stopAll(code ?? 1));
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
