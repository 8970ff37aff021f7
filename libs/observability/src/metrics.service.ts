import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The contract's series (Observability), plus Node's defaults. Purposes and channels lower-case. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly otpSent = new Counter({
    name: 'gatehouse_otp_sent_total',
    help: 'One-time codes issued, by purpose, channel and outcome (queued, cooldown, rate_limited); a decoy counts as a real request.',
    labelNames: ['purpose', 'channel', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly otpVerifications = new Counter({
    name: 'gatehouse_otp_verifications_total',
    help: 'Code submissions by purpose and result (success, invalid, expired, max_attempts).',
    labelNames: ['purpose', 'result'] as const,
    registers: [this.registry],
  });

  readonly signIns = new Counter({
    name: 'gatehouse_sign_ins_total',
    help: 'Sign-in attempts by result.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly passwordResets = new Counter({ name: 'gatehouse_password_resets_total', help: 'Completed password resets.', registers: [this.registry] });

  readonly accountsErased = new Counter({ name: 'gatehouse_accounts_erased_total', help: 'Accounts erased by the deletion job.', registers: [this.registry] });

  readonly outboxPending = new Gauge({
    name: 'gatehouse_outbox_pending',
    help: 'Messages waiting in the outbox (PENDING or SENDING), as of the last sweep.',
    registers: [this.registry],
  });

  readonly outboxDeliveries = new Counter({
    name: 'gatehouse_outbox_deliveries_total',
    help: 'Outbox delivery attempts by kind (email, sms, webhook) and result (sent, retried, failed, dropped).',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });

  readonly securityEvents = new Counter({
    name: 'gatehouse_security_events_total',
    help: 'Security events recorded (committed), by type (lower case).',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly sessionsRefreshed = new Counter({
    name: 'gatehouse_sessions_refreshed_total',
    help: 'refreshSession calls by result (success, expired, reused, revoked, invalid, rate_limited).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly secondFactor = new Counter({
    name: 'gatehouse_second_factor_total',
    help: 'Second-factor events by method (totp, email, sms, recovery_code) and result (success, invalid, max_attempts, enabled, disabled, regenerated, reset).',
    labelNames: ['method', 'result'] as const,
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: 'gatehouse_graphql_request_duration_seconds',
    help: 'GraphQL request latency by operation name.',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
