// What a row says for each state: a finished turn reads "done — ready for review", distinct from "needs input";
// terminal prompts and remote agents before hello have their own words; the states that need the user are loud;
// elapsed is active time when the core tracks it.
import * as assert from 'node:assert/strict';
import { activeMs, agentLook, LOOKS, wallMs } from '../../../src/vscode/agentStatusLook';
import type { AgentLook, PresentedAgent } from '../../../src/vscode/agentStatusLook';
import type { AgentStatus } from '../../../src/shared/status';

const agent = (status: AgentStatus, extra: Partial<PresentedAgent> = {}): PresentedAgent =>
  ({
    id: 'a1', name: 'a', kind: 'claude-code', status, createdAt: 1000, startedAt: 1000, cwd: '/w', usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    usageByModel: {}, costUsd: 0, unpricedModels: [], transcriptPaths: [], ...extra,
  }) as PresentedAgent;

describe('agent status look', () => {
  it('tells a finished turn from a question, a terminal prompt and a remote agent before hello', () => {
    const cases: [PresentedAgent, AgentLook, string][] = [
      [agent('idle', { lastTurn: 'ended' }), 'ready-for-review', 'done — ready for review'],
      [agent('waiting-input'), 'needs-input', 'needs input'],
      [agent('waiting-input', { waitingFor: 'terminal' }), 'needs-terminal', 'needs you in the terminal'],
      [agent('starting', { waitingFor: 'terminal' }), 'needs-terminal', 'needs you in the terminal'],
      [agent('starting', { kind: 'remote', waitingFor: 'connection' }), 'awaiting-connection', 'waiting for connection'],
      [agent('idle', { lastTurn: 'interrupted' }), 'interrupted', 'interrupted'],
      [agent('idle'), 'idle', 'idle'],
      [agent('waiting-approval'), 'needs-approval', 'waiting for approval'],
      [agent('working', { waitingFor: 'terminal' }), 'working', 'working'],
      [agent('stopped', { waitingFor: 'terminal' }), 'stopped', 'stopped'],
      [agent('working', { quarantine: { since: 1, reason: 'r', evidence: [] } }), 'quarantined', 'quarantined'],
    ];
    for (const [a, look, label] of cases) {
      assert.equal(agentLook(a), look, `${a.status} ${a.waitingFor ?? ''} ${a.lastTurn ?? ''}`);
      assert.equal(LOOKS[look].label, label);
    }
  });

  it('makes every state that needs the user loud, and no other', () => {
    const loud = (Object.keys(LOOKS) as AgentLook[]).filter((l) => LOOKS[l].needsUser).sort();
    assert.deepEqual(loud, ['failed', 'needs-approval', 'needs-input', 'needs-terminal', 'quarantined', 'stalled', 'turn-failed']);
    for (const l of loud) assert.match(LOOKS[l].color ?? '', /^notifications(Warning|Error)Icon\.foreground$/, l);
    for (const l of Object.keys(LOOKS) as AgentLook[]) {
      if (!LOOKS[l].needsUser) assert.doesNotMatch(LOOKS[l].color ?? '', /^notifications/, `${l} is not loud`);
    }
    assert.equal(LOOKS['needs-approval'].color, 'notificationsErrorIcon.foreground', 'approval blocks work: the loudest');
  });

  it('counts active time (the running stretch too) and keeps wall time apart', () => {
    assert.equal(activeMs(agent('working', { activeMs: 5000, activeSince: 20_000 }), 26_000), 11_000);
    assert.equal(activeMs(agent('idle', { activeMs: 5000 }), 99_000), 5000);
    assert.equal(activeMs(agent('working'), 5000), undefined, 'older snapshots fall back to wall time');
    assert.equal(wallMs(agent('idle'), 61_000), 60_000);
  });
});
