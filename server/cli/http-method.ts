/**
 * A request method as typed on the command line (`--htm` of `npm run proof`, `--method` of
 * `npm run conformance`): `get` means GET, upper-cased for the user; then it must be a method
 * name, letters only. Undefined when it is not.
 */
export function httpMethodOf(typed: string): string | undefined {
  const method = typed.trim().toUpperCase();
  return /^[A-Z]+$/.test(method) ? method : undefined;
}
