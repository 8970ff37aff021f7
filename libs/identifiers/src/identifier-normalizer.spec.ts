import {
  detectIdentifierKind,
  maskEmail,
  maskPhone,
  normalizeEmail,
  normalizeIdentifier,
  normalizePhone,
  normalizeUsername,
  NormalizeResult,
} from './identifier-normalizer';

const ok = (value: string): NormalizeResult => ({ ok: true, value });
const failed = (reason: string) => ({ ok: false, reason });

describe('common preparation (every kind)', () => {
  const normalizers = [
    ['username', (raw: string) => normalizeUsername(raw)],
    ['email', (raw: string) => normalizeEmail(raw)],
    ['phone', (raw: string) => normalizePhone(raw, 'VN')],
  ] as const;

  describe.each(normalizers)('%s', (_name, normalize) => {
    it.each(['', '   ', '\t\n', '\u3000'])('refuses empty or whitespace-only %j', (raw) => {
      expect(normalize(raw)).toEqual(failed('empty'));
    });

    it.each([
      ['zero-width space', '\u200B'],
      ['zero-width non-joiner', '\u200C'],
      ['zero-width joiner', '\u200D'],
      ['word joiner', '\u2060'],
      ['byte-order mark', '\uFEFF'],
      ['right-to-left override', '\u202E'],
      ['left-to-right isolate', '\u2066'],
      ['soft hyphen', '\u00AD'],
      ['NUL', '\u0000'],
      ['tab', '\t'],
      ['DEL', '\u007F'],
    ])('refuses a %s in the middle', (_label, char) => {
      expect(normalize(`ab${char}cd@x.com`)).toEqual(failed('invalid_characters'));
    });

    it('refuses a zero-width character at an edge, which trimming must not hide', () => {
      expect(normalize('\uFEFFalice')).toEqual(failed('invalid_characters'));
      expect(normalize('alice\u200B')).toEqual(failed('invalid_characters'));
    });

    it('refuses an unpaired surrogate', () => {
      expect(normalize('ali\uD800ce')).toEqual(failed('invalid_characters'));
    });

    it('refuses a 10 kB string as too_long before any other check', () => {
      expect(normalize('a'.repeat(10 * 1024))).toEqual(failed('too_long'));
      expect(normalize('\u200B'.repeat(10 * 1024))).toEqual(failed('too_long'));
      expect(normalize(' '.repeat(1025))).toEqual(failed('too_long'));
    });
  });
});

describe('normalizeUsername', () => {
  it('lower-cases and trims', () => {
    expect(normalizeUsername('  Alice.Smith_01-x \n')).toEqual(ok('alice.smith_01-x'));
  });

  it('folds full-width characters with NFKC', () => {
    expect(normalizeUsername('ＡＬＩＣＥ１２')).toEqual(ok('alice12'));
  });

  it('accepts exactly 3 and 32 characters', () => {
    expect(normalizeUsername('abc')).toEqual(ok('abc'));
    expect(normalizeUsername('a'.repeat(32))).toEqual(ok('a'.repeat(32)));
  });

  it('refuses 2 characters as invalid_format and 33 as too_long', () => {
    expect(normalizeUsername('ab')).toEqual(failed('invalid_format'));
    expect(normalizeUsername('a'.repeat(33))).toEqual(failed('too_long'));
  });

  it.each(['nguyễn', 'ngụy', 'алиса', 'bob smith', 'bob!', 'bob/x', 'émile', '日本語ユーザー'])('refuses non-ASCII or unlisted characters: %s', (raw) => {
    expect(normalizeUsername(raw)).toEqual(failed('invalid_format'));
  });

  it('refuses a dotted capital I whose lower case is not ASCII', () => {
    expect(normalizeUsername('İlker')).toEqual(failed('invalid_format'));
  });

  it.each(['john@example.com', 'john@', '@john', 'john＠example.com'])('refuses email-shaped %s', (raw) => {
    expect(normalizeUsername(raw)).toEqual(failed('looks_like_email'));
  });

  it.each(['0901234567', '+84901234567', '090 123 4567', '(090) 123-4567', '123', '1234567', '12.34.56.7', '０９０１２３４５６７'])(
    'refuses phone-shaped %s',
    (raw) => {
      expect(normalizeUsername(raw)).toEqual(failed('looks_like_phone'));
    },
  );

  it('accepts digits mixed with letters, and short digit groups with punctuation', () => {
    expect(normalizeUsername('john1990')).toEqual(ok('john1990'));
    expect(normalizeUsername('1.2-3')).toEqual(ok('1.2-3'));
    expect(normalizeUsername('agent007')).toEqual(ok('agent007'));
  });
});

describe('normalizeEmail', () => {
  it('lower-cases the whole address and trims', () => {
    expect(normalizeEmail('  John.Doe+Tag@Example.COM ')).toEqual(ok('john.doe+tag@example.com'));
  });

  it('turns a full-width at sign into @', () => {
    expect(normalizeEmail('john＠example.com')).toEqual(ok('john@example.com'));
  });

  it('accepts RFC atext characters and punycode domains', () => {
    expect(normalizeEmail("o'brien!#$%&*/=?^_`{|}~-@mail.example.co.uk")).toEqual(ok("o'brien!#$%&*/=?^_`{|}~-@mail.example.co.uk"));
    expect(normalizeEmail('a@xn--bcher-kva.example')).toEqual(ok('a@xn--bcher-kva.example'));
    expect(normalizeEmail('a@b.xn--p1ai')).toEqual(ok('a@b.xn--p1ai'));
  });

  it.each(['"john"@example.com', '"john doe"@example.com', '"a@b"@example.com', 'a"b"@example.com'])('refuses the quoted local part %s', (raw) => {
    expect(normalizeEmail(raw)).toEqual(failed('quoted_local_part'));
  });

  it('accepts 254 characters and refuses 255', () => {
    const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(57)}.com`; // 189 chars
    const at254 = `${'l'.repeat(64)}@${domain}`;
    expect(at254).toHaveLength(254);
    expect(normalizeEmail(at254)).toEqual(ok(at254));
    const at255 = `${'l'.repeat(64)}@${domain.replace('.com', '.comx')}`;
    expect(at255).toHaveLength(255);
    expect(normalizeEmail(at255)).toEqual(failed('too_long'));
  });

  it('refuses a local part over 64 characters', () => {
    expect(normalizeEmail(`${'a'.repeat(64)}@example.com`)).toEqual(ok(`${'a'.repeat(64)}@example.com`));
    expect(normalizeEmail(`${'a'.repeat(65)}@example.com`)).toEqual(failed('too_long'));
  });

  it.each([
    ['no @', 'john.example.com'],
    ['two @', 'john@doe@example.com'],
    ['empty local part', '@example.com'],
    ['empty domain', 'john@'],
    ['domain without a dot', 'john@localhost'],
    ['space inside', 'john doe@example.com'],
    ['space before @', 'john @example.com'],
    ['consecutive dots in local', 'john..doe@example.com'],
    ['leading dot in local', '.john@example.com'],
    ['trailing dot in local', 'john.@example.com'],
    ['consecutive dots in domain', 'john@example..com'],
    ['trailing dot in domain', 'john@example.com.'],
    ['leading hyphen in label', 'john@-example.com'],
    ['trailing hyphen in label', 'john@example-.com'],
    ['underscore in domain', 'john@ex_ample.com'],
    ['numeric top-level domain', 'john@1.2.3.4'],
    ['address literal', 'john@[127.0.0.1]'],
    ['one-letter top-level domain', 'john@example.c'],
    ['unicode local part', 'nguyễn@example.com'],
    ['unicode domain', 'john@ví-dụ.vn'],
    ['comment', 'john(comment)@example.com'],
    ['domain label over 63', `john@${'a'.repeat(64)}.com`],
  ])('refuses %s: %s', (_label, raw) => {
    expect(normalizeEmail(raw)).toEqual(failed('invalid_format'));
  });
});

describe('normalizePhone', () => {
  it.each([
    '0901234567',
    '+84 90 123 4567',
    '0084-90-123-4567',
    '(090) 123-4567',
    '090.123.4567',
    '+84901234567',
    '(+84) 90 123 4567',
    '+84 (0) 90 123 4567',
    '０９０１２３４５６７',
    ' 0901234567 ',
  ])('reaches +84901234567 from %j with region VN', (raw) => {
    expect(normalizePhone(raw, 'VN')).toEqual(ok('+84901234567'));
  });

  it('reads a national number with the given default region', () => {
    expect(normalizePhone('(213) 373-4253', 'US')).toEqual(ok('+12133734253'));
    expect(normalizePhone('213-373-4253', 'us')).toEqual(ok('+12133734253'));
    expect(normalizePhone('+1 213 373 4253', 'VN')).toEqual(ok('+12133734253'));
    expect(normalizePhone('0084901234567', 'US')).toEqual(ok('+84901234567'));
  });

  it('accepts only international numbers when the region is unknown', () => {
    expect(normalizePhone('+84901234567', 'XX')).toEqual(ok('+84901234567'));
    expect(normalizePhone('0901234567', 'XX')).toEqual(failed('invalid_format'));
  });

  it.each([
    ['letters', '0901234567a'],
    ['an extension', '0901234567 ext 5'],
    ['an RFC 3966 extension', '0901234567;ext=1'],
    ['a vanity number', '1-800-FLOWERS'],
    ['a hash', '#0901234567'],
    ['a plus in the middle', '090+1234567'],
    ['two plus signs', '++84901234567'],
    ['too few digits', '+8490123'],
    ['too many digits', '090123456789'],
    ['a non-existent country code', '+999 123 456 789'],
    ['punctuation only', '+-()'],
    ['a slash', '090/1234567'],
  ])('refuses %s: %s', (_label, raw) => {
    expect(normalizePhone(raw, 'VN')).toEqual(failed('invalid_format'));
  });

  it('refuses more than 32 characters after trimming', () => {
    const padded = `+84 ${'9'.repeat(10)}`.padEnd(33, ' ') + '1';
    expect(padded.length).toBeGreaterThan(32);
    expect(normalizePhone(padded, 'VN')).toEqual(failed('too_long'));
    expect(normalizePhone(`   ${'0901234567'}${' '.repeat(40)}`, 'VN')).toEqual(ok('+84901234567'));
  });
});

describe('normalizeIdentifier', () => {
  it('dispatches on the kind', () => {
    expect(normalizeIdentifier('USERNAME', 'Alice', 'VN')).toEqual(ok('alice'));
    expect(normalizeIdentifier('EMAIL', 'A@B.CO', 'VN')).toEqual(ok('a@b.co'));
    expect(normalizeIdentifier('PHONE', '0901234567', 'VN')).toEqual(ok('+84901234567'));
    expect(normalizeIdentifier('PHONE', '(213) 373-4253', 'US')).toEqual(ok('+12133734253'));
  });
});

describe('detectIdentifierKind', () => {
  it.each([
    ['john@example.com', 'EMAIL'],
    ['john＠example.com', 'EMAIL'],
    ['@', 'EMAIL'],
    ['0901234567', 'PHONE'],
    ['+84 90 123 4567', 'PHONE'],
    ['0084-90-123-4567', 'PHONE'],
    ['(090) 123-4567', 'PHONE'],
    ['０９０１２３４５６７', 'PHONE'],
    ['123', 'PHONE'],
    ['alice', 'USERNAME'],
    ['agent007', 'USERNAME'],
    ['1.2-3', 'USERNAME'],
    ['  Alice  ', 'USERNAME'],
  ] as const)('%j → %s', (raw, kind) => {
    expect(detectIdentifierKind(raw)).toBe(kind);
  });

  it('routes every phone-shaped username refusal to PHONE', () => {
    for (const raw of ['1234567', '12.34.56.7', '+84901234567', '090 123 4567']) {
      expect(normalizeUsername(raw)).toEqual(failed('looks_like_phone'));
      expect(detectIdentifierKind(raw)).toBe('PHONE');
    }
  });

  it('does not spend work on oversized input', () => {
    expect(detectIdentifierKind('@'.repeat(10 * 1024))).toBe('USERNAME');
  });
});

describe('maskEmail', () => {
  it.each([
    ['john.doe@example.com', 'j***@example.com'],
    ['a@b.co', 'a***@b.co'],
    ['😀x@example.com', '😀***@example.com'],
    ['no-at-sign', '***'],
    ['@example.com', '***'],
  ])('%s → %s', (value, masked) => {
    expect(maskEmail(value)).toBe(masked);
  });

  it('does not reveal the length of the local part', () => {
    expect(maskEmail('a.very.long.local.part@example.com')).toBe('a***@example.com');
  });
});

describe('maskPhone', () => {
  it.each([
    ['+84901234567', '+8490****567'],
    ['+12133734253', '+121****253'],
    ['+442071838750', '+4420****750'],
    ['+85512345', '+855****'],
  ])('%s → %s', (value, masked) => {
    expect(maskPhone(value)).toBe(masked);
  });

  it('never shows the middle digits', () => {
    expect(maskPhone('+84901234567')).not.toContain('1234');
  });
});
