// Budget setting problems with their position in the settings file, like policy errors: file:line:column, the first
// file (folder, workspace, user) that holds the entry, the .code-workspace "settings" object, comments and trailing
// commas; a file that does not parse gives no position.
import assert from 'node:assert/strict';
import { readScopeBudgets } from '../../../src/core/budget/budgetSettings';
import { locateProblems } from '../../../src/core/budget/budgetSettingsPositions';

const WORKSPACE = `{
  // budgets for this repository
  "editor.tabSize": 2,
  "flotilla.budget.groups": {
    "backend": { "usd": 5, "period": "week" },
    "docs": "$0/day",
  },
}`;

const USER = `{
  "flotilla.budget.fleet": { "usd": -3 },
  "flotilla.budget.groups": { "night": "$2 per task", "nigth": "$1" },
  "flotilla.budget.alertThresholds": [0.7, 0],
}`;

const CODE_WORKSPACE = `{
  "folders": [{ "path": "." }],
  "settings": {
    "flotilla.budget.groups": {
      "backend": { "tokens": 1.5 }
    }
  }
}`;

describe('budget settings positions', () => {
  it('points each error and warning at its file, line and column', () => {
    const read = readScopeBudgets(
      { usd: -3 },
      { backend: { usd: 5, period: 'week' }, docs: '$0/day', night: '$2 per task', nigth: '$1' },
      { thresholds: [0.7, 0], knownGroups: new Set(['backend', 'docs', 'night']) },
    );
    const located = locateProblems(read.problems, [
      { label: '/repo/.vscode/settings.json', text: WORKSPACE },
      { label: '/home/me/.config/Code/User/settings.json', text: USER },
    ]);
    assert.deepEqual(
      located.map((p) => [p.severity, p.file, p.line, p.column]),
      [
        ['error', '/home/me/.config/Code/User/settings.json', 2, 30],
        ['error', '/repo/.vscode/settings.json', 5, 28],
        ['error', '/repo/.vscode/settings.json', 6, 5],
        ['warning', '/home/me/.config/Code/User/settings.json', 3, 55],
        ['error', '/home/me/.config/Code/User/settings.json', 4, 44],
      ],
    );
    assert.match(located[1]!.text, /^\/repo\/\.vscode\/settings\.json:5:28 flotilla\.budget\.groups\.backend\.period: "week" is not a budget period/);
    assert.match(located[2]!.text, /^\/repo\/\.vscode\/settings\.json:6:5 flotilla\.budget\.groups\.docs: the usd budget must be more than zero$/);
    assert.match(located[3]!.text, /:3:55 flotilla\.budget\.groups\.nigth: no agent or template is in group "nigth" \(a typo\?\)/);
    assert.match(located[4]!.text, /:4:44 flotilla\.budget\.alertThresholds\[1\]: /);
  });

  it('reads a .code-workspace file\'s settings, and gives no position from a file that does not parse', () => {
    const read = readScopeBudgets(undefined, { backend: { tokens: 1.5 } });
    assert.equal(read.problems.length, 1);
    const [inWorkspace] = locateProblems(read.problems, [
      { label: '/repo/.vscode/settings.json', text: '{ "flotilla.budget.groups": ' },
      { label: '/repo/app.code-workspace', text: CODE_WORKSPACE, workspaceFile: true },
    ]);
    assert.match(inWorkspace!.text, /^\/repo\/app\.code-workspace:5:20 flotilla\.budget\.groups\.backend\.tokens: /);
    const [nowhere] = locateProblems(read.problems, [{ label: 'broken.json', text: '{ "flotilla.budget.groups": ' }]);
    assert.equal(nowhere!.text, read.problems[0]!.message);
    assert.equal(nowhere!.line, undefined);
  });
});
