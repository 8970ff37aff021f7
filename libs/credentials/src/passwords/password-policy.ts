// Password policy (contract: "Passwords"): 8–128 characters of any Unicode, not on a common
// password list, not equal to one of the account's identifiers. Inputs over 1,024 characters are
// a BAD_USER_INPUT refused by the caller before any hashing; this module only answers the policy.
// Pure module: no Nest imports (unit-tested by Jest, which cannot load Nest's ESM packages).
import { dictionary } from '@zxcvbn-ts/language-common';

export type PasswordPolicyFailure = 'too_short' | 'too_long' | 'common' | 'equals_identifier';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_INPUT_HARD_LIMIT = 1024;

let commonPasswords: Set<string> | undefined;

// ~49k entries: built on first use, not at import, so boot and unrelated tests do not pay for it.
function isCommon(folded: string): boolean {
  commonPasswords ??= new Set(dictionary['passwords-common'].map((entry) => fold(entry)));
  return commonPasswords.has(folded);
}

// Comparison form: NFKC so full-width "ｐａｓｓｗｏｒｄ" or "ａｌｉｃｅ" match the list and the
// (NFKC-normalized) identifiers, then case-folded since both checks are case-insensitive.
function fold(value: string): string {
  return value.normalize('NFKC').toLowerCase();
}

/** Length counted in Unicode code points (so an emoji counts as one character). */
export function checkPasswordPolicy(password: string, identifierValues: string[]): PasswordPolicyFailure | null {
  // Cheap guard first: never normalize or scan an absurdly long input.
  if (password.length > PASSWORD_INPUT_HARD_LIMIT) return 'too_long';
  // Counted on the NFC form, the same form that is hashed (see password-prehash.ts), so a
  // Vietnamese password has one length whether the keyboard sent composed or decomposed letters.
  const length = [...password.normalize('NFC')].length;
  if (length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (length > PASSWORD_MAX_LENGTH) return 'too_long';

  const folded = fold(password);
  // The more specific reason first: "it is your username" tells the person more than "common".
  if (identifierValues.some((value) => value.length > 0 && fold(value) === folded)) return 'equals_identifier';
  if (isCommon(folded)) return 'common';
  return null;
}
