/**
 * The authorization server as its own process (`main.ts`, as `npm run start:as` runs it), for
 * specs that must kill it hard: `kill -9` gives it no chance to write anything more.
 *
 *   const server = await startServerProcess({ port, dataDir });   // resolves once it listens
 *   server.issuer                                                 // http://localhost:<port>
 *   await server.kill();                                          // SIGKILL, resolves on exit
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const START_TIMEOUT_MS = 30_000;

export interface ServerProcess {
  issuer: string;
  /** Sends SIGKILL; resolves once the process has exited. */
  kill(): Promise<void>;
}

export function startServerProcess({
  port,
  dataDir,
}: {
  port: number;
  dataDir: string;
}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, AS_PORT: String(port), DPOP_LAB_DATA_DIR: dataDir, ISSUER: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  let output = '';
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void kill().then(() => reject(new Error(`${MAIN} ${why}; it printed:\n${output}`)));
    };
    const timer = setTimeout(
      () => fail(`did not listen within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    const exitedEarly = (code: number | null) => fail(`exited with ${code} before it listened`);
    child.once('exit', exitedEarly);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const issuer = /Authorization server: (http:\/\/\S+) /.exec(output)?.[1];
      if (!issuer) return;
      clearTimeout(timer);
      child.off('exit', exitedEarly);
      resolve({ issuer, kill });
    });
  });
}
