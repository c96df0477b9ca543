import { Directive, inject, PendingTasks, ViewContainerRef } from '@angular/core';

/**
 * Where the shell's messages appear (ShellMessages): loaded right after start-up, beside the
 * first page, so their texts — one for every way sign-in can fail — are not part of the first
 * load. A message only ever follows a network answer, by which time they are here.
 */
@Directive({ selector: '[appMessagesSlot]' })
export class MessagesSlot {
  constructor() {
    const slot = inject(ViewContainerRef);
    inject(PendingTasks).run(async () => {
      const { ShellMessages } = await import('./shell-messages');
      slot.createComponent(ShellMessages);
    });
  }
}
