import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A key of SECRETS_ENCRYPTION_KEY / _OLD_KEYS (config.secrets): 32 bytes and a short id. */
export interface CipherKey {
  id: string;
  key: Buffer;
}

export interface Sealed {
  ciphertext: Buffer;
  keyId: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Secrets at rest (contract: Configuration, SECRETS_ENCRYPTION_KEY): AES-256-GCM under the
 * current key, stored as iv ‖ tag ‖ ciphertext beside the key's id, so a rotated-out key still
 * opens what it sealed. `context` (the account id) is authenticated data: a ciphertext copied
 * onto another account's row does not open.
 */
export class SecretCipher {
  constructor(
    private readonly current: CipherKey,
    private readonly all: readonly CipherKey[],
  ) {}

  seal(plaintext: Buffer, context: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]), keyId: this.current.id };
  }

  /** Throws when the key id is unknown or the ciphertext, key or context does not match. */
  open(sealed: Sealed, context: string): Buffer {
    const key = this.all.find((k) => k.id === sealed.keyId);
    if (!key) throw new Error(`no secrets key with id ${sealed.keyId}`);
    const iv = sealed.ciphertext.subarray(0, IV_BYTES);
    const tag = sealed.ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.ciphertext.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  }
}
