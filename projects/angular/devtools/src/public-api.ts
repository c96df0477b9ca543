// @dpop-lab/angular/devtools: what an inspector or a lab needs of the DPoP core. It loads with the
// app (withDpopDevtools), so like the main entry it imports @dpop-lab/protocol for types only.
export { DpopDevtools, withDpopDevtools } from './dpop-devtools';
export type { ɵDpopExchange as DpopExchange, ɵDpopKey as DpopKey } from '@dpop-lab/angular';
