// @dpop-lab/protocol/conformance: the DPoP self-test of a resource server (RFC 9449), shared by
// `npm run conformance` and the lab's "Check this API" page. Only fetch, WebCrypto and jose.
export { CONFORMANCE_CHECKS } from './catalogue.ts';
export type { CheckResult, ConformanceCheck, Level, Outcome, Profile } from './check.ts';
export { ApiUnreachable } from './probe.ts';
export { resultLabel, summaryOf } from './report.ts';
export type { Impact } from './risks.ts';
export { runConformance } from './run-conformance.ts';
export type { ConformanceOptions, ConformanceReport } from './run-conformance.ts';
