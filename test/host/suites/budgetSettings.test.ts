// Budget settings problems in a real extension host: a bad group budget written to the workspace settings by VS Code
// itself is refused and reported with the workspace's .vscode/settings.json, line and column of the bad field; a
// budget for a group no agent or template is in is a warning and stays in force; the alert thresholds are read.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Fleet } from '../../../src/core/fleet/fleet';
import { readBudgetSettings } from '../../../src/vscode/budgetSettingsRead';
import { MemoryPersistence, memoryLogger } from '../../unit/core/fleetKit';

describe('Budget settings with their position', () => {
  const config = () => vscode.workspace.getConfiguration('flotilla');
  const clear = async () => {
    await config().update('budget.groups', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('budget.alertThresholds', undefined, vscode.ConfigurationTarget.Workspace);
  };
  before(clear);
  after(clear);

  it('points at the bad field in .vscode/settings.json, warns of an unknown group, reads the thresholds', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the host tier opens a workspace folder');
    await config().update('budget.groups', { backend: { usd: 5, period: 'week' }, nightly: '$1 per task' }, vscode.ConfigurationTarget.Workspace);
    await config().update('budget.alertThresholds', [0.5, 1], vscode.ConfigurationTarget.Workspace);

    const log = memoryLogger();
    const fleet = new Fleet(new MemoryPersistence(), log);
    const read = readBudgetSettings({ fleet, log, shown: new Set() });
    assert.deepEqual(read.groups, { nightly: { usd: 1, period: 'task' } });
    assert.deepEqual(read.alertThresholds, [0.5, 1]);

    const file = join(folder.uri.fsPath, '.vscode', 'settings.json');
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = (needle: string, after = 0): string => {
      const line = lines.findIndex((l, i) => i >= after && l.includes(needle));
      assert.ok(line >= 0, `${needle} in ${lines.join('\n')}`);
      return `${file}:${line + 1}:${lines[line]!.indexOf(needle) + 1}`;
    };
    const period = at('"period"', lines.findIndex((l) => l.includes('"backend"')));
    assert.ok(log.lines.some((l) => l.includes(`budget setting refused: ${period} flotilla.budget.groups.backend.period: "week" is not a budget period`)), log.lines.join('\n'));
    assert.ok(log.lines.some((l) => l.includes(`budget setting: ${at('"nightly"')} flotilla.budget.groups.nightly: no agent or template is in group "nightly"`)), log.lines.join('\n'));
    fleet.dispose();
  });
});
