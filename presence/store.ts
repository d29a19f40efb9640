/**
 * The presence grader's one database file: `presence_audits` rows, each tenant's own (every
 * statement names the tenant). The API inserts a row and starts its workflow; the workflow's
 * activities move its stage and store the report (or the reason it failed).
 */
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AuditStage, AuditReport, Grade, ModuleProgress, PresenceProfiles } from '../core/presence/types';
import { presenceAuditWorkflowId } from '../core/ids';
import { systemEm } from '../db/orm';

export interface AuditRow {
  id: string;
  tenantId: string;
  url: string;
  profiles: PresenceProfiles;
  brandVoiceId: string | null;
  workflowId: string;
  status: 'running' | 'completed' | 'failed';
  stage: AuditStage;
  overall: number | null;
  grade: Grade | null;
  report: AuditReport | null;
  error: string | null;
  /** Modules that ended while the audit runs (the activity writes each as it ends). */
  moduleProgress: Record<string, Omit<ModuleProgress, 'id'>>;
  createdBy: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

interface Raw {
  id: string;
  tenant_id: string;
  url: string;
  profiles: PresenceProfiles;
  brand_voice_id: string | null;
  workflow_id: string;
  status: AuditRow['status'];
  stage: AuditStage;
  overall: number | null;
  grade: Grade | null;
  report: AuditReport | null;
  error: string | null;
  module_progress: Record<string, Omit<ModuleProgress, 'id'>> | null;
  created_by: string | null;
  created_at: Date | string;
  completed_at: Date | string | null;
}

const COLUMNS = 'id, tenant_id, url, profiles, brand_voice_id, workflow_id, status, stage, overall, grade, report, error, module_progress, created_by, created_at, completed_at';
const SUMMARY_COLUMNS = COLUMNS.replace('report, ', 'null as report, ');

const rowOf = (r: Raw): AuditRow => ({
  id: r.id,
  tenantId: r.tenant_id,
  url: r.url,
  profiles: r.profiles ?? {},
  brandVoiceId: r.brand_voice_id,
  workflowId: r.workflow_id,
  status: r.status,
  stage: r.stage,
  overall: r.overall,
  grade: r.grade,
  report: r.report,
  error: r.error,
  moduleProgress: r.module_progress ?? {},
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
  completedAt: r.completed_at ? new Date(r.completed_at) : null,
});

export function presenceStore(orm: MikroORM) {
  const run = <T>(sql: string, params: unknown[] = []) => systemEm(orm).getConnection().execute(sql, params, 'all') as Promise<T>;
  return {
    /** A new audit's row (running, queued) with its workflow id. */
    async insert(input: { tenantId: string; url: string; profiles: PresenceProfiles; brandVoiceId: string | null; createdBy: string | null }): Promise<AuditRow> {
      const id = randomUUID();
      const [row] = await run<Raw[]>(
        `insert into presence_audits (id, tenant_id, url, profiles, brand_voice_id, workflow_id, created_by) values (?, ?, ?, ?::jsonb, ?, ?, ?) returning ${COLUMNS}`,
        [id, input.tenantId, input.url, JSON.stringify(input.profiles), input.brandVoiceId, presenceAuditWorkflowId(input.tenantId, id), input.createdBy],
      );
      return rowOf(row);
    },

    async get(tenantId: string, id: string): Promise<AuditRow | null> {
      const [row] = await run<Raw[]>(`select ${COLUMNS} from presence_audits where tenant_id = ? and id = ?`, [tenantId, id]);
      return row ? rowOf(row) : null;
    },

    /** Newest first (keyset on created_at, id), without the reports. */
    async list(tenantId: string, opts: { url?: string; status?: AuditRow['status']; limit: number; before?: { createdAt: Date; id: string } }): Promise<AuditRow[]> {
      const where = ['tenant_id = ?'];
      const params: unknown[] = [tenantId];
      if (opts.url) where.push('url = ?') && params.push(opts.url);
      if (opts.status) where.push('status = ?') && params.push(opts.status);
      if (opts.before) where.push('(created_at, id) < (?, ?)') && params.push(opts.before.createdAt, opts.before.id);
      const rows = await run<Raw[]>(`select ${SUMMARY_COLUMNS} from presence_audits where ${where.join(' and ')} order by created_at desc, id desc limit ?`, [...params, opts.limit + 1]);
      return rows.map(rowOf);
    },

    async setStage(tenantId: string, id: string, stage: AuditStage): Promise<void> {
      await run(`update presence_audits set stage = ?, updated_at = now() where tenant_id = ? and id = ? and status = 'running'`, [stage, tenantId, id]);
    },

    /** One module ended (done with its number of checks, or failed with why): merged into the row's live progress. */
    async moduleEnded(tenantId: string, id: string, module: string, state: Omit<ModuleProgress, 'id'>): Promise<void> {
      await run(`update presence_audits set module_progress = module_progress || ?::jsonb, updated_at = now() where tenant_id = ? and id = ? and status = 'running'`, [JSON.stringify({ [module]: state }), tenantId, id]);
    },

    /** The report, its score and grade; the row is completed (a retried write stores the same). */
    async complete(tenantId: string, id: string, report: AuditReport): Promise<void> {
      await run(
        `update presence_audits set status = 'completed', stage = 'completed', overall = ?, grade = ?, report = ?::jsonb, error = null, completed_at = coalesce(completed_at, now()), updated_at = now() where tenant_id = ? and id = ?`,
        [report.overall, report.grade, JSON.stringify(report), tenantId, id],
      );
    },

    async fail(tenantId: string, id: string, reason: string): Promise<void> {
      await run(`update presence_audits set status = 'failed', stage = 'failed', error = ?, completed_at = coalesce(completed_at, now()), updated_at = now() where tenant_id = ? and id = ? and status = 'running'`, [reason.slice(0, 2000), tenantId, id]);
    },
  };
}

export type PresenceStore = ReturnType<typeof presenceStore>;
