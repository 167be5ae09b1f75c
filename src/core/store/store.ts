// FleetStore: the typed face of the fleet's SQLite file. One instance owns the single writer connection;
// the repositories behind it each handle one table. Open it with openStore() (openDatabase.ts).
import { AgentsRepo } from './agentsRepo';
import type { AgentInput, AgentRow } from './agentsRepo';
import { ApprovalsRepo } from './approvalsRepo';
import type { ApprovalInput, ApprovalRow, DecideApprovalInput, ListApprovalsOptions } from './approvalsRepo';
import { AuditLog } from './auditLog';
import type { AuditInput, AuditRow, AuditVerification } from './auditLog';
import { BudgetsRepo } from './budgetsRepo';
import type { BudgetInput, BudgetRow, BudgetScope } from './budgetsRepo';
import { Connection } from './connection';
import type { StoreLog } from './connection';
import type { DriverName, SqlDriver } from './driver';
import { schemaVersionOf } from './migrations';
import { RemoteFramesRepo } from './remoteFramesRepo';
import { SessionsRepo } from './sessionsRepo';
import type { SessionInput, SessionRow } from './sessionsRepo';
import { SpansRepo } from './spansRepo';
import type { ListSpansOptions, SpanInput, SpanRow } from './spansRepo';
import { UsageRepo } from './usageRepo';
import type { AgentUsageTotals, RequestInputRange, RequestSum, TokenCounts, UsageRequest, UsageRow, UsageTotals } from './usageRepo';

export class FleetStore {
  private readonly db: Connection;
  private readonly agents: AgentsRepo;
  private readonly sessions: SessionsRepo;
  private readonly spans: SpansRepo;
  private readonly usage: UsageRepo;
  private readonly approvals: ApprovalsRepo;
  private readonly budgets: BudgetsRepo;
  private readonly audit: AuditLog;
  /** The remote frame journal (the remote adapter writes it before it acks). */
  readonly remoteFrames: RemoteFramesRepo;
  private closed = false;
  /** Run before the connection closes (openStore's background WAL checkpointer). */
  private readonly beforeClose: Array<() => void> = [];

  /** Takes an open, configured and migrated driver; use openStore() rather than this. */
  constructor(driver: SqlDriver, log: StoreLog, now: () => number = Date.now) {
    this.db = new Connection(driver, log, now);
    this.agents = new AgentsRepo(this.db);
    this.sessions = new SessionsRepo(this.db);
    this.spans = new SpansRepo(this.db);
    this.usage = new UsageRepo(this.db);
    this.approvals = new ApprovalsRepo(this.db);
    this.budgets = new BudgetsRepo(this.db);
    this.audit = new AuditLog(this.db);
    this.remoteFrames = new RemoteFramesRepo(this.db);
  }

  get driverName(): DriverName {
    return this.db.driverName;
  }

  get path(): string {
    return this.db.driver.path;
  }

  get schemaVersion(): number {
    return schemaVersionOf(this.db.driver);
  }

  /** Runs fn atomically (nested calls become savepoints); fn must be synchronous. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn);
  }

  // Agents
  upsertAgent(agent: AgentInput): AgentRow {
    return this.agents.upsert(agent);
  }
  getAgent(id: string): AgentRow | undefined {
    return this.agents.get(id);
  }
  listAgents(filter?: { groupName?: string }): AgentRow[] {
    return this.agents.list(filter);
  }
  setAgentStatus(id: string, status: string): boolean {
    return this.agents.setStatus(id, status);
  }
  /** Also removes its sessions, usage, approvals and agent budget; its spans and the audit keep their rows. */
  deleteAgent(id: string): boolean {
    return this.agents.delete(id);
  }

  // Sessions
  upsertSession(session: SessionInput): SessionRow {
    return this.sessions.upsert(session);
  }
  getSession(id: string): SessionRow | undefined {
    return this.sessions.get(id);
  }
  getSessionByExternalId(externalId: string): SessionRow | undefined {
    return this.sessions.getByExternalId(externalId);
  }
  listSessions(agentId: string): SessionRow[] {
    return this.sessions.listByAgent(agentId);
  }

  // Spans
  insertSpan(span: SpanInput): SpanRow {
    return this.spans.insert(span);
  }
  listSpans(agentId: string, options?: ListSpansOptions): SpanRow[] {
    return this.spans.list(agentId, options);
  }
  listSessionSpans(sessionId: string): SpanRow[] {
    return this.spans.listBySession(sessionId);
  }
  countSpans(agentId?: string): number {
    return this.spans.count(agentId);
  }
  listTraceSpans(traceId: string): SpanRow[] {
    return this.spans.listTrace(traceId);
  }
  /** Oldest first, from `since` (epoch ms); one agent's or the fleet's. */
  listSpansSince(since: number, agentId?: string, limit?: number): SpanRow[] {
    return this.spans.listSince(since, agentId, limit);
  }
  listSpansByStatus(status: string): SpanRow[] {
    return this.spans.listByStatus(status);
  }
  agentsWithSpans(): { agentId: string; lastStartedAt: number }[] {
    return this.spans.agentsWithSpans();
  }
  /** Deletes finished spans older than `before` (retention); returns how many. */
  pruneSpans(before: number): number {
    return this.spans.pruneBefore(before);
  }

  // Usage
  addUsage(agentId: string, model: string, tokens: TokenCounts, costUsd?: number): UsageRow {
    return this.usage.add(agentId, model, tokens, costUsd);
  }
  /** One model request's tokens (priced when read: src/core/cost/reprice.ts). */
  addUsageRequest(request: Parameters<UsageRepo['addRequest']>[0]): void {
    this.usage.addRequest(request);
  }
  usageRequests(agentId?: string): UsageRequest[] {
    return this.usage.requests(agentId);
  }
  usageSubagentRequests(filter: Parameters<UsageRepo['subagentRequests']>[0]): UsageRequest[] {
    return this.usage.subagentRequests(filter);
  }
  /** A fact about the stored figures (store_meta, schema 6), e.g. the price catalog the agents' costs were computed with. */
  storeFact(key: string): string | undefined {
    return this.db.get<{ value: string }>('SELECT value FROM store_meta WHERE key = ?', key)?.value;
  }
  setStoreFact(key: string, value: string): void {
    this.db.run('INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value);
  }
  usageRequestsSince(since: number): UsageRequest[] {
    return this.usage.requestsSince(since);
  }
  usageRequestInputRanges(since: number, until: number): RequestInputRange[] {
    return this.usage.requestInputRanges(since, until);
  }
  usageRequestSums(dayStarts: readonly number[], until: number, tierBounds: ReadonlyMap<string, readonly number[]>): RequestSum[] {
    return this.usage.requestSums(dayStarts, until, tierBounds);
  }
  usageRequestTokensPerAgent(): Map<string, number> {
    return this.usage.requestTokensPerAgent();
  }
  usageByAgent(agentId: string): UsageRow[] {
    return this.usage.byAgent(agentId);
  }
  usageTotalsPerAgent(): AgentUsageTotals[] {
    return this.usage.totalsPerAgent();
  }
  usageTotals(): UsageTotals {
    return this.usage.totals();
  }

  // Approvals
  insertApproval(approval: ApprovalInput): ApprovalRow {
    return this.approvals.insert(approval);
  }
  /** undefined when the request does not exist or was already decided (first decision wins). */
  decideApproval(id: string, decision: DecideApprovalInput): ApprovalRow | undefined {
    return this.approvals.decide(id, decision);
  }
  getApproval(id: string): ApprovalRow | undefined {
    return this.approvals.get(id);
  }
  listApprovals(options?: ListApprovalsOptions): ApprovalRow[] {
    return this.approvals.list(options);
  }

  // Budgets
  setBudget(budget: BudgetInput): BudgetRow {
    return this.budgets.set(budget);
  }
  getBudget(scope: BudgetScope, scopeId?: string): BudgetRow | undefined {
    return this.budgets.get(scope, scopeId);
  }
  listBudgets(scope?: BudgetScope): BudgetRow[] {
    return this.budgets.list(scope);
  }
  deleteBudget(scope: BudgetScope, scopeId?: string): boolean {
    return this.budgets.delete(scope, scopeId);
  }

  // Audit
  appendAudit(entry: AuditInput): AuditRow {
    return this.audit.append(entry);
  }
  verifyAudit(): AuditVerification {
    return this.audit.verify();
  }
  /** Every audit row in seq order, streamed page by page (write one JSON line per row for a JSONL export). */
  exportAudit(afterSeq?: number): Iterable<AuditRow> {
    return this.audit.export(afterSeq);
  }
  listAudit(options?: { agentId?: string; beforeSeq?: number; limit?: number }): AuditRow[] {
    return this.audit.list(options);
  }
  /** The newest (seq, hash): keep it elsewhere to detect removal of the newest rows later. */
  auditHead(): { seq: number; hash: string } | undefined {
    return this.audit.head();
  }

  /** `stop` runs right before the connection closes. */
  whenClosing(stop: () => void): void {
    this.beforeClose.push(stop);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const stop of this.beforeClose) stop();
    this.db.close();
  }
}
