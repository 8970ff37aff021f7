import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isLocale, type Locale, LOCALES } from '@app/core';

/**
 * The typed configuration of the service. Built once at boot from the environment
 * (contract: Configuration); nothing else in the code base reads `process.env`.
 */
export interface AppConfigValues {
  nodeEnv: string;
  isProduction: boolean;
  http: { port: number; host: string; trustProxy: boolean };
  /** prepareStatements: hot statements run as prepared statements (off behind a pooler that cannot keep them). */
  database: { url?: string; dataDir: string; poolSize: number; prepareStatements: boolean };
  jwt: { secret: string; accessTokenTtlSeconds: number; issuer: string; audience: string };
  /** Server-side key for HMAC of one-time codes and reset tokens (derived from JWT_SECRET unless OTP_HASH_KEY is set). */
  otpHashKey: string;
  bcryptCost: number;
  /**
   * Hashes on libuv's thread pool at once (UV_THREADPOOL_SIZE − 1, at least 1): one thread stays
   * free for what else uses the pool (crypto.subtle for the database driver's SCRAM handshake,
   * dns.lookup, fs), which would otherwise wait behind every queued hash.
   */
  hashConcurrency: number;
  mail: { smtpUrl?: string; from: string };
  sms: { webhookUrl?: string };
  redisUrl?: string;
  otp: {
    length: number;
    ttlSeconds: number;
    maxAttempts: number;
    resendCooldownSeconds: number;
    maxSendsPerHour: number;
  };
  signupRequiredIdentifiers: Array<'username' | 'email' | 'phone'>;
  defaultPhoneRegion: string;
  defaultLocale: Locale;
  deletion: { graceDays: number; jobCron: string | null };
  admin: { username?: string; password?: string };
  graphql: { playground: boolean; schemaFile?: string };
  logLevel: string;
  /**
   * Human-readable logs (pino-pretty, a devDependency) instead of JSON lines: never in production
   * or tests; LOG_PRETTY forces it on or off, else 'tty' (when stdout is a terminal).
   */
  logPretty: boolean | 'tty';
  appName: string;
  /** GraphQL root fields per IP per minute; 0 turns this coarse limit off (benchmarks). */
  rateLimit: { perIpPerMinute: number };
  /** Test-only fault injection points, GATEHOUSE_TEST_FAULT split at commas (honoured only when NODE_ENV=test). */
  testFaults: ReadonlySet<string>;
  /** Contract: Sessions. */
  sessions: { ttlSeconds: number; idleTtlSeconds: number; refreshReuseSeconds: number; maxPerAccount: number; refreshPerMinute: number };
  /** Contract: Sign-in, Sign-in by code. */
  signIn: { identifiers: Array<'USERNAME' | 'EMAIL' | 'PHONE'>; withCode: boolean };
  /** Contract: Second factor. */
  secondFactor: { requiredRoles: string[] };
  /** AES-256-GCM keys for secrets at rest (TOTP): the current one encrypts, every one decrypts. */
  secrets: { current: SecretKey; all: SecretKey[] };
  /** Contract: Webhooks (the secret is the raw key bytes decoded from `whsec_…`). */
  webhook: { url?: string; secret?: Buffer };
  securityEventRetentionDays: number;
  maintenance: { jobCron: string | null };
  metricsToken?: string;
  /** Code sends per client IP (/64) and channel per hour (0 = off); all SMS of the deployment per hour. */
  abuse: { otpSendsPerIpPerHour: number; smsMaxPerHour?: number };
  client: { returnOrigins: string[] };
}

/** One key of SECRETS_ENCRYPTION_KEY / SECRETS_ENCRYPTION_OLD_KEYS: 32 bytes and a short id stored with each ciphertext. */
export interface SecretKey {
  id: string;
  key: Buffer;
}

export class ConfigError extends Error {
  constructor(
    public readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function int(env: Env, name: string, dflt: number, min: number, max: number): number {
  const raw = str(env, name);
  if (raw === undefined) return dflt;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: Env, name: string, dflt: boolean): boolean {
  const raw = str(env, name);
  if (raw === undefined) return dflt;
  const v = raw.toLowerCase();
  if (['1', 'true', 'on', 'yes'].includes(v)) return true;
  if (['0', 'false', 'off', 'no'].includes(v)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be a URL');
  }
  if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
    throw new ConfigError(name, `must use one of ${protocols.join(', ')}`);
  }
  return raw;
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `1h`, `15m`, `900s`, `900` → seconds. */
export function parseDuration(name: string, raw: string, maxDays = 30): number {
  const m = /^(\d+)\s*([smhd]?)$/.exec(raw.trim());
  if (!m) throw new ConfigError(name, `must be a duration like 900, 15m, 1h or 7d, got "${raw}"`);
  const seconds = Number(m[1]) * DURATION_UNITS[m[2] || 's'];
  if (seconds < 1 || seconds > maxDays * 86400) throw new ConfigError(name, `must be between 1s and ${maxDays}d`);
  return seconds;
}

function duration(env: Env, name: string, dflt: string, maxDays = 30): number {
  return parseDuration(name, str(env, name) ?? dflt, maxDays);
}

function list(env: Env, name: string, dflt: string): string[] {
  return (str(env, name) ?? dflt)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A secret key from its text: 64 hex digits are taken as the bytes, anything else (≥ 32 bytes) is hashed to 32. */
function secretKey(name: string, raw: string): SecretKey {
  if (Buffer.byteLength(raw) < 32) throw new ConfigError(name, 'must be at least 32 bytes');
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : createHash('sha256').update(raw, 'utf8').digest();
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

function webhookSecret(raw: string | undefined): Buffer | undefined {
  if (raw === undefined) return undefined;
  const b64 = raw.startsWith('whsec_') ? raw.slice('whsec_'.length) : raw;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new ConfigError('WEBHOOK_SECRET', 'must be whsec_ followed by base64');
  const key = Buffer.from(b64, 'base64');
  if (key.length < 24 || key.length > 64) throw new ConfigError('WEBHOOK_SECRET', 'must hold 24 to 64 bytes (whsec_ + base64)');
  return key;
}

function origins(env: Env, name: string): string[] {
  return list(env, name, '').map((o) => {
    let u: URL;
    try {
      u = new URL(o);
    } catch {
      throw new ConfigError(name, `must list origins like https://shop.example.com, got "${o}"`);
    }
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.origin !== o.replace(/\/$/, '')) {
      throw new ConfigError(name, `must list exact origins (scheme://host[:port]), got "${o}"`);
    }
    return u.origin;
  });
}

const CRON_FIELD = /^[\d*/,\-?LW#A-Za-z]+$/;

function cron(env: Env, name: string, dflt: string): string | null {
  const raw = str(env, name) ?? dflt;
  if (raw.toLowerCase() === 'off') return null;
  const fields = raw.split(/\s+/);
  if ((fields.length !== 5 && fields.length !== 6) || !fields.every((f) => CRON_FIELD.test(f))) {
    throw new ConfigError(name, `must be a cron expression (5 or 6 fields) or "off", got "${raw}"`);
  }
  return raw;
}

/** In development the JWT secret is generated once and kept in DATA_DIR so tokens survive restarts. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  return readFileSync(file, 'utf8').trim();
}

export function loadConfig(env: Env): AppConfigValues {
  const nodeEnv = str(env, 'NODE_ENV') ?? 'development';
  const isProduction = nodeEnv === 'production';
  const dataDir = resolve(str(env, 'DATA_DIR') ?? './data');
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres', 'postgresql']);

  let jwtSecret = str(env, 'JWT_SECRET');
  if (jwtSecret !== undefined && Buffer.byteLength(jwtSecret) < 32) {
    throw new ConfigError('JWT_SECRET', 'must be at least 32 bytes');
  }
  if (jwtSecret === undefined) {
    if (isProduction) throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production (at least 32 bytes)');
    jwtSecret = developmentSecret(dataDir);
  }
  const otpHashKey = str(env, 'OTP_HASH_KEY');
  if (otpHashKey !== undefined && Buffer.byteLength(otpHashKey) < 32) {
    throw new ConfigError('OTP_HASH_KEY', 'must be at least 32 bytes');
  }

  const required = (str(env, 'SIGNUP_REQUIRED_IDENTIFIERS') ?? 'username')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (required.length === 0) throw new ConfigError('SIGNUP_REQUIRED_IDENTIFIERS', 'must name at least one identifier');
  for (const r of required) {
    if (!['username', 'email', 'phone'].includes(r)) {
      throw new ConfigError('SIGNUP_REQUIRED_IDENTIFIERS', `may only list username, email, phone; got "${r}"`);
    }
  }

  const region = (str(env, 'DEFAULT_PHONE_REGION') ?? 'VN').toUpperCase();
  if (!/^[A-Z]{2}$/.test(region)) throw new ConfigError('DEFAULT_PHONE_REGION', 'must be a two-letter region code');

  const locale = (str(env, 'DEFAULT_LOCALE') ?? 'en').toLowerCase();
  if (!isLocale(locale)) throw new ConfigError('DEFAULT_LOCALE', `must be one of ${LOCALES.join(', ')}`);

  const graceRaw = str(env, 'DELETION_GRACE_DAYS') ?? '7';
  const graceDays = Number(graceRaw);
  if (!/^\d+(\.\d+)?$/.test(graceRaw) || !Number.isFinite(graceDays) || graceDays > 3650) {
    throw new ConfigError('DELETION_GRACE_DAYS', `must be a number of days from 0 to 3650, got "${graceRaw}"`);
  }

  const mailFrom = str(env, 'MAIL_FROM') ?? 'no-reply@localhost';
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(mailFrom) && !/<[^\s@<>]+@[^\s@<>]+>$/.test(mailFrom)) {
    throw new ConfigError('MAIL_FROM', 'must be an e-mail address');
  }

  const adminUsername = str(env, 'ADMIN_USERNAME');
  const adminPassword = env.ADMIN_PASSWORD === undefined || env.ADMIN_PASSWORD === '' ? undefined : env.ADMIN_PASSWORD;
  if ((adminUsername === undefined) !== (adminPassword === undefined)) {
    throw new ConfigError(adminUsername ? 'ADMIN_PASSWORD' : 'ADMIN_USERNAME', 'must be set together with its pair');
  }

  const host = str(env, 'HOST') ?? '0.0.0.0';

  const signInIdentifiers = list(env, 'SIGN_IN_IDENTIFIERS', 'username,email,phone').map((t) => t.toUpperCase());
  if (signInIdentifiers.length === 0 || signInIdentifiers.some((t) => !['USERNAME', 'EMAIL', 'PHONE'].includes(t))) {
    throw new ConfigError('SIGN_IN_IDENTIFIERS', 'must be a comma list of username, email, phone');
  }
  const roles = ['OWNER', 'ADMIN', 'EMPLOYEE', 'CASHIER', 'CUSTOMER'];
  const requiredRoles = list(env, 'SECOND_FACTOR_REQUIRED_ROLES', '').map((r) => r.toUpperCase());
  const badRole = requiredRoles.find((r) => !roles.includes(r));
  if (badRole) throw new ConfigError('SECOND_FACTOR_REQUIRED_ROLES', `may only list ${roles.join(', ')}; got "${badRole}"`);

  const secretsRaw = str(env, 'SECRETS_ENCRYPTION_KEY');
  if (secretsRaw === undefined && isProduction) throw new ConfigError('SECRETS_ENCRYPTION_KEY', 'is required when NODE_ENV=production (at least 32 bytes)');
  const currentSecret = secretKey('SECRETS_ENCRYPTION_KEY', secretsRaw ?? `secrets:${jwtSecret}`);
  const oldSecrets = list(env, 'SECRETS_ENCRYPTION_OLD_KEYS', '').map((k) => secretKey('SECRETS_ENCRYPTION_OLD_KEYS', k));

  const webhookUrl = url(env, 'WEBHOOK_URL', ['http', 'https']);
  const webhookKey = webhookSecret(str(env, 'WEBHOOK_SECRET'));
  if (webhookUrl && !webhookKey) throw new ConfigError('WEBHOOK_SECRET', 'is required with WEBHOOK_URL (whsec_ + base64)');

  const smsMax = str(env, 'SMS_MAX_PER_HOUR') === undefined ? undefined : int(env, 'SMS_MAX_PER_HOUR', 0, 0, 10_000_000);

  return {
    nodeEnv,
    isProduction,
    http: { port: int(env, 'PORT', 3000, 0, 65535), host, trustProxy: bool(env, 'TRUST_PROXY', false) },
    database: {
      url: databaseUrl,
      dataDir,
      poolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
      prepareStatements: bool(env, 'DATABASE_PREPARED_STATEMENTS', true),
    },
    jwt: {
      secret: jwtSecret,
      accessTokenTtlSeconds: duration(env, 'ACCESS_TOKEN_TTL', '15m'),
      issuer: 'gatehouse',
      audience: 'gatehouse',
    },
    otpHashKey: otpHashKey ?? `otp:${jwtSecret}`,
    bcryptCost: int(env, 'BCRYPT_COST', 12, 4, 15),
    // libuv's own variable (default 4, at most 1024): read here so the rest of the code base never reads process.env.
    hashConcurrency: Math.max(1, int(env, 'UV_THREADPOOL_SIZE', 4, 1, 1024) - 1),
    mail: { smtpUrl: url(env, 'SMTP_URL', ['smtp', 'smtps']), from: mailFrom },
    sms: { webhookUrl: url(env, 'SMS_WEBHOOK_URL', ['http', 'https']) },
    redisUrl: url(env, 'REDIS_URL', ['redis', 'rediss']),
    otp: {
      length: int(env, 'OTP_LENGTH', 6, 4, 10),
      ttlSeconds: int(env, 'OTP_TTL_SECONDS', 600, 1, 86400),
      maxAttempts: int(env, 'OTP_MAX_ATTEMPTS', 5, 1, 100),
      resendCooldownSeconds: int(env, 'OTP_RESEND_COOLDOWN_SECONDS', 60, 0, 86400),
      maxSendsPerHour: int(env, 'OTP_MAX_SENDS_PER_HOUR', 5, 1, 10000),
    },
    signupRequiredIdentifiers: [...new Set(required)] as Array<'username' | 'email' | 'phone'>,
    defaultPhoneRegion: region,
    defaultLocale: locale,
    deletion: { graceDays, jobCron: cron(env, 'DELETION_JOB_CRON', '0 * * * * *') },
    admin: { username: adminUsername, password: adminPassword },
    graphql: {
      playground: bool(env, 'GRAPHQL_PLAYGROUND', !isProduction),
      schemaFile: str(env, 'GRAPHQL_SCHEMA_FILE'),
    },
    logLevel: str(env, 'LOG_LEVEL') ?? (nodeEnv === 'test' ? 'warn' : 'info'),
    logPretty: isProduction || nodeEnv === 'test' ? false : str(env, 'LOG_PRETTY') === undefined ? 'tty' : bool(env, 'LOG_PRETTY', false),
    appName: str(env, 'APP_NAME') ?? 'Gatehouse',
    rateLimit: { perIpPerMinute: int(env, 'RATE_LIMIT_IP_PER_MINUTE', 600, 0, 1_000_000) },
    testFaults: new Set(
      nodeEnv === 'test'
        ? (str(env, 'GATEHOUSE_TEST_FAULT') ?? '')
            .split(',')
            .map((f) => f.trim())
            .filter(Boolean)
        : [],
    ),
    sessions: {
      ttlSeconds: duration(env, 'SESSION_TTL', '30d', 366),
      idleTtlSeconds: duration(env, 'SESSION_IDLE_TTL', '7d', 366),
      refreshReuseSeconds: int(env, 'REFRESH_TOKEN_REUSE_SECONDS', 10, 0, 300),
      maxPerAccount: 50,
      refreshPerMinute: 60,
    },
    signIn: { identifiers: signInIdentifiers as Array<'USERNAME' | 'EMAIL' | 'PHONE'>, withCode: bool(env, 'SIGN_IN_WITH_CODE', true) },
    secondFactor: { requiredRoles },
    secrets: { current: currentSecret, all: [currentSecret, ...oldSecrets] },
    webhook: { url: webhookUrl, secret: webhookKey },
    securityEventRetentionDays: int(env, 'SECURITY_EVENT_RETENTION_DAYS', 365, 1, 36500),
    maintenance: { jobCron: cron(env, 'MAINTENANCE_JOB_CRON', '0 17 * * * *') },
    metricsToken: str(env, 'METRICS_TOKEN'),
    abuse: { otpSendsPerIpPerHour: int(env, 'OTP_MAX_SENDS_PER_IP_PER_HOUR', 20, 0, 1_000_000), smsMaxPerHour: smsMax },
    client: { returnOrigins: origins(env, 'CLIENT_RETURN_ORIGINS') },
  };
}
