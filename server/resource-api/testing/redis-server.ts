/**
 * Test fixture: a real, throw-away `redis-server` (Debian's package; `.ci/run` installs it) on a
 * free loopback port, with no persistence (`--save '' --appendonly no`), started as a child
 * process. It can be stopped, restarted on the same port, frozen (SIGSTOP: the connection stays
 * open but nothing answers) and thawed, to drive the API through a Redis outage.
 *
 * startRedisServer() rejects with RedisUnavailableError only when redis-server cannot start at
 * all (not installed, not runnable): specs then skip with that message. Every other failure is
 * a test failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '../../testing/free-port.ts';

export const REDIS_SERVER_BIN = process.env['REDIS_SERVER_BIN'] || 'redis-server';

/** redis-server cannot run on this machine at all (not installed, not executable). */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

export interface TestRedis {
  port: number;
  url: string;
  /** Stops the server (SIGTERM) and waits until it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** SIGSTOP: the server keeps its connections but stops answering. */
  freeze(): void;
  /** SIGCONT. */
  thaw(): void;
  /** Stops it for good and removes its directory. */
  close(): Promise<void>;
}

function launch(port: number, dir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      REDIS_SERVER_BIN,
      ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1'].concat([
        '--dir',
        dir,
        '--protected-mode',
        'yes',
      ]),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server on port ${port} was not ready after 10 s:\n${output}`));
    }, 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT' || error.code === 'EACCES'
          ? new RedisUnavailableError(
              `${REDIS_SERVER_BIN} cannot be run (${error.code}): install Debian's redis-server ` +
                `(apt-get install redis-server; .ci/run does) to run the shared replay cache tests.`,
              { cause: error },
            )
          : error,
      );
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${signal ?? code}) before it was ready:\n${output}`));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startRedisServer(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'dpop-lab-redis-'));
  let child: ChildProcess | undefined;
  let port = 0;
  try {
    // The free port can be taken between the probe and redis-server's bind: try a few.
    for (let attempt = 1; ; attempt += 1) {
      port = await freePort();
      try {
        child = await launch(port, dir);
        break;
      } catch (error) {
        if (error instanceof RedisUnavailableError || attempt === 3) throw error;
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const stop = async () => {
    if (!child) return;
    const running = child;
    child = undefined;
    running.kill('SIGCONT');
    running.kill('SIGTERM');
    await exited(running);
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    async restart() {
      await stop();
      child = await launch(port, dir);
    },
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts a test Redis, or returns the reason to skip when redis-server cannot run here. */
export async function startRedisOrSkip(): Promise<{ redis?: TestRedis; skip: string | false }> {
  try {
    return { redis: await startRedisServer(), skip: false };
  } catch (error) {
    if (error instanceof RedisUnavailableError) return { skip: error.message };
    throw error;
  }
}
