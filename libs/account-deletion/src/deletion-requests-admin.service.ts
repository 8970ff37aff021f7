import { Injectable } from '@nestjs/common';
import { ApiException } from '@app/core';
import { AppConfig } from '@app/config';
import { CursorCodec } from '@app/graphql';
import { DeletionRequestsRepository, toModel } from './deletion-requests.repository';
import { DeletionRequestStatus } from './models/account-deletion-request.model';
import { AccountDeletionRequestConnectionModel } from './models/deletion-request-connection.model';

/** Admin view of deletion requests: opaque, tamper-evident cursors, 1–100 per page. */
@Injectable()
export class DeletionRequestsAdminService {
  private readonly cursors: CursorCodec;

  constructor(
    private readonly requests: DeletionRequestsRepository,
    config: AppConfig,
  ) {
    this.cursors = new CursorCodec(config.otpHashKey);
  }

  async list(status: DeletionRequestStatus | null, first: number, after: string | null): Promise<AccountDeletionRequestConnectionModel> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw ApiException.badInput('first', 'invalid');
    const key = after ? (this.cursors.decode(after, 2) as [string, string]) : null;
    const rows = await this.requests.page(status, first + 1, key);
    const edges = rows.slice(0, first).map(({ row, key: k }) => ({ cursor: this.cursors.encode([k, row.id]), node: toModel(row) }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}
