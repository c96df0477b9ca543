import { TestBed } from '@angular/core/testing';
import { deleteDB } from 'idb';
import { Dpop, provideDpop, withKeyStorage } from '@dpop-lab/angular';

import { KeyStorageNotice } from './key-storage-notice';

describe('KeyStorageNotice', () => {
  let databaseName: string;

  async function render(): Promise<HTMLElement> {
    TestBed.configureTestingModule({
      providers: [provideDpop(withKeyStorage({ databaseName, memoryFallback: true }))],
    });
    await TestBed.inject(Dpop).restore();
    const fixture = TestBed.createComponent(KeyStorageNotice);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  beforeEach(() => {
    databaseName = `dpop-notice-${crypto.randomUUID()}`;
  });

  afterEach(async () => {
    TestBed.resetTestingModule();
    await deleteDB(databaseName);
  });

  it('tells the user plainly, as a status, that the key is memory-only and why', async () => {
    spyOn(indexedDB, 'open').and.throwError(new DOMException('denied', 'SecurityError'));
    const status = (await render()).querySelector('[role="status"]');
    expect(status?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'Your browser refused to store the signing key (IndexedDB is unavailable here). ' +
        'This tab uses a memory-only key: you stay signed in until you reload.',
    );
  });

  it('says nothing while the key is stored in IndexedDB', async () => {
    expect((await render()).querySelector('[role="status"]')).toBeNull();
  });
});
