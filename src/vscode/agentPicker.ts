// The agent picker behind every agent command run from the palette: the agents the command applies to, what needs
// the user first, several at once where that makes sense (Stop, Remove, Send Prompt). From a tree row the command
// acts on the row (or on the multi-selection that holds it) without asking.
import * as vscode from 'vscode';
import type { Fleet } from '../core/fleet/fleet';
import type { AgentSnapshot } from '../shared/agent';
import { agentIdsFromArgs, applies, nothingToPick, pickItems } from './agentPickerModel';
import type { AgentFilter, AgentPickItem } from './agentPickerModel';

export interface PickOptions {
  readonly filter: AgentFilter;
  /** Several agents at once (multi-select picker; a multi-selection in the tree). */
  readonly many: boolean;
  /** "stop", "remove": for the placeholder and the nothing-to-pick message. */
  readonly verb: string;
  readonly hasTerminal?: (agentId: string) => boolean;
}

type Item = vscode.QuickPickItem & Pick<AgentPickItem, 'agentId'>;

/** The agents a command acts on: from its arguments (tree row, selection, ids), else asked with a picker. */
export async function agentsFor(fleet: Fleet, args: readonly unknown[], o: PickOptions): Promise<AgentSnapshot[]> {
  const ids = agentIdsFromArgs(args[0], args[1]);
  if (ids) {
    const agents = ids.flatMap((id) => fleet.get(id) ?? []).filter((a) => applies(a, o.filter, o.hasTerminal));
    return o.many ? agents : agents.slice(0, 1);
  }
  const items: Item[] = pickItems(fleet.list(), o.filter, o.hasTerminal);
  if (items.length === 0) {
    void vscode.window.showInformationMessage(nothingToPick(o.filter, o.verb));
    return [];
  }
  const placeHolder = `Which agent${o.many ? 's' : ''} to ${o.verb}?`;
  const picked = o.many
    ? await vscode.window.showQuickPick(items, { placeHolder, canPickMany: true, matchOnDescription: true, matchOnDetail: true })
    : await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true }).then((p) => (p ? [p] : undefined));
  return (picked ?? []).flatMap((p) => fleet.get(p.agentId) ?? []);
}
