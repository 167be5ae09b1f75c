// Token and cost totals per agent per model, kept as running sums rather than derived from spans because:
// budgets read them on every event (a primary-key lookup instead of a SUM over a growing table), usage also
// comes from sources that produce no span (transcript summaries, CLI cost reports), and spans may be pruned
// for retention while the totals must stay. Callers that record both wrap them in one store transaction.
import type { Connection } from './connection';

export interface TokenCounts {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export interface UsageTotals {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  costUsd: number;
}

export interface UsageRow extends UsageTotals {
  agentId: string;
  model: string;
  updatedAt: number;
}

/** One model request as stored (usage_requests, schema 4): what re-pricing reads. */
export interface UsageRequest {
  readonly agentId: string;
  readonly model: string;
  readonly requestId?: string;
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  /** Cache writes, 5-minute and 1-hour together. */
  readonly cacheWrite: number;
  /** Of cacheWrite, the 1-hour writes. */
  readonly cacheWrite1h: number;
  readonly at: number;
  /** The subagent that made it (schema 6; Claude Code's subagent id), and its type ("Explore") when known. */
  readonly subagent?: string;
  readonly subagentType?: string;
}

interface RequestRecord {
  agent_id: string;
  model: string;
  request_id: string | null;
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
  cache_write_1h: number;
  at: number;
  subagent: string | null;
  subagent_type: string | null;
}

/** Requests of one model: least and greatest total input. */
export interface RequestInputRange {
  readonly model: string;
  readonly min: number;
  readonly max: number;
}

/** Token sums of one agent's requests to one model on one day in one tier (UsageRepo.requestSums). */
export interface RequestSum {
  readonly agentId: string;
  readonly model: string;
  readonly day: number;
  readonly tier: number;
  readonly requests: number;
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  readonly cacheWrite1h: number;
}

interface SumRecord {
  agent_id: string;
  model: string;
  day: number;
  tier: number;
  requests: number;
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
  cache_write_1h: number;
}

const TOTAL_INPUT = '(input + cache_read + cache_write)';

export interface AgentUsageTotals extends UsageTotals {
  agentId: string;
}

interface UsageRecord {
  agent_id: string;
  model: string;
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
  cost_usd: number;
  updated_at: number;
}

const SUMS = `COALESCE(SUM(input), 0) AS input, COALESCE(SUM(output), 0) AS output,
  COALESCE(SUM(cache_read), 0) AS cache_read, COALESCE(SUM(cache_write), 0) AS cache_write,
  COALESCE(SUM(cost_usd), 0) AS cost_usd`;

export class UsageRepo {
  constructor(private readonly db: Connection) {}

  /** Adds to the running totals of (agentId, model); returns the new totals. */
  add(agentId: string, model: string, tokens: TokenCounts, costUsd = 0): UsageRow {
    for (const [field, n] of Object.entries({ ...tokens, costUsd })) {
      if (n !== undefined && (!Number.isFinite(n) || n < 0)) {
        throw new RangeError(`usage.${field} must be a finite number >= 0, got ${String(n)}`);
      }
    }
    const record = this.db.get<UsageRecord>(
      `INSERT INTO usage (agent_id, model, input, output, cache_read, cache_write, cost_usd, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (agent_id, model) DO UPDATE SET input = usage.input + excluded.input,
         output = usage.output + excluded.output, cache_read = usage.cache_read + excluded.cache_read,
         cache_write = usage.cache_write + excluded.cache_write, cost_usd = usage.cost_usd + excluded.cost_usd,
         updated_at = excluded.updated_at
       RETURNING *`,
      agentId,
      model,
      tokens.input ?? 0,
      tokens.output ?? 0,
      tokens.cacheRead ?? 0,
      tokens.cacheWrite ?? 0,
      costUsd,
      this.db.now(),
    );
    return toRow(record!);
  }

  /** Keeps one model request (its tokens, not its price: prices are applied when read, so they can change). */
  addRequest(r: Omit<UsageRequest, 'at'> & { at?: number }): void {
    for (const field of ['input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h'] as const) {
      const n = r[field];
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`usage request.${field} must be an integer >= 0, got ${String(n)}`);
    }
    if (r.cacheWrite1h > r.cacheWrite) throw new RangeError(`usage request.cacheWrite1h (${r.cacheWrite1h}) is part of cacheWrite (${r.cacheWrite})`);
    this.db.run(
      'INSERT INTO usage_requests (agent_id, model, request_id, input, output, cache_read, cache_write, cache_write_1h, at, subagent, subagent_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      r.agentId,
      r.model,
      r.requestId ?? null,
      r.input,
      r.output,
      r.cacheRead,
      r.cacheWrite,
      r.cacheWrite1h,
      r.at ?? this.db.now(),
      r.subagent?.slice(0, 256) ?? null,
      r.subagent !== undefined ? (r.subagentType?.slice(0, 256) ?? null) : null,
    );
  }

  /** The requests subagents made, in [since, until] (ms), or of one agent (partial index usage_requests_subagent). */
  subagentRequests(filter: { since: number; until: number } | { agentId: string }): UsageRequest[] {
    const rows =
      'agentId' in filter
        ? this.db.all<RequestRecord>('SELECT * FROM usage_requests WHERE agent_id = ? AND subagent IS NOT NULL ORDER BY id', filter.agentId)
        : this.db.all<RequestRecord>('SELECT * FROM usage_requests WHERE subagent IS NOT NULL AND at >= ? AND at <= ? ORDER BY id', filter.since, filter.until);
    return rows.map(toRequest);
  }

  /** The stored requests, of one agent or of all, in the order they came. */
  requests(agentId?: string): UsageRequest[] {
    const rows = agentId === undefined ? this.db.all<RequestRecord>('SELECT * FROM usage_requests ORDER BY id') : this.db.all<RequestRecord>('SELECT * FROM usage_requests WHERE agent_id = ? ORDER BY id', agentId);
    return rows.map(toRequest);
  }

  /** The requests at or after `since` (ms), oldest first: the Costs view's period (index usage_requests_at). */
  requestsSince(since: number): UsageRequest[] {
    return this.db.all<RequestRecord>('SELECT * FROM usage_requests WHERE at >= ? ORDER BY at, id', since).map(toRequest);
  }

  /** Per model, the least and greatest total input (input + cache reads + cache writes) of requests in [since, until]. */
  requestInputRanges(since: number, until: number): RequestInputRange[] {
    return this.db.all<RequestInputRange>(`SELECT model, MIN(${TOTAL_INPUT}) AS min, MAX(${TOTAL_INPUT}) AS max FROM usage_requests WHERE at >= ? AND at <= ? GROUP BY model`, since, until);
  }

  /**
   * Token sums of the requests in [dayStarts[0], until] per agent, model, day (the last day start at or before the
   * request) and tier (the first of the model's ascending upper bounds of total input it does not pass; past the last
   * bound: the bounds' count). SQLite does the grouping, so a month of a large fleet comes back as a few groups each.
   */
  requestSums(dayStarts: readonly number[], until: number, tierBounds: ReadonlyMap<string, readonly number[]>): RequestSum[] {
    const params: (string | number)[] = [];
    const day = dayStarts.length <= 1 ? '0' : `CASE ${dayStarts.map((s, i) => ({ s, i })).slice(1).reverse().map(({ s, i }) => (params.push(s), `WHEN at >= ? THEN ${i}`)).join(' ')} ELSE 0 END`;
    const models = [...tierBounds].filter(([, b]) => b.length > 0);
    const tier = models.length === 0 ? '0' : `CASE model ${models.map(([model, bounds]) => (params.push(model, ...bounds), `WHEN ? THEN CASE ${bounds.map((_, i) => `WHEN ${TOTAL_INPUT} <= ? THEN ${i}`).join(' ')} ELSE ${bounds.length} END`)).join(' ')} ELSE 0 END`;
    return this.db
      .all<SumRecord>(
        `SELECT agent_id, model, ${day} AS day, ${tier} AS tier, COUNT(*) AS requests, SUM(input) AS input, SUM(output) AS output, SUM(cache_read) AS cache_read,
           SUM(cache_write) AS cache_write, SUM(cache_write_1h) AS cache_write_1h
         FROM usage_requests WHERE at >= ? AND at <= ? GROUP BY agent_id, model, day, tier`,
        ...params,
        dayStarts[0] ?? 0,
        until,
      )
      .map((r) => ({ agentId: r.agent_id, model: r.model, day: r.day, tier: r.tier, requests: r.requests, input: r.input, output: r.output, cacheRead: r.cache_read, cacheWrite: r.cache_write, cacheWrite1h: r.cache_write_1h }));
  }

  /** Per agent, the tokens of all its stored requests (to tell agents counted before requests were stored). */
  requestTokensPerAgent(): Map<string, number> {
    const rows = this.db.all<{ agent_id: string; tokens: number }>('SELECT agent_id, SUM(input + output + cache_read + cache_write) AS tokens FROM usage_requests GROUP BY agent_id');
    return new Map(rows.map((r) => [r.agent_id, r.tokens]));
  }

  byAgent(agentId: string): UsageRow[] {
    return this.db.all<UsageRecord>('SELECT * FROM usage WHERE agent_id = ? ORDER BY model', agentId).map(toRow);
  }

  /** Per agent, all models summed. */
  totalsPerAgent(): AgentUsageTotals[] {
    return this.db
      .all<UsageRecord>(`SELECT agent_id, ${SUMS} FROM usage GROUP BY agent_id ORDER BY agent_id`)
      .map((r) => ({ agentId: r.agent_id, ...totals(r) }));
  }

  /** The whole fleet. */
  totals(): UsageTotals {
    return totals(this.db.get<UsageRecord>(`SELECT ${SUMS} FROM usage`)!);
  }
}

function totals(r: Pick<UsageRecord, 'input' | 'output' | 'cache_read' | 'cache_write' | 'cost_usd'>): UsageTotals {
  return { input: r.input, output: r.output, cacheRead: r.cache_read, cacheWrite: r.cache_write, costUsd: r.cost_usd };
}

function toRequest(r: RequestRecord): UsageRequest {
  return {
    agentId: r.agent_id,
    model: r.model,
    ...(r.request_id !== null ? { requestId: r.request_id } : {}),
    input: r.input,
    output: r.output,
    cacheRead: r.cache_read,
    cacheWrite: r.cache_write,
    cacheWrite1h: r.cache_write_1h,
    at: r.at,
    ...(r.subagent !== null && r.subagent !== undefined ? { subagent: r.subagent } : {}),
    ...(r.subagent_type !== null && r.subagent_type !== undefined ? { subagentType: r.subagent_type } : {}),
  };
}

function toRow(r: UsageRecord): UsageRow {
  return { agentId: r.agent_id, model: r.model, updatedAt: r.updated_at, ...totals(r) };
}
