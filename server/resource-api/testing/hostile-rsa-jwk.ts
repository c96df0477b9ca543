/**
 * Test fixture: an RSA public JWK of any size and exponent, made of random odd numbers with the
 * top bit set — no key generation, since the API refuses such keys before any RSA arithmetic
 * (checkProofKeyBounds). Issue 12: a 3072-bit modulus with a 3070-bit exponent made each
 * refused request cost a full modular exponentiation.
 *
 *   hostileRsaJwk(3072, 3070)   // huge exponent
 *   hostileRsaJwk(1024)         // e = 65537, modulus too small
 */
import { randomBytes } from 'node:crypto';

import type { JWK } from 'jose';

/** base64url of a random odd number of exactly `bits` bits. */
export function randomOddUint(bits: number): string {
  const bytes = randomBytes(Math.ceil(bits / 8));
  const spare = bytes.length * 8 - bits;
  bytes[0] = (bytes[0]! & (0xff >> spare)) | (0x80 >> spare);
  bytes[bytes.length - 1]! |= 1;
  return bytes.toString('base64url');
}

export function hostileRsaJwk(modulusBits: number, exponentBits?: number): JWK {
  return {
    kty: 'RSA',
    n: randomOddUint(modulusBits),
    e: exponentBits === undefined ? 'AQAB' : randomOddUint(exponentBits),
  };
}

/** A signature-shaped value below any modulus of `modulusBits` bits (first byte 0x12). */
export function garbageRsaSignature(modulusBits: number): string {
  return Buffer.concat([Buffer.from([0x12]), randomBytes(modulusBits / 8 - 1)]).toString(
    'base64url',
  );
}
