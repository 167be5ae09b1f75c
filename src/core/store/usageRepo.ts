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

function toRow(r: UsageRecord): UsageRow {
  return { agentId: r.agent_id, model: r.model, updatedAt: r.updated_at, ...totals(r) };
}
