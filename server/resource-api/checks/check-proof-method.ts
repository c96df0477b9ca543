/**
 * `htm` is the method of this request (RFC 9449 §4.3 item 8), compared exactly:
 * methods are case-sensitive (RFC 9110 §9.1), so `get` does not stand for `GET`. A proof made for
 * one method cannot be replayed on another.
 */
import { invalidProof, quoteValue } from '../errors.ts';

export function checkProofMethod(htm: string, method: string): void {
  if (htm !== method) {
    throw invalidProof(
      `The DPoP proof htm is ${quoteValue(htm, 20)} but the request method is ${method}: set htm to the method of the request.`,
    );
  }
}
