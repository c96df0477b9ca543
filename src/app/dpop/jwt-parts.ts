// The parts of jose that sign proofs (sign-dpop-proof.ts), in a module of their own so they load
// with the first proof, not with the app or the key store.
export { base64url, SignJWT } from 'jose';
