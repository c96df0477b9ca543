/** Test fixture: runs a command-line tool of this folder as a user would, in a child process. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `../<script>` (e.g. `proof.ts`) with `args`, the environment plus `env`; never rejects. */
export function runCli(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<CliRun> {
  const path = fileURLToPath(new URL(`../${script}`, import.meta.url));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path, ...args],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
