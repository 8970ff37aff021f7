import { checkPasswordPolicy, PASSWORD_INPUT_HARD_LIMIT, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy';

describe('checkPasswordPolicy', () => {
  it('exposes the contract limits', () => {
    expect([PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_INPUT_HARD_LIMIT]).toEqual([8, 128, 1024]);
  });

  it('accepts a reasonable password', () => {
    expect(checkPasswordPolicy('Tr0ub4dor&3-horse', ['alice', 'alice@example.com'])).toBeNull();
  });

  describe('length', () => {
    it('refuses 7 characters and accepts 8', () => {
      expect(checkPasswordPolicy('xK9#mQ2', [])).toBe('too_short');
      expect(checkPasswordPolicy('xK9#mQ2v', [])).toBeNull();
    });

    it('counts an emoji as one character (code points, not UTF-16 units)', () => {
      expect('xK9#mQ😀'.length).toBe(8); // would pass if UTF-16 units were counted
      expect(checkPasswordPolicy('xK9#mQ😀', [])).toBe('too_short');
      expect(checkPasswordPolicy('xK9#mQ2😀', [])).toBeNull();
      expect(checkPasswordPolicy('😀🔒🔑🌟🚀🎉💡🐉', [])).toBeNull();
    });

    it('counts a decomposed Vietnamese letter as one character (NFC)', () => {
      const sevenComposed = 'mậtkhẩu'; // 7 letters
      expect(checkPasswordPolicy(sevenComposed.normalize('NFD'), [])).toBe('too_short');
      expect(checkPasswordPolicy(`${sevenComposed}!`.normalize('NFD'), [])).toBeNull();
      expect(checkPasswordPolicy(`${sevenComposed}!`, [])).toBeNull();
    });

    it('accepts 128 characters and refuses 129', () => {
      const base = 'aB3$'.repeat(32);
      expect([...base]).toHaveLength(128);
      expect(checkPasswordPolicy(base, [])).toBeNull();
      expect(checkPasswordPolicy(`${base}x`, [])).toBe('too_long');
    });

    it('accepts 128 emoji (512 bytes) and refuses 129', () => {
      expect(checkPasswordPolicy('😀'.repeat(128), [])).toBeNull();
      expect(checkPasswordPolicy('😀'.repeat(129), [])).toBe('too_long');
    });

    it('refuses input over the hard limit as too_long', () => {
      expect(checkPasswordPolicy('a'.repeat(PASSWORD_INPUT_HARD_LIMIT + 1), [])).toBe('too_long');
      expect(checkPasswordPolicy('a'.repeat(10 * 1024), [])).toBe('too_long');
    });

    it('does not trim: spaces count', () => {
      expect(checkPasswordPolicy('  xK9#m  ', [])).toBeNull();
    });
  });

  describe('common passwords', () => {
    it.each(['password123', 'Password', 'PASSWORD', 'iloveyou', '12345678', 'qwertyuiop', 'ｐａｓｓｗｏｒｄ'])('refuses %s', (password) => {
      expect(checkPasswordPolicy(password, [])).toBe('common');
    });

    it('accepts passwords that only contain a common one', () => {
      expect(checkPasswordPolicy('password123-but-longer-and-mine', [])).toBeNull();
    });
  });

  describe('equal to an identifier', () => {
    it('refuses the username, case-insensitively', () => {
      expect(checkPasswordPolicy('alice.smith', ['alice.smith'])).toBe('equals_identifier');
      expect(checkPasswordPolicy('Alice.Smith', ['alice.smith'])).toBe('equals_identifier');
    });

    it('refuses the email or phone, whole value only', () => {
      const identifiers = ['bob.builder', 'bob@example.com', '+84901234567'];
      expect(checkPasswordPolicy('BOB@example.com', identifiers)).toBe('equals_identifier');
      expect(checkPasswordPolicy('+84901234567', identifiers)).toBe('equals_identifier');
      expect(checkPasswordPolicy('bob@example.com!', identifiers)).toBeNull();
    });

    it('compares after NFKC, as identifiers are stored', () => {
      expect(checkPasswordPolicy('ａｌｉｃｅ．ｓｍｉｔｈ', ['alice.smith'])).toBe('equals_identifier');
    });

    it('prefers equals_identifier over common when both apply', () => {
      expect(checkPasswordPolicy('password123', ['password123'])).toBe('equals_identifier');
    });

    it('ignores empty identifier values and other accounts', () => {
      expect(checkPasswordPolicy('unique-Passphrase-9', ['', 'carol'])).toBeNull();
    });
  });
});
