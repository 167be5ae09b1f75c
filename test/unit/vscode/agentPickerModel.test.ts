// The agent picker's model: which agents each command offers (in attention order, names escaped), what a tree row
// and its multi-selection mean, and the names Rename accepts and Restart gives.
import * as assert from 'node:assert/strict';
import { agentIdsFromArgs, nothingToPick, pickItems } from '../../../src/vscode/agentPickerModel';
import { restartName, validateRename } from '../../../src/vscode/agentNames';
import type { PresentedAgent } from '../../../src/vscode/agentStatusLook';
import type { AgentStatus } from '../../../src/shared/status';

let n = 0;
const agent = (name: string, status: AgentStatus, extra: Partial<PresentedAgent> = {}): PresentedAgent =>
  ({
    id: `id-${name}`, name, kind: 'claude-code', status, createdAt: 1000 + n++, cwd: '/w', usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    usageByModel: {}, costUsd: 0.5, unpricedModels: [], transcriptPaths: [], activeMs: 0, ...extra,
  }) as PresentedAgent;

describe('agent picker model', () => {
  const wt = { path: '/wt/b', branch: 'flotilla/bravo', baseCommit: 'abc', repoRoot: '/w' };
  const fleet = [agent('alpha', 'done'), agent('bravo', 'working', { worktree: wt, group: 'web' }), agent('char\u202elie', 'waiting-approval')];

  it('offers only the agents a command applies to, what needs you first, with state, cost and place', () => {
    const live = pickItems(fleet, 'live');
    assert.deepEqual(live.map((i) => i.label), ['char\\u202elie', 'bravo']);
    assert.equal(live[0]!.description, 'needs approval · $0.50');
    assert.equal(live[1]!.detail, 'claude-code · group web · branch flotilla/bravo');
    assert.deepEqual(pickItems(fleet, 'worktree').map((i) => i.agentId), ['id-bravo']);
    // Open Diff also offers a runner's agent (its runner serves its changes), not an agent that dialled in.
    const far = agent('far', 'idle', { kind: 'remote', command: 'flotilla-agent://box/far-1' });
    const dialled = agent('own', 'idle', { kind: 'remote' });
    assert.deepEqual(pickItems([...fleet, far, dialled], 'changes').map((i) => i.agentId).sort(), ['id-bravo', 'id-far']);
    // Resume After Quota offers the live agents paused at the quota wall.
    const walled = agent('walled', 'idle', { quotaPause: { since: 1, reason: '429' } });
    const gone = agent('gone', 'done', { quotaPause: { since: 1, reason: '429' } });
    assert.deepEqual(pickItems([...fleet, walled, gone], 'quota').map((i) => i.agentId), ['id-walled']);
    assert.equal(nothingToPick('quota', 'resume'), 'No agent paused at the quota wall to resume.');
    assert.deepEqual(pickItems(fleet, 'ended').map((i) => i.agentId), ['id-alpha']);
    assert.deepEqual(pickItems(fleet, 'terminal', (id) => id === 'id-alpha').map((i) => i.agentId), ['id-alpha']);
    assert.equal(nothingToPick('live', 'stop'), 'No running agent to stop.');
  });

  it('acts on the clicked row, or on the whole selection when it holds that row; ids pass through', () => {
    const [a, b, c] = fleet;
    assert.deepEqual(agentIdsFromArgs(b, [a, b]), ['id-alpha', 'id-bravo']);
    assert.deepEqual(agentIdsFromArgs(c, [a, b]), ['id-char\u202elie'], 'a right-click outside the selection acts on that row');
    assert.deepEqual(agentIdsFromArgs('id-x', undefined), ['id-x']);
    assert.deepEqual(agentIdsFromArgs(['id-x', { id: 'id-y' }], undefined), ['id-x', 'id-y']);
    assert.equal(agentIdsFromArgs(undefined, undefined), undefined, 'from the palette: ask');
    assert.equal(agentIdsFromArgs({ type: 'group', id: 'group:web' }, undefined), undefined, 'a group row is no agent');
  });

  it('renames to a free, non-empty name of at most 128 characters (its own name is fine)', () => {
    const taken = (name: string) => ['alpha', 'bravo'].includes(name);
    assert.equal(validateRename('  ', 'alpha', taken), 'Enter a name');
    assert.equal(validateRename('bravo', 'alpha', taken), "An agent named 'bravo' exists already");
    assert.equal(validateRename('alpha', 'alpha', taken), undefined);
    assert.equal(validateRename('x'.repeat(129), 'alpha', taken), 'At most 128 characters');
    assert.equal(validateRename(' delta ', 'alpha', taken), undefined);
  });

  it('restarts under the next free number', () => {
    assert.equal(restartName('pusher', () => false), 'pusher-2');
    assert.equal(restartName('pusher-2', (x) => x === 'pusher-3'), 'pusher-4');
  });
});
