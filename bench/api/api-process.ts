/** Starts an API under test in its own Node process (./api-server.ts) and talks to it. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import type { ApiKind, ApiSpec, ChildMessage, ParentMessage } from './api-protocol.ts';
import { BENCH_PUBLIC_URL } from './start-api-main.ts';

export interface ApiStats {
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
  cpuMicros: number;
  replayCacheSize: number | null;
}

export interface ApiProcess {
  url: string;
  stats(gc?: boolean): Promise<ApiStats>;
  /** Moves the API's clock forward (DPoP Lab only). */
  advanceClock(ms: number): Promise<void>;
  close(): Promise<void>;
}

const SERVER = fileURLToPath(new URL('./api-server.ts', import.meta.url));

/**
 * An API under test as the benches run it: trusting `issuer` (the API test fixture's), at the
 * bench's public URL (a name that resolves nowhere, so `htu` never comes from Host), with this
 * nonce secret (so the bench can make DPoP Lab's nonces).
 */
export function benchApiSpec(
  kind: ApiKind,
  issuer: { issuer: string; jwksUrl: string },
  nonceSecret: Uint8Array,
): ApiSpec {
  return {
    kind,
    issuer: issuer.issuer,
    jwksUrl: issuer.jwksUrl,
    audience: `${BENCH_PUBLIC_URL}/api`,
    publicUrl: BENCH_PUBLIC_URL,
    nonceSecret: Buffer.from(nonceSecret).toString('base64url'),
  };
}

/** `nodeOptions`: more Node flags for the API process, e.g. `--cpu-prof` (./profile-api.ts). */
export async function startApiProcess(
  spec: ApiSpec,
  nodeOptions: readonly string[] = [],
): Promise<ApiProcess> {
  const child: ChildProcess = fork(SERVER, [], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...nodeOptions],
    env: { ...process.env, BENCH_API: JSON.stringify(spec) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends ChildMessage['type']>(type: T) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: ChildMessage) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<ChildMessage, { type: T }>);
      };
      const onExit = (code: number | null) =>
        reject(new Error(`The ${spec.kind} API process exited (code ${code}).`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ask = (message: ParentMessage) => child.send(message);

  const { url } = await next('ready');
  return {
    url,
    async stats(gc = false) {
      const reply = next('stats');
      ask({ type: 'stats', gc });
      const { rss, heapUsed, arrayBuffers, cpuMicros, replayCacheSize } = await reply;
      return { rss, heapUsed, arrayBuffers, cpuMicros, replayCacheSize };
    },
    async advanceClock(ms) {
      const reply = next('advanced');
      ask({ type: 'advance', ms });
      await reply;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
