// `npm start`: the embedded authorization server + resource API, and `ng serve`, together.
// Prints the three URLs and the demo accounts; Ctrl-C stops all of them.
//
// Ports and URLs come from the environment (AS_PORT, API_PORT, SPA_ORIGIN, ISSUER,
// API_PUBLIC_URL; server/config.ts): the servers read them, and `ng serve` gets the config.json
// and the Content-Security-Policy that follow them (server/app-server/dev-server.ts), so other
// ports need no file edited.
import { spawn } from 'node:child_process';
import { tsImport } from 'tsx/esm/api';

const load = (path) => tsImport(path, import.meta.url);
const { readConfig } = await load('../server/config.ts');
const { prepareDevServer } = await load('../server/app-server/dev-server.ts');

let world;
let devServer;
try {
  world = readConfig();
  devServer = await prepareDevServer(world);
} catch (error) {
  // A bad setting (AS_PORT=abc, an APP_CONFIG that is not JSON): its message says what to change.
  console.error(`npm start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

const env = process.env;
// Each part runs in its own process group, so stopping it stops everything it started
// (npx → tsx → node; npx → ng → esbuild), not just the first process.
const start = (args, stdin) =>
  spawn('npx', args, { stdio: [stdin, 'inherit', 'inherit'], env, detached: true });
const children = [
  start(['tsx', 'server/main.ts'], 'inherit'),
  start(['ng', ...devServer.args], 'ignore'),
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
  app                   ${world.spaOrigin}
  authorization server  ${world.issuer}
  resource API          ${world.apiPublicUrl}
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
  let closing;
  const exit = () => (closing ??= devServer.close().finally(() => process.exit(code)));
  signal('SIGTERM');
  // Anything still running after 3 s is stopped for good.
  setTimeout(() => {
    signal('SIGKILL');
    exit();
  }, 3000).unref();
  Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.on('exit', r)) : null)),
  ).then(exit);
}
for (const child of children) {
  // If one part dies (a port in use, say), stop the others instead of leaving half a world running.
  child.on('exit', (code) => stopAll(code ?? 1));
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
