/**
 * Test fixture for the store's specs (file-adapter.ts): stores on fresh data folders under one
 * temporary root, deleted after the describe; a clock the test moves; the store file's lines.
 *
 *   const stores = storeFixture();                      // in a describe
 *   const { store, dataDir, file, warnings } = stores.open({ maxEntries: 5 });
 *   stores.reopen(dataDir);                             // the same folder, as after a restart
 *
 *   // writes made by requests from an address, with the Retry-After each refusal set:
 *   const { store, clock, retryAfter, from, inOneRequest } = stores.withRequests({ … });
 *   from('192.0.2.7');                                  // later writes come from there
 *   await inOneRequest(async () => { … });              // these writes are one request's
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  createFileAdapter,
  STORE_FILE_NAME,
  type FileAdapterOptions,
  type StoreRequest,
} from '../file-adapter.ts';
import { suiteFixture } from '../../testing/suite-fixture.ts';
import { fakeClock } from './fake-clock.ts';

/** The store file's lines, parsed: a header, then one change per line. */
export async function linesOf(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(file, 'utf8');
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export function storeFixture() {
  const root = suiteFixture(async () => {
    const path = await mkdtemp(join(tmpdir(), 'dpop-lab-store-'));
    return { path, close: () => rm(path, { recursive: true, force: true }) };
  });
  let count = 0;

  /** A fresh data folder (or `dataDir`) and a store on it that records its warnings. */
  function open(options: FileAdapterOptions = {}, dataDir = join(root.path, `case-${++count}`)) {
    const warnings: string[] = [];
    const store = createFileAdapter(dataDir, {
      warn: (message) => warnings.push(message),
      ...options,
    });
    return { store, dataDir, warnings, file: join(dataDir, STORE_FILE_NAME) };
  }

  /** A store whose writes come from requests by one address at a time (192.0.2.1 first). */
  function withRequests(options: FileAdapterOptions, dataDir?: string) {
    const clock = fakeClock();
    let address = '192.0.2.1';
    const retryAfter: string[] = [];
    const requestFrom = (ip: string): StoreRequest => ({
      ip,
      set: (_name, value) => void retryAfter.push(value),
    });
    let current: StoreRequest | undefined;
    const opened = open(
      {
        now: clock.now,
        clockTolerance: 0,
        ...options,
        // Each write is a request of its own (never settled: written within writeDelay), unless
        // inside inOneRequest.
        request: () => current ?? requestFrom(address),
      },
      dataDir,
    );
    return {
      ...opened,
      clock,
      retryAfter,
      from(ip: string) {
        address = ip;
      },
      /** Runs `writes` as one request's, then settles it as the server does before answering. */
      async inOneRequest(writes: () => Promise<void>): Promise<void> {
        const request = (current = requestFrom(address));
        try {
          await writes();
        } finally {
          current = undefined;
          await opened.store.settle(request);
        }
      },
    };
  }

  return {
    open,
    /** The same data folder read by a new store, as after a restart. */
    reopen: (dataDir: string, options: FileAdapterOptions = {}) => open(options, dataDir),
    withRequests,
    /** A folder name under the root, not created yet. */
    folder: (name: string) => join(root.path, `${name}-${++count}`),
  };
}
