import Handlebars from 'handlebars';
import { Channel, Locale } from '@app/core';
import { DEFAULT_TEMPLATES, DefaultTemplate, SAMPLE_VARIABLES, TEMPLATE_KEYS } from './default-templates';

const CODE_KEYS = [
  'otp.verify_identifier',
  'otp.link_identifier',
  'otp.change_contact',
  'otp.password_reset',
  'otp.account_deletion',
  'otp.cancel_account_deletion',
  'otp.sign_in',
  'otp.second_factor',
];
const NOTICE_KEYS = [
  'notice.password_changed',
  'notice.identifier_linked',
  'notice.identifier_removed',
  'notice.contact_changed',
  'notice.deletion_scheduled',
  'notice.deletion_cancelled',
  'notice.identifier_in_use',
  'notice.second_factor_enabled',
  'notice.second_factor_disabled',
  'notice.recovery_codes_regenerated',
  'notice.recovery_code_used',
];
const CHANNELS: Channel[] = ['EMAIL', 'SMS'];
const LOCALES: Locale[] = ['en', 'vi'];

const isCodeKey = (key: string) => key.startsWith('otp.');
const label = (t: DefaultTemplate) => `${t.key} ${t.channel} ${t.locale}`;
const sources = (t: DefaultTemplate) => [t.subject, t.body, t.textBody].filter((s): s is string => s !== null);

/** Strict mode: referencing a variable that SAMPLE_VARIABLES lacks throws. */
function render(source: string, vars: Record<string, unknown> = SAMPLE_VARIABLES): string {
  return Handlebars.compile(source, { strict: true })(vars);
}

/** What a delivery test does: the first run of 4–10 digits. */
const firstDigitRun = (text: string) => /\d{4,10}/.exec(text)?.[0];

const templates = DEFAULT_TEMPLATES.map((t) => [label(t), t] as const);
const emailTemplates = templates.filter(([, t]) => t.channel === 'EMAIL');
const smsTemplates = templates.filter(([, t]) => t.channel === 'SMS');
const codeEmails = emailTemplates.filter(([, t]) => isCodeKey(t.key));
const codeSms = smsTemplates.filter(([, t]) => isCodeKey(t.key));

describe('catalogue', () => {
  it('lists exactly the 19 keys', () => {
    expect([...TEMPLATE_KEYS].sort()).toEqual([...CODE_KEYS, ...NOTICE_KEYS].sort());
  });

  it('has 76 templates, one per key × channel × locale', () => {
    expect(DEFAULT_TEMPLATES).toHaveLength(76);
    const seen = new Set(DEFAULT_TEMPLATES.map(label));
    expect(seen.size).toBe(76);
    for (const key of TEMPLATE_KEYS) {
      for (const channel of CHANNELS) {
        for (const locale of LOCALES) {
          expect(DEFAULT_TEMPLATES.filter((t) => t.key === key && t.channel === channel && t.locale === locale)).toHaveLength(1);
        }
      }
    }
  });

  it('gives EMAIL templates a subject and text body, and SMS templates neither', () => {
    for (const t of DEFAULT_TEMPLATES) {
      if (t.channel === 'EMAIL') {
        expect(typeof t.subject).toBe('string');
        expect(typeof t.textBody).toBe('string');
      } else {
        expect(t.subject).toBeNull();
        expect(t.textBody).toBeNull();
      }
      for (const s of sources(t)) expect(s.trim()).not.toBe('');
    }
  });

  it('provides sample values for every variable', () => {
    expect(SAMPLE_VARIABLES).toEqual({
      code: '123456',
      expiresInMinutes: 10,
      name: 'Alex',
      appName: 'Gatehouse',
      scheduledFor: '2026-12-01 10:00 UTC',
    });
  });
});

describe.each(templates)('%s', (_label, t) => {
  it('compiles and renders with SAMPLE_VARIABLES (strict)', () => {
    for (const s of sources(t)) {
      const out = render(s);
      expect(out).not.toMatch(/\{\{|\}\}/);
      expect(out).toContain('Gatehouse');
    }
  });

  it('never uses triple braces', () => {
    for (const s of sources(t)) expect(s).not.toContain('{{{');
  });

  it('links to nothing', () => {
    for (const s of sources(t)) {
      expect(s).not.toMatch(/https?:\/\//i);
      expect(s).not.toMatch(/<img|<link|<script|<a\s|src=|url\(|@import/i);
    }
  });

  it('uses only the variables of its kind', () => {
    const allowed = isCodeKey(t.key)
      ? ['code', 'expiresInMinutes', 'name', 'appName']
      : ['name', 'appName', ...(t.key.startsWith('notice.deletion_') ? ['scheduledFor'] : [])];
    for (const s of sources(t)) {
      const expressions = [...s.matchAll(/\{\{([^}]*)\}\}/g)].map((m) => m[1].trim());
      const used = expressions.filter((e) => e !== 'else' && e !== '/if').map((e) => e.replace(/^#if\s+/, ''));
      for (const v of used) expect(allowed).toContain(v);
      // Code e-mail bodies use every code variable (code, expiry, greeting, footer).
      if (isCodeKey(t.key) && t.channel === 'EMAIL' && s !== t.subject) expect(new Set(used)).toEqual(new Set(allowed));
    }
  });
});

describe('code templates', () => {
  it.each(codeEmails)('%s: contains the code in the HTML and text bodies', (_l, t) => {
    const html = render(t.body);
    const text = render(t.textBody!);
    expect(html).toContain('123456');
    expect(text).toContain('123456');
    expect(text.split('\n')).toContain('123456');
    expect(firstDigitRun(text)).toBe('123456');
    expect(html).toMatch(/<div style="[^"]*monospace[^"]*">123456<\/div>/);
  });

  it.each(codeEmails.filter(([, t]) => t.locale === 'en'))('%s: states the expiry', (_l, t) => {
    expect(render(t.body)).toContain('This code expires in 10 minutes.');
    expect(render(t.textBody!)).toContain('This code expires in 10 minutes.');
  });

  it.each(codeEmails.filter(([, t]) => t.locale === 'vi'))('%s: states the expiry', (_l, t) => {
    expect(render(t.textBody!)).toContain('Mã này sẽ hết hạn sau 10 phút.');
  });

  it.each(codeSms)('%s: the code is the first long digit run', (_l, t) => {
    const out = render(t.body);
    expect(firstDigitRun(out)).toBe('123456');
    expect(out).toContain('10');
  });

  it('keeps the code on its own line even with a digit-bearing name', () => {
    const t = DEFAULT_TEMPLATES.find((x) => x.key === 'otp.password_reset' && x.channel === 'EMAIL')!;
    const text = render(t.textBody!, { ...SAMPLE_VARIABLES, code: '987654' });
    expect(text.split('\n')).toContain('987654');
  });
});

describe('email layout', () => {
  it.each(emailTemplates)('%s: greets by name and signs with the app name', (_l, t) => {
    expect(t.body).toContain('{{name}}');
    expect(t.textBody).toContain('{{name}}');
    const html = render(t.body);
    const text = render(t.textBody!);
    expect(html).toContain('Alex,');
    expect(text).toContain('Alex,');
    expect(html).toContain('— Gatehouse');
    expect(text.trimEnd().endsWith('— Gatehouse')).toBe(true);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain(`lang="${t.locale}"`);
    expect(html).toContain('<meta charset="utf-8">');
  });

  it.each(emailTemplates)('%s: escapes a hostile name in the HTML body', (_l, t) => {
    const html = render(t.body, { ...SAMPLE_VARIABLES, name: '<script>alert(1)</script>' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it.each(emailTemplates)('%s: still greets politely without a name', (_l, t) => {
    const text = render(t.textBody!, { ...SAMPLE_VARIABLES, name: '' });
    expect(text.split('\n')[0]).toBe(t.locale === 'en' ? 'Hi,' : 'Xin chào,');
  });

  it.each(emailTemplates)('%s: the text body has no markup', (_l, t) => {
    expect(t.textBody).not.toMatch(/<[a-z/!]/i);
    expect(t.textBody).not.toMatch(/&(amp|lt|gt|quot);/);
  });
});

describe('SMS', () => {
  const longAppName = 'Gatehouse Identity X'; // 20 characters
  const longVars = { ...SAMPLE_VARIABLES, appName: longAppName };

  it('uses a 20-character app name for the length checks', () => {
    expect(longAppName).toHaveLength(20);
  });

  it.each(smsTemplates.filter(([, t]) => t.locale === 'en'))('%s: ASCII-only and at most 160 characters', (_l, t) => {
    const out = render(t.body, longVars);
    expect(out.length).toBeLessThanOrEqual(160);
    expect(out).toMatch(/^[\x20-\x7e]*$/);
  });

  it.each(smsTemplates.filter(([, t]) => t.locale === 'vi'))('%s: short, at most 160 characters', (_l, t) => {
    expect(render(t.body, longVars).length).toBeLessThanOrEqual(160);
  });

  it.each(smsTemplates)('%s: single line, starts with the app name', (_l, t) => {
    const out = render(t.body);
    expect(out).not.toContain('\n');
    expect(out.startsWith('Gatehouse: ')).toBe(true);
  });
});

describe('Vietnamese copy', () => {
  it.each(templates.filter(([, t]) => t.locale === 'vi'))('%s: is actually Vietnamese', (_l, t) => {
    const en = DEFAULT_TEMPLATES.find((x) => x.key === t.key && x.channel === t.channel && x.locale === 'en')!;
    expect(t.body).not.toBe(en.body);
    expect(t.body).toMatch(/[ăâđêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵ]/i);
    if (t.subject) expect(t.subject).toMatch(/[ăâđêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵ]/i);
  });

  it('is NFC-normalised', () => {
    for (const t of DEFAULT_TEMPLATES) for (const s of sources(t)) expect(s).toBe(s.normalize('NFC'));
  });
});

describe('notices', () => {
  it.each(templates.filter(([, t]) => t.key === 'notice.deletion_scheduled'))('%s: gives the date and how to cancel', (_l, t) => {
    const out = render(t.textBody ?? t.body);
    expect(out.split('2026-12-01 10:00 UTC').length - 1).toBeGreaterThanOrEqual(1);
    expect(out).toMatch(t.locale === 'en' ? /Cancel deletion/ : /Hủy xóa tài khoản/);
  });

  it.each(templates.filter(([, t]) => t.key === 'notice.password_changed'))('%s: tells the user to act if it was not them', (_l, t) => {
    const out = render(t.textBody ?? t.body);
    expect(out).toMatch(t.locale === 'en' ? /reset your password/ : /đặt lại mật khẩu/);
    expect(out).toMatch(t.locale === 'en' ? /support/ : /hỗ trợ/);
  });

  it.each(templates.filter(([, t]) => !isCodeKey(t.key)))('%s: carries no code', (_l, t) => {
    for (const s of sources(t)) expect(s).not.toContain('{{code}}');
  });
});
