import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { EntitySubscriberInterface, QueryRunner } from 'typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ComposedStatement } from '@app/database';
import { ApiException } from '@app/core';
import { AppConfig } from '@app/config';
import { CursorCodec } from '@app/graphql';
import { MetricsService } from '@app/observability';
import { currentClient } from '@app/rate-limit';
import { SecurityEventConnectionModel, SecurityEventFilter, SecurityEventModel } from './security-event.models';
import { SecurityEventType } from './security-event-type';
import { NewSecurityEvent, SecurityEventRow, SecurityEventsRepository } from './security-events.repository';

export interface SecurityEventInput {
  type: SecurityEventType;
  accountId: string | null;
  /** The ADMIN who acted. */
  actorId?: string | null;
  sessionId?: string | null;
  /** A result, an identifier type, a method, an admin's reason: cut to 200 characters. */
  detail?: string | null;
  /** Facts for listeners (webhooks) that are not stored with the event, e.g. the new status. */
  data?: Record<string, string>;
  /** false: no ip / user agent (an erasure run from an admin's request is not the person's). */
  withClient?: boolean;
}

/**
 * Runs inside the transaction that records the event (webhooks are enqueued this way: the
 * notifications library subscribes, so an event and its webhook commit or roll back together
 * without this library knowing about the outbox).
 */
export type SecurityEventListener = (manager: EntityManager, event: SecurityEventInput) => Promise<void>;

const COUNTED = 'gatehouseSecurityEventsCounted';

/**
 * Security events (contract: Security events). `record` writes with the caller's EntityManager,
 * so a rolled-back change leaves no event. `recordDetached` is for sign-in failures, which
 * change nothing: they are written after the answer, batched, so a known identifier's wrong
 * password costs no more on the response path than an unknown one's.
 */
@Injectable()
export class SecurityEventsService implements OnApplicationShutdown {
  private readonly logger = new Logger('SecurityEvents');
  private readonly cursors: CursorCodec;
  /** GATEHOUSE_TEST_FAULT's `security-event:<TYPE>` entries (comma-separated; NODE_ENV=test only). */
  private readonly faultyTypes: ReadonlySet<string>;
  private readonly listeners: SecurityEventListener[] = [];
  private pending: NewSecurityEvent[] = [];
  private flushing?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SecurityEventsRepository,
    private readonly metrics: MetricsService,
    config: AppConfig,
  ) {
    this.cursors = new CursorCodec(config.otpHashKey);
    this.faultyTypes = new Set([...config.testFaults].filter((f) => f.startsWith('security-event:')).map((f) => f.slice('security-event:'.length)));
    dataSource.subscribers.push(this.countOnCommit());
  }

  subscribe(listener: SecurityEventListener): void {
    this.listeners.push(listener);
  }

  async record(manager: EntityManager, input: SecurityEventInput): Promise<void> {
    await this.recordMany(manager, [input]);
  }

  /** Several events in one statement (a batch of erasures), inside the caller's transaction. */
  async recordMany(manager: EntityManager, inputs: SecurityEventInput[]): Promise<void> {
    await this.repository.insert(
      manager,
      inputs.map((i) => this.row(i)),
    );
    for (const input of inputs) await this.recorded(manager, input);
  }

  /**
   * The event as one more CTE of the caller's composed statement (issue 21): one event per row of
   * `from`, for the row's `account_id`, with the row's `detailColumn` as detail. Listeners
   * (webhooks) write statements of their own: when `needsTransaction(type)`, run the statement in a
   * transaction and call `recorded` for each event it wrote, before the commit.
   */
  recordPart(s: ComposedStatement, from: string, input: Omit<SecurityEventInput, 'accountId' | 'detail'>, detailColumn: string): string {
    const { type, actorId, sessionId, ip, userAgent } = this.row({ ...input, accountId: null });
    return this.repository.insertPart(s, 'event', from, { type, actorId, sessionId, ip, userAgent }, detailColumn);
  }

  /** Whether an event of this type must be written inside a transaction (its listeners write; a test fault rolls it back). */
  needsTransaction(type: SecurityEventType): boolean {
    return this.listeners.length > 0 || this.faultyTypes.has(type);
  }

  /** After an event was written (`record`, or a composed statement's `recordPart`): its listeners, and the count. */
  async recorded(manager: EntityManager, input: SecurityEventInput): Promise<void> {
    for (const listener of this.listeners) await listener(manager, input);
    this.count(manager.queryRunner, input.type);
    // GATEHOUSE_TEST_FAULT=security-event:<TYPE>[,…] (NODE_ENV=test only): the change fails after its
    // event was written, so a test can prove that both roll back together.
    if (this.faultyTypes.has(input.type)) throw new Error(`injected fault after ${input.type}`);
  }

  /** Off the response path (sign-in failures): queued and written in one batch right after. */
  recordDetached(inputs: SecurityEventInput[]): void {
    if (inputs.length === 0) return;
    this.pending.push(...inputs.map((i) => this.row(i)));
    if (!this.flushing) this.flushing = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
  }

  /** Waits for detached events to be written (shutdown, tests of the job). */
  async settle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.settle();
  }

  async list(filter: SecurityEventFilter, first: number, after: string | null | undefined): Promise<SecurityEventConnectionModel> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw ApiException.badInput('first', 'invalid');
    if (filter.accountId && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(filter.accountId)) {
      return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
    }
    const before = after ? (this.cursors.decode(after, 2) as [string, string]) : null;
    if (before && (Number.isNaN(Date.parse(before[0])) || !/^[0-9a-f-]{36}$/i.test(before[1]))) throw ApiException.badInput('after', 'cursor');
    const rows = await this.repository.page({
      accountId: filter.accountId,
      type: filter.type,
      since: filter.since,
      until: filter.until,
      before,
      limit: first + 1,
    });
    const edges = rows.slice(0, first).map((r) => ({ cursor: this.cursors.encode([r.occurred_key, r.id]), node: toModel(r) }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  /** The erasure (inside the job's transaction): types and times stay, ip, user agent and detail go. */
  anonymizeFor(manager: EntityManager, accountIds: string[]): Promise<void> {
    return this.repository.anonymize(manager, accountIds);
  }

  private row(input: SecurityEventInput): NewSecurityEvent {
    const client = input.withClient === false ? { ip: null, userAgent: null } : currentClient();
    return {
      type: input.type,
      accountId: input.accountId,
      actorId: input.actorId ?? null,
      sessionId: input.sessionId ?? null,
      ip: client.ip,
      userAgent: client.userAgent,
      detail: input.detail ? input.detail.slice(0, 200) : null,
    };
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0, 100);
        try {
          await this.repository.insert(this.dataSource, batch);
          for (const e of batch) this.metrics.securityEvents.inc({ type: e.type.toLowerCase() });
        } catch (err) {
          // The database went away: the failures were counted in metrics, the events are lost.
          this.logger.warn(`${batch.length} detached security events could not be written: ${(err as Error).message}`);
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /** Counted once the transaction commits: a rolled-back change counts nothing. */
  private count(runner: QueryRunner | undefined, type: SecurityEventType): void {
    if (!runner?.isTransactionActive) {
      this.metrics.securityEvents.inc({ type: type.toLowerCase() });
      return;
    }
    const data = runner.data as Record<string, unknown>;
    ((data[COUNTED] ??= []) as string[]).push(type);
  }

  private countOnCommit(): EntitySubscriberInterface {
    const take = (runner: QueryRunner): string[] => {
      if (runner.isTransactionActive) return [];
      const data = runner.data as Record<string, unknown>;
      const types = (data[COUNTED] as string[] | undefined) ?? [];
      delete data[COUNTED];
      return types;
    };
    return {
      afterTransactionCommit: (event) => {
        for (const type of take(event.queryRunner)) this.metrics.securityEvents.inc({ type: type.toLowerCase() });
      },
      afterTransactionRollback: (event) => {
        take(event.queryRunner);
      },
    };
  }
}

export function toModel(r: SecurityEventRow): SecurityEventModel {
  return {
    id: r.id,
    type: r.type as SecurityEventType,
    accountId: r.account_id,
    actorId: r.actor_id,
    sessionId: r.session_id,
    occurredAt: new Date(r.occurred_at),
    ip: r.ip,
    userAgent: r.user_agent,
    detail: r.detail,
  };
}
