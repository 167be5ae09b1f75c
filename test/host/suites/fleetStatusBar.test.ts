// The fleet's status bar item in a real extension host: its words from a real fleet and today's dollars from a real
// SQLite store ("$(pulse) 1 working · 1 needs you · $0.60 today"), its tooltip lines and accessible name, a click
// that opens the Costs view, hidden for an empty fleet and when flotilla.statusBar.enabled is off, a burst of
// changes coalesced into one update, and a new stored request added without reading the store again.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Fleet } from '../../../src/core/fleet/fleet';
import { TodaySpend } from '../../../src/core/cost/todaySpend';
import { PriceBook } from '../../../src/core/pricing/priceBook';
import { openStore } from '../../../src/core/store/openDatabase';
import type { FleetStore } from '../../../src/core/store/store';
import { FleetStatusBar } from '../../../src/vscode/fleetStatusBar';
import { MemoryPersistence, memoryLogger } from '../../unit/core/fleetKit';

const SONNET = 'claude-sonnet-4-5-20250929';
const until = async (ok: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(ok(), what);
};

describe('Fleet status bar', () => {
  let dir: string;
  let store: FleetStore;
  let fleet: Fleet;
  let spend: TodaySpend;
  let bar: FleetStatusBar;

  beforeEach(async () => {
    await vscode.workspace.getConfiguration('flotilla').update('statusBar.enabled', undefined, vscode.ConfigurationTarget.Global);
    dir = mkdtempSync(join(tmpdir(), 'flotilla-statusbar-'));
    store = openStore(join(dir, 'flotilla.db')).store;
    fleet = new Fleet(new MemoryPersistence(), memoryLogger());
    spend = new TodaySpend({ history: store, book: new PriceBook({}), now: Date.now });
    bar = new FleetStatusBar({ fleet, spend });
  });

  afterEach(async () => {
    bar.dispose();
    spend.dispose();
    fleet.dispose();
    store.close();
    rmSync(dir, { recursive: true, force: true });
    await vscode.workspace.getConfiguration('flotilla').update('statusBar.enabled', undefined, vscode.ConfigurationTarget.Global);
  });

  const start = (name: string) => {
    const { agent } = fleet.create({ name, kind: 'custom', cwd: '/tmp', command: 'sleep 1' });
    store.upsertAgent({ id: agent.id, name, kind: 'custom', status: 'starting' });
    fleet.apply(agent.id, 'launched');
    fleet.apply(agent.id, 'sessionStarted');
    fleet.apply(agent.id, 'promptSubmitted');
    return agent.id;
  };

  it('shows working, needs you and today’s dollars; opens the Costs view; hidden when empty or turned off', async () => {
    assert.equal(bar.visible, false, 'an empty fleet shows nothing');
    const worker = start('worker');
    const asker = start('asker');
    fleet.apply(asker, 'approvalRequested', { statusReason: 'git push' });
    // $0.603 today: 196k in, 1k out at $3/$15 per M, stored before today's figure is read.
    store.addUsageRequest({ agentId: worker, model: SONNET, input: 196_000, output: 1000, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0 });
    spend.reset();
    await until(() => bar.item.text === '$(pulse) 1 working · 1 needs you · $0.60 today', `text: ${bar.item.text}`);
    assert.equal(bar.visible, true);
    assert.equal(bar.item.command, 'flotilla.openCosts');
    assert.ok((await vscode.commands.getCommands(true)).includes('flotilla.openCosts'), 'the click opens the Costs view');
    assert.equal(bar.item.accessibilityInformation?.label, 'Flotilla: 1 working, 1 needs you, $0.60 spent today. Opens the Costs view.');
    assert.equal(bar.item.name, 'Flotilla Fleet');
    assert.equal(bar.item.tooltip, ['Flotilla: 2 agents', '1 working: worker', '1 needs you: asker (waiting for approval)', '$0.60 spent today (since local midnight, as in the Costs view)', 'Click to open the Costs view.'].join('\n'));

    // A new request: added to today's figure, the store not read again.
    const reads = spend.reads;
    store.addUsageRequest({ agentId: worker, model: 'my-local-model', input: 10, output: 1, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0 });
    spend.add('my-local-model', { input: 10, output: 1, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0 });
    await until(() => bar.item.text === '$(pulse) 1 working · 1 needs you · $0.60+ today', `unpriced: ${bar.item.text}`);
    assert.equal(spend.reads, reads);

    await vscode.workspace.getConfiguration('flotilla').update('statusBar.enabled', false, vscode.ConfigurationTarget.Global);
    await until(() => !bar.visible, 'turned off');
    await vscode.workspace.getConfiguration('flotilla').update('statusBar.enabled', undefined, vscode.ConfigurationTarget.Global);
    await until(() => bar.visible, 'back on');
    fleet.remove(worker);
    fleet.remove(asker);
    await until(() => !bar.visible, 'the fleet emptied');
  });

  it('coalesces a burst of changes into one update', async () => {
    const id = start('busy');
    await until(() => bar.item.text.startsWith('$(pulse) 1 working'), bar.item.text);
    const before = bar.updates;
    for (let i = 0; i < 200; i++) fleet.update(id, { statusReason: `step ${i}` });
    // At most one at once (the window had passed) and one at the window's end.
    await until(() => bar.updates >= before + 1, 'updated');
    await new Promise((r) => setTimeout(r, 600));
    assert.ok(bar.updates - before <= 2, `200 changes made ${bar.updates - before} updates`);
  });
});
