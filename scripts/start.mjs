// `npm start`: the embedded authorization server + resource API, and `ng serve`, together.
// Prints the three URLs and the demo accounts; Ctrl-C stops all of them.
import { spawn } from 'node:child_process';

const env = process.env;
const spa = env.SPA_ORIGIN || 'http://localhost:4200';
const spaPort = new URL(spa).port || '4200';
const children = [
  spawn('npx', ['tsx', 'server/main.ts'], { stdio: 'inherit', env }),
  spawn('npx', ['ng', 'serve', '--port', spaPort], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env,
  }),
];

console.log(`
DPoP Lab
  app                   ${spa}
  authorization server  ${env.ISSUER || `http://localhost:${env.AS_PORT || 3000}`}
  resource API          ${env.API_PUBLIC_URL || `http://localhost:${env.API_PORT || 3001}`}
  demo accounts         alice / alice-password, bob / bob-password
  Ctrl-C stops all three.
`);

let exiting = false;
function stopAll(code) {
  if (exiting) return;
  exiting = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
for (const child of children) {
  // If one part dies (a port in use, say), stop the others instead of leaving half a world running.
  child.on('exit', (code) => stopAll(code ?? 1));
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
