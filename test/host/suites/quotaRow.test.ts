// An agent paused at the model API's quota wall as the Agents tree shows it in a real extension host: the row reads
// "paused — quota until HH:MM" (local time) with the quiet history icon, "quota should have reset at HH:MM — resume"
// once that time has passed, "paused — quota (reset time unknown)" without one; the tooltip carries the API's message
// as escaped text and says how to resume. The pause itself comes from the core (unit-tested with the real CLI).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Fleet } from '../../../src/core/fleet/fleet';
import { AgentsTreeProvider } from '../../../src/vscode/agentsTree';
import type { AgentTreeNode } from '../../../src/vscode/agentsTree';
import { MemoryPersistence, memoryLogger } from '../../unit/core/fleetKit';

const MESSAGE = "You've hit your session limit · resets 2:05pm (Europe/Berlin)";
const hhmm = (t: number): string => `${String(new Date(t).getHours()).padStart(2, '0')}:${String(new Date(t).getMinutes()).padStart(2, '0')}`;

describe('Quota wall in the Agents tree', () => {
  let fleet: Fleet;
  let tree: AgentsTreeProvider;

  beforeEach(async () => {
    await vscode.workspace.getConfiguration('flotilla').update('agents.groupBy', undefined, vscode.ConfigurationTarget.Global);
    fleet = new Fleet(new MemoryPersistence(), memoryLogger());
    tree = new AgentsTreeProvider(fleet, () => false);
  });

  afterEach(() => {
    tree.dispose();
    fleet.dispose();
  });

  const paused = (name: string, until: number | undefined): vscode.TreeItem => {
    const { agent } = fleet.create({ name, kind: 'claude-code', cwd: '/tmp' });
    fleet.apply(agent.id, 'launched');
    fleet.apply(agent.id, 'sessionStarted');
    fleet.apply(agent.id, 'promptSubmitted');
    fleet.apply(agent.id, 'turnEnded', { lastTurn: 'failed', statusReason: MESSAGE, quotaPause: { since: Date.now(), ...(until !== undefined ? { until } : {}), reason: MESSAGE } });
    return tree.getTreeItem(fleet.get(agent.id)! as AgentTreeNode);
  };

  it('paused — quota until the reset, quiet icon, the API message escaped in the tooltip', () => {
    // Within the next 20 minutes, so the reset is today whatever the host's time zone (unless it is 23:40 or later).
    const until = Date.now() + 20 * 60_000;
    const item = paused('quota-a', until);
    const sameDay = new Date(until).getDate() === new Date().getDate();
    assert.match(String(item.description), new RegExp(`^paused — quota until ${sameDay ? '' : '\\w{3} \\d{1,2} '}${hhmm(until)} · `));
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'history');
    assert.equal(((item.iconPath as vscode.ThemeIcon).color as vscode.ThemeColor | undefined)?.id, 'descriptionForeground');
    const tip = (item.tooltip as vscode.MarkdownString).value;
    assert.match(tip, /paused — quota/);
    assert.match(tip, /You\\'ve hit your session limit · resets 2\\:05pm \\\(Europe\\\/Berlin\\\)/, 'escaped, shown once');
    assert.equal(tip.split('session limit').length - 1, 1, 'the message is not repeated as the status reason');
    assert.match(tip, /a notification offers Resume/);
    assert.match(String(item.contextValue), /\bquota\b/, 'its menu offers Resume After Quota');
    assert.deepEqual((item.tooltip as vscode.MarkdownString).isTrusted, { enabledCommands: ['flotilla.openDiff', 'flotilla.openTrace'] });
  });

  it('past the reset: the quota should have reset — resume; no reset time: says so', () => {
    const until = Date.now() - 60_000;
    assert.match(String(paused('quota-b', until).description), new RegExp(`^quota should have reset at (\\w{3} \\d{1,2} )?${hhmm(until)} — resume · `));
    assert.match(String(paused('quota-c', undefined).description), /^paused — quota \(reset time unknown\) · /);
  });
});
