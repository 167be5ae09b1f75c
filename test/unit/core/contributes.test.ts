// package.json `contributes` and the id tables of src/vscode/ids.ts must agree (the in-host suite checks the
// commands actually registered at run time).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

// ids.ts imports nothing from vscode, so plain Node can read it.
import { AgentCommands, BudgetCommands, Commands as BaseCommands, CostsCommands, HealthCommands, NewAgentCommands, QuotaCommands, RemoteAgentCommands, Settings, Views } from '../../../src/vscode/ids';

/** Every command Flotilla registers: the base table, the everyday agent commands and the budget commands. */
const Commands = { ...BaseCommands, ...AgentCommands, ...BudgetCommands, ...CostsCommands, ...HealthCommands, ...NewAgentCommands, ...QuotaCommands, ...RemoteAgentCommands };

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));

describe('package.json contributes', () => {
  it('contributes exactly the commands of the Commands table', () => {
    const contributed = (pkg.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(Commands).sort());
  });

  it('every command in a menu is contributed', () => {
    const known = new Set(Object.values(Commands));
    for (const [menu, items] of Object.entries(pkg.contributes.menus as Record<string, { command: string }[]>)) {
      for (const item of items) assert.ok(known.has(item.command as never), `${menu} names unknown command ${item.command}`);
    }
  });

  it('contributes the views of the Views table', () => {
    assert.equal(pkg.contributes.viewsContainers.activitybar[0].id, Views.container);
    const views = (pkg.contributes.views[Views.container] as { id: string }[]).map((v) => v.id).sort();
    assert.deepEqual(views, [Views.agents, Views.approvals].sort());
  });

  it('declares every setting of the Settings table, and no other', () => {
    const declared = Object.keys(pkg.contributes.configuration.properties).sort();
    const expected = Object.entries(Settings)
      .filter(([k]) => k !== 'section')
      .map(([, v]) => `${Settings.section}.${v}`)
      .sort();
    assert.deepEqual(declared, expected);
  });
});
