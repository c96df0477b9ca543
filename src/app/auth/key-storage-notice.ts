import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { Dpop, DpopError } from '@dpop-lab/angular';

/**
 * Tells the user, plainly and for as long as it is true, that this tab's DPoP key lives in
 * memory only because the browser refused to store it (`withKeyStorage({ memoryFallback })`).
 */
@Component({
  selector: 'app-key-storage-notice',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (reason(); as reason) {
      <div class="alert alert-info" role="status">
        <p class="alert-message">
          Your browser refused to store the signing key ({{ reason }}). This tab uses a memory-only
          key: you stay signed in until you reload.
        </p>
      </div>
    }
  `,
})
export class KeyStorageNotice {
  private readonly dpop = inject(Dpop);

  /** Why the key is memory-only, in a few words; null while it is stored. */
  protected readonly reason = computed(() =>
    this.dpop.storage() === 'memory' ? shortReason(this.dpop.storageProblem()) : null,
  );
}

/** The storage failure in a few words (the error's own message is for developers and logs). */
function shortReason(problem: DpopError | null): string {
  switch (problem?.code) {
    case 'key_storage_unavailable':
      return 'IndexedDB is unavailable here';
    case 'key_storage_clone':
      return 'it cannot store a CryptoKey in IndexedDB';
    case 'key_storage_quota':
      return 'the storage quota for this site is used up';
    case 'key_storage_blocked':
      return 'another tab holds the key database open';
    case 'key_storage_version':
      return 'the key database has a newer version';
    case 'key_storage_readback':
      return 'the stored key did not come back';
    case 'key_storage_unusable':
      return 'the stored key could not sign';
    default: {
      const cause = problem?.cause;
      return cause instanceof Error ? cause.name : 'IndexedDB failed';
    }
  }
}
