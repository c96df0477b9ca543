/** Test fixture: a temporary folder for the tests of one `describe`, deleted after them. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { suiteFixture } from './suite-fixture.ts';

export interface TemporaryFolder {
  path: string;
  close(): Promise<void>;
}

/** `prefix` names the folder (`dpop-lab-restart-XXXXXX`), so a leftover says whose it is. */
export function temporaryFolderForSuite(prefix: string): TemporaryFolder {
  return suiteFixture(async () => {
    const path = await mkdtemp(join(tmpdir(), prefix));
    return { path, close: () => rm(path, { recursive: true, force: true }) };
  });
}
