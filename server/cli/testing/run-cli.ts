/** Test fixture: runs a command-line tool of this folder as a user would, in a child process. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const scriptPath = (script: string) => fileURLToPath(new URL(`../${script}`, import.meta.url));

/** Runs `../<script>` (e.g. `proof.ts`) with `args`, the environment plus `env`; never rejects. */
export function runCli(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<CliRun> {
  return startCli(script, args, env).done;
}

/** A tool still running: what it printed so far, and its end. */
export interface RunningCli {
  /** The first line it prints (to stdout unless told) that matches `pattern`; rejects if it exits first. */
  line(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<string>;
  /** Its exit code and everything it printed. */
  done: Promise<CliRun>;
}

/** Starts `../<script>` like runCli, for a test that answers it while it runs (a sign-in). */
export function startCli(script: string, args: string[], env: Record<string, string>): RunningCli {
  const child = spawn(process.execPath, ['--import', 'tsx', scriptPath(script), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const printed = { stdout: '', stderr: '' };
  const waiting = new Set<() => void>();
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream].setEncoding('utf8').on('data', (chunk: string) => {
      printed[stream] += chunk;
      waiting.forEach((check) => check());
    });
  }
  let exited = false;
  const done = new Promise<CliRun>((resolve) => {
    child.once('close', (code) => {
      exited = true;
      resolve({ code: code ?? 1, ...printed });
      waiting.forEach((check) => check());
    });
  });
  return {
    done,
    line: (pattern, stream = 'stdout') =>
      new Promise((resolve, reject) => {
        const check = () => {
          // Whole lines only: the last one may still be arriving.
          const lines = printed[stream].split('\n').slice(0, exited ? undefined : -1);
          const found = lines.find((line) => pattern.test(line));
          if (found !== undefined) {
            waiting.delete(check);
            resolve(found);
          } else if (exited) {
            waiting.delete(check);
            reject(
              new Error(
                `exited without a line like ${pattern}:\n${printed.stdout}\n${printed.stderr}`,
              ),
            );
          }
        };
        waiting.add(check);
        check();
      }),
  };
}
