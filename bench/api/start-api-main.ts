/**
 * Runs `npm run start:api`'s entry point (server/resource-api/main.ts) in its own Node process
 * with these environment variables (API_PORT=0 and the bench's API_PUBLIC_URL by default);
 * resolves with its URL once it listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BENCH_PUBLIC_URL = 'http://api.bench.test';

export async function startApiMain(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/resource-api/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, API_PORT: '0', API_PUBLIC_URL: BENCH_PUBLIC_URL, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+?);/.exec(output)?.[1];
      if (url) resolve({ url, child });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the API exited (${code}):\n${output}`)));
  });
}
