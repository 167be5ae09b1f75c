// The host nodes of remote connections in the Agents tree (vscode-free model): which agents sit under a host, and
// the words and icon of each connection state.
import assert from 'node:assert/strict';
import { runnerAgentAddress } from '../../../src/adapters/remote/runnerFleetAgents';
import type { AgentSnapshot } from '../../../src/shared/agent';
import { hostDescription, hostIcon, hostOf } from '../../../src/vscode/remoteConnectionsTree';
import { newFleet } from '../core/fleetKit';

describe('remote connection host nodes', () => {
  it('puts a runner agent under its configured connection, nothing else', () => {
    const { fleet } = newFleet();
    const make = (kind: AgentSnapshot['kind'], command: string): AgentSnapshot => fleet.create({ name: `a${fleet.list().length}`, kind, cwd: '/w', command }).agent;
    const hosts = new Set(['box', 'ci']);
    assert.equal(hostOf(make('remote', runnerAgentAddress('box', 'fixer')), hosts), 'box');
    assert.equal(hostOf(make('remote', runnerAgentAddress('gone', 'fixer')), hosts), undefined, 'its connection was removed from the settings');
    assert.equal(hostOf(make('remote', 'node agent.js'), hosts), undefined, 'an agent that dialled in');
    assert.equal(hostOf(make('custom', runnerAgentAddress('box', 'x')), hosts), undefined, 'not a remote agent');
    fleet.dispose();
  });

  it('says how each connection is doing, with the countdown to the next attempt', () => {
    const now = 100_000;
    assert.equal(hostDescription({ phase: 'connected', host: 'build-box', agents: 2 }, 2, now), 'connected to build-box · 2 agents');
    assert.equal(hostDescription({ phase: 'connecting' }, 1, now), 'connecting… · 1 agent');
    assert.equal(hostDescription({ phase: 'reconnecting', nextAttemptAt: now + 7_200, reason: 'connect ECONNREFUSED 127.0.0.1:7311' }, 0, now), 'reconnecting, next attempt in 8 s (connect ECONNREFUSED 127.0.0.1:7311) · 0 agents');
    assert.equal(hostDescription({ phase: 'unauthorized', nextAttemptAt: now - 5 }, 3, now), 'authentication failed (check its token), next attempt in 0 s · 3 agents');
    assert.deepEqual(hostIcon({ phase: 'unauthorized', nextAttemptAt: 0 }), { icon: 'lock', color: 'notificationsErrorIcon.foreground' });
    assert.deepEqual(hostIcon({ phase: 'connected', host: 'h', agents: 0 }), { icon: 'remote' });
  });
});
