// Password pre-hash, scheme "gatehouse/password/v1" (contract: "Passwords": every character
// counts, bcrypt's 72-byte truncation must never make two passwords equal).
//
//   prehash(p) = base64( HMAC-SHA-256( key = "gatehouse/password/v1", msg = UTF-8( NFC(p) ) ) )
//
// The result (always 44 ASCII characters, 44 bytes) is what goes into bcrypt, both when hashing
// and when comparing. Why each piece:
// - bcrypt reads only the first 72 bytes; a 100-character Vietnamese password is ~140 UTF-8 bytes,
//   so without a pre-hash two passwords sharing a prefix would verify against each other.
// - base64, not the raw digest: raw bytes can contain NUL, where some bcrypt bindings stop.
// - HMAC with a fixed label rather than bare SHA-256: the label is not a secret (bcrypt's own salt
//   does the salting); it separates this scheme from plain SHA-256 so digests leaked elsewhere
//   cannot be fed to our bcrypt hashes ("password shucking"), and the "v1" names the scheme so a
//   future change can be told apart from stored hashes.
// - NFC: Vietnamese diacritics arrive composed or decomposed depending on the keyboard/OS
//   ("ệ" as U+1EC7 or as e + U+0323 + U+0302). People see one password and expect it to work
//   from every device, so canonically equivalent strings must hash the same. NFC (not NFKC) keeps
//   compatibility characters such as full-width letters distinct: they are different keystrokes.
// - No trimming or case folding: spaces and case are part of what the person chose, and the
//   policy (password-policy.ts) already counts length on the same NFC form.
// Changing any of this invalidates every stored hash: bump the version label instead.
// Caveat: an unpaired UTF-16 surrogate becomes U+FFFD in UTF-8, so two passwords differing only
// in unpaired surrogates collide; no keyboard produces those, so it is accepted.
import { createHmac } from 'node:crypto';

export const PASSWORD_PREHASH_KEY = 'gatehouse/password/v1';

/** bcrypt only reads 72 bytes: pre-hash every password to a fixed 44-char base64 string so every character counts. */
export function prehashPassword(password: string): string {
  return createHmac('sha256', PASSWORD_PREHASH_KEY).update(password.normalize('NFC'), 'utf8').digest('base64');
}
