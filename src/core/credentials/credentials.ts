// Credentials (API keys) for agents, kept in a secret store (VS Code's SecretStorage) for the fleet, a group or one
// agent, and put into that agent's environment at launch. The index of which names exist where holds names only
// (SecretStorage cannot list its keys); values live only in the secret store and in the launched process's
// environment: never in settings, logs, the audit, the snapshot or a command line. vscode-free.
import { z } from 'zod';
import type { AgentSnapshot } from '../../shared/agent';

/** An environment variable name a credential is given as: ANTHROPIC_API_KEY, OPENAI_API_KEY... */
export const CredentialNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'a variable name: letters, digits and _, not starting with a digit')
  .refine((n) => !n.toUpperCase().startsWith('FLOTILLA_'), 'FLOTILLA_* variables are set by Flotilla');

export const CredentialScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fleet') }),
  z.object({ kind: z.literal('group'), group: z.string().min(1).max(128) }),
  z.object({ kind: z.literal('agent'), agentId: z.string().min(1).max(128) }),
]);
export type CredentialScope = z.infer<typeof CredentialScopeSchema>;

export const CredentialEntrySchema = z.object({
  scope: CredentialScopeSchema,
  name: CredentialNameSchema,
  /** When the value was last set (ms): costs count toward it from agents started since. Absent in older indexes. */
  setAt: z.number().optional(),
});
export type CredentialEntry = z.infer<typeof CredentialEntrySchema>;

/** What Flotilla needs of a secret store (vscode.SecretStorage fits it). */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** Where the index of names is kept (vscode.Memento fits it). Names only. */
export interface IndexStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const INDEX_KEY = 'flotilla.credentials.index';

/** The secret store key of one credential: "flotilla.credential/group/web/OPENAI_API_KEY". */
export function secretKey(entry: CredentialEntry): string {
  const where = entry.scope.kind === 'fleet' ? 'fleet' : entry.scope.kind === 'group' ? `group/${encodeURIComponent(entry.scope.group)}` : `agent/${entry.scope.agentId}`;
  return `flotilla.credential/${where}/${entry.name}`;
}

/** "fleet", "group web", "agent" — where a credential comes from, for the tooltip. */
export function scopeText(scope: CredentialScope): string {
  return scope.kind === 'fleet' ? 'fleet' : scope.kind === 'group' ? `group ${scope.group}` : 'this agent';
}

const sameScope = (a: CredentialScope, b: CredentialScope): boolean => JSON.stringify(a) === JSON.stringify(b);
const sameEntry = (a: CredentialEntry, b: CredentialEntry): boolean => a.name === b.name && sameScope(a.scope, b.scope);

type CostAgent = Pick<AgentSnapshot, 'id' | 'group' | 'createdAt' | 'startedAt' | 'costUsd'>;

/** What the agents that got one credential spent: those it reaches now, started since its value was set. */
export interface CredentialCost {
  readonly entry: CredentialEntry;
  readonly agents: number;
  readonly costUsd: number;
}

/** The fleet's costs grouped by credential (each agent counts toward each credential it was started with). */
export function costsByCredential(index: readonly CredentialEntry[], agents: readonly CostAgent[]): CredentialCost[] {
  return index.map((entry) => {
    const users = agents.filter((a) => (entry.setAt === undefined || (a.startedAt ?? a.createdAt) >= entry.setAt) && credentialsFor(index, a).some((e) => sameEntry(e, entry)));
    return { entry, agents: users.length, costUsd: users.reduce((sum, a) => sum + a.costUsd, 0) };
  });
}

/** "$3.20 across 3 agents" (or "no agent yet"). */
export function costText(c: Pick<CredentialCost, 'agents' | 'costUsd'>): string {
  return c.agents === 0 ? 'no agent yet' : `$${c.costUsd.toFixed(2)} across ${c.agents} agent${c.agents === 1 ? '' : 's'}`;
}

/** The credentials an agent gets, by name: its own over its group's over the fleet's. */
export function credentialsFor(index: readonly CredentialEntry[], agent: Pick<AgentSnapshot, 'id' | 'group'>): CredentialEntry[] {
  const rank = (s: CredentialScope) => (s.kind === 'agent' ? 2 : s.kind === 'group' ? 1 : 0);
  const applies = (s: CredentialScope) => s.kind === 'fleet' || (s.kind === 'group' && s.group === agent.group) || (s.kind === 'agent' && s.agentId === agent.id);
  const byName = new Map<string, CredentialEntry>();
  for (const e of index) {
    if (!applies(e.scope)) continue;
    const had = byName.get(e.name);
    if (!had || rank(e.scope) > rank(had.scope)) byName.set(e.name, e);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Credential keys found in a plain-text env setting (offered once for a move to the secret store). */
export function secretLookingKeys(env: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(env).filter((k) => /(API_?KEY|TOKEN|SECRET|PASSWORD)$/i.test(k) && typeof env[k] === 'string' && CredentialNameSchema.safeParse(k).success);
}

export class Credentials {
  constructor(
    private readonly secrets: SecretStore,
    private readonly index: IndexStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every credential name and where it is set (a tolerant read: bad entries are skipped). */
  list(): CredentialEntry[] {
    const raw = this.index.get<unknown[]>(INDEX_KEY) ?? [];
    return (Array.isArray(raw) ? raw : []).flatMap((e) => {
      const parsed = CredentialEntrySchema.safeParse(e);
      return parsed.success ? [parsed.data] : [];
    });
  }

  async set(entry: CredentialEntry, value: string): Promise<void> {
    await this.put(entry, value, this.now());
  }

  private async put(entry: CredentialEntry, value: string, setAt: number | undefined): Promise<void> {
    const checked = CredentialEntrySchema.parse(entry);
    if (!value || value.includes('\0')) throw new Error('the value is empty or contains a NUL character');
    await this.secrets.store(secretKey(checked), value);
    const rest = this.list().filter((e) => !sameEntry(e, checked));
    await this.index.update(INDEX_KEY, [...rest, { ...checked, setAt }]);
  }

  async remove(entry: CredentialEntry): Promise<void> {
    await this.secrets.delete(secretKey(entry));
    await this.index.update(INDEX_KEY, this.list().filter((e) => !sameEntry(e, entry)));
  }

  /** Copies the credentials set for one agent alone to another (Restart: the new agent is the same worker). */
  async carryOver(fromAgentId: string, toAgentId: string): Promise<number> {
    let copied = 0;
    for (const e of this.list()) {
      if (e.scope.kind !== 'agent' || e.scope.agentId !== fromAgentId) continue;
      const value = await this.secrets.get(secretKey(e));
      if (!value) continue;
      // The same value since the same time: the restarted agent's costs count toward it.
      await this.put({ scope: { kind: 'agent', agentId: toAgentId }, name: e.name }, value, e.setAt);
      copied++;
    }
    return copied;
  }

  /**
   * The names an agent gets and where each comes from (for the tooltip; never the values); given the fleet, also
   * what the agents under each credential spent ("group review; $3.20 across 3 agents").
   */
  namesFor(agent: Pick<AgentSnapshot, 'id' | 'group'>, fleet?: readonly CostAgent[]): { name: string; from: string }[] {
    const index = this.list();
    const costs = fleet && costsByCredential(index, fleet);
    return credentialsFor(index, agent).map((e) => {
      const cost = costs?.find((c) => sameEntry(c.entry, e));
      return { name: e.name, from: cost ? `${scopeText(e.scope)}; ${costText(cost)}` : scopeText(e.scope) };
    });
  }

  /** The fleet's costs grouped by credential. */
  costs(fleet: readonly CostAgent[]): CredentialCost[] {
    return costsByCredential(this.list(), fleet);
  }

  /** The environment entries for an agent's launch; a credential whose secret is gone is left out. */
  async envFor(agent: Pick<AgentSnapshot, 'id' | 'group'>): Promise<Record<string, string>> {
    const env: Record<string, string> = {};
    for (const e of credentialsFor(this.list(), agent)) {
      const value = await this.secrets.get(secretKey(e));
      if (value) env[e.name] = value;
    }
    return env;
  }
}
