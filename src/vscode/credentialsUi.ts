// Set Credentials…: stores an API key in SecretStorage for the fleet, a group or one agent (password box, the value
// never shown back); the launcher puts it into the agent's environment. Also the one-time offer to move a key found
// in `flotilla.claudeCode.env` (plain text in the settings) into SecretStorage.
import * as vscode from 'vscode';
import type { Fleet } from '../core/fleet/fleet';
import { costText, CredentialNameSchema, scopeText, secretLookingKeys } from '../core/credentials/credentials';
import type { CredentialEntry, CredentialScope, Credentials } from '../core/credentials/credentials';
import type { Logger } from '../core/log';
import { agentsFor } from './agentPicker';
import { agentIdsFromArgs } from './agentPickerModel';
import { AgentCommands, Settings } from './ids';

const COMMON = ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY'];
const TITLE = 'Set Credentials';
const MIGRATION_OFFERED = 'flotilla.credentials.migrationOffered';

type ScopeItem = vscode.QuickPickItem & { scope?: CredentialScope; ask?: 'group' | 'agent' };

async function askScope(fleet: Fleet, args: readonly unknown[]): Promise<CredentialScope | undefined> {
  const ids = agentIdsFromArgs(args[0], args[1]);
  if (ids?.[0] && fleet.get(ids[0])) return { kind: 'agent', agentId: ids[0] };
  const groups = [...new Set(fleet.list().flatMap((a) => (a.group ? [a.group] : [])))].sort();
  const items: ScopeItem[] = [
    { label: 'Every agent', description: 'the fleet', scope: { kind: 'fleet' } },
    ...groups.map((g) => ({ label: `Group ${g}`, description: 'agents of this group', scope: { kind: 'group', group: g } as CredentialScope })),
    { label: 'Another group…', ask: 'group' },
    { label: 'One agent…', description: 'its own key: revoke it alone, see its cost apart', ask: 'agent' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: TITLE, placeHolder: 'For whom?' });
  if (!picked) return undefined;
  if (picked.scope) return picked.scope;
  if (picked.ask === 'group') {
    const group = await vscode.window.showInputBox({ title: TITLE, prompt: 'Group name', validateInput: (v) => (v.trim() ? undefined : 'Enter a group name') });
    return group?.trim() ? { kind: 'group', group: group.trim() } : undefined;
  }
  const [agent] = await agentsFor(fleet, [], { filter: 'any', many: false, verb: 'give a credential to' });
  return agent ? { kind: 'agent', agentId: agent.id } : undefined;
}

async function askName(credentials: Credentials, fleet: Fleet, scope: CredentialScope): Promise<string | undefined> {
  const sameScope = (s: CredentialScope) => JSON.stringify(s) === JSON.stringify(scope);
  const here = credentials.list().filter((e) => sameScope(e.scope)).map((e) => e.name);
  // What the agents under each credential spent, next to its name (costs grouped by credential).
  const costs = credentials.costs(fleet.list()).filter((c) => sameScope(c.entry.scope));
  const names = [...new Set([...here, ...COMMON])];
  const items = [
    ...names.map((n) => {
      const cost = costs.find((c) => c.entry.name === n);
      return { label: n, description: here.includes(n) ? `set (replace or remove)${cost ? ` · ${costText(cost)}` : ''}` : '' };
    }),
    { label: 'Other variable…', description: '' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: TITLE, placeHolder: 'Which environment variable?' });
  if (!picked) return undefined;
  if (picked.label !== 'Other variable…') return picked.label;
  return vscode.window.showInputBox({
    title: TITLE,
    prompt: 'Environment variable name',
    validateInput: (v) => CredentialNameSchema.safeParse(v.trim()).error?.issues[0]?.message,
  });
}

/** The command: returns what was done ("set", "removed") or undefined when cancelled. */
export async function setCredentials(credentials: Credentials, fleet: Fleet, args: readonly unknown[]): Promise<'set' | 'removed' | undefined> {
  const scope = await askScope(fleet, args);
  if (!scope) return undefined;
  const name = (await askName(credentials, fleet, scope))?.trim();
  if (!name) return undefined;
  const entry: CredentialEntry = { scope, name };
  const exists = credentials.list().some((e) => e.name === name && JSON.stringify(e.scope) === JSON.stringify(scope));
  const where = scope.kind === 'agent' ? (fleet.get(scope.agentId)?.name ?? 'the agent') : scopeText(scope);
  if (exists) {
    const choice = await vscode.window.showQuickPick(['Replace the value', 'Remove it'], { title: `${TITLE}: ${name} for ${where}` });
    if (!choice) return undefined;
    if (choice === 'Remove it') {
      await credentials.remove(entry);
      void vscode.window.showInformationMessage(`Removed ${name} for ${where}. Agents started from now on go without it.`);
      return 'removed';
    }
  }
  const value = await vscode.window.showInputBox({ title: `${TITLE}: ${name} for ${where}`, prompt: 'Stored in VS Code SecretStorage, never in settings', password: true, ignoreFocusOut: true, validateInput: (v) => (v ? undefined : 'Enter the value') });
  if (!value) return undefined;
  await credentials.set(entry, value);
  const agent = scope.kind === 'agent' ? fleet.get(scope.agentId) : undefined;
  if (agent && agent.kind !== 'remote') {
    // An environment is fixed when a process starts: the agent gets the key when it starts again (Restart carries
    // the credentials set for it alone over to the restarted agent).
    const restart = `Restart ${agent.name}`;
    void vscode.window.showInformationMessage(`${name} is stored for ${agent.name}; it gets it in its environment when it starts again.`, restart).then((choice) => {
      if (choice === restart) void vscode.commands.executeCommand(AgentCommands.restartAgent, agent.id);
    });
  } else void vscode.window.showInformationMessage(`${name} is stored for ${where}; agents started from now on get it in their environment.`);
  return 'set';
}

/**
 * Once per installation: keys in flotilla.claudeCode.env that look like credentials are offered a move into
 * SecretStorage for the fleet (then taken out of the setting where it was set).
 */
export async function offerCredentialMigration(credentials: Credentials, state: vscode.Memento, log: Logger): Promise<void> {
  if (state.get<boolean>(MIGRATION_OFFERED)) return;
  const config = vscode.workspace.getConfiguration(Settings.section);
  const inspected = config.inspect<Record<string, unknown>>(Settings.claudeCodeEnv);
  const levels: [vscode.ConfigurationTarget, Record<string, unknown> | undefined][] = [
    [vscode.ConfigurationTarget.Global, inspected?.globalValue],
    [vscode.ConfigurationTarget.Workspace, inspected?.workspaceValue],
    [vscode.ConfigurationTarget.WorkspaceFolder, inspected?.workspaceFolderValue],
  ];
  const found = levels.flatMap(([target, env]) => (env ? secretLookingKeys(env).map((key) => ({ target, env, key })) : []));
  if (found.length === 0) return;
  await state.update(MIGRATION_OFFERED, true);
  const keys = [...new Set(found.map((f) => f.key))];
  const move = 'Move to SecretStorage';
  const choice = await vscode.window.showInformationMessage(
    `flotilla.claudeCode.env holds ${keys.join(', ')} in plain text (visible in the Settings UI). Move ${keys.length === 1 ? 'it' : 'them'} to SecretStorage for every agent?`,
    move,
    'Keep in Settings',
  );
  if (choice !== move) return;
  for (const [target, env] of levels) {
    if (!env) continue;
    const mine = secretLookingKeys(env);
    if (mine.length === 0) continue;
    for (const key of mine) await credentials.set({ scope: { kind: 'fleet' }, name: key }, String(env[key]));
    const rest = Object.fromEntries(Object.entries(env).filter(([k]) => !mine.includes(k)));
    await config.update(Settings.claudeCodeEnv, Object.keys(rest).length ? rest : undefined, target);
  }
  log.info(`moved ${keys.join(', ')} from flotilla.claudeCode.env to SecretStorage (fleet)`);
  void vscode.window.showInformationMessage(`Moved ${keys.join(', ')} to SecretStorage. Set Credentials… changes or removes ${keys.length === 1 ? 'it' : 'them'}.`);
}
