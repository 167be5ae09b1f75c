import assert from 'node:assert/strict';
import { AGENT_STATUSES } from '../../../src/shared/status';
import type { AgentStatus } from '../../../src/shared/status';
import { STATUS_EVENTS, transition, isEnded } from '../../../src/core/statusMachine';
import type { StatusEvent } from '../../../src/core/statusMachine';

// The expected table, written out in full so a change to the machine is a visible change to this test.
// '-' marks a refused transition.
const cols: StatusEvent[] = [...STATUS_EVENTS];
const S = (s: string): AgentStatus | '-' => (s === '-' ? '-' : (s as AgentStatus));
const LIVE_ROW = (approvalResolved: string, sessionStarted: string, launched = '-', stall = 'stalled', lost = 'disconnected') =>
  [launched, sessionStarted, 'working', 'working', 'waiting-approval', approvalResolved, 'waiting-input', 'idle', stall, lost, 'done', 'failed', 'stopped', 'quarantined', '-', 'unreachable'];
const ENDED_ROW = ['starting', 'idle', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-'];

const expected: Record<AgentStatus, string[]> = {
  starting: LIVE_ROW('-', 'idle'),
  working: LIVE_ROW('working', '-'),
  // Past a prompt in the terminal (a trust dialog), the session starts.
  'waiting-input': LIVE_ROW('working', 'idle'),
  'waiting-approval': LIVE_ROW('working', '-'),
  idle: LIVE_ROW('idle', 'idle'),
  stalled: LIVE_ROW('working', '-'),
  disconnected: LIVE_ROW('-', 'idle', 'starting'),
  unreachable: LIVE_ROW('-', 'idle', 'starting'),
  failed: ENDED_ROW,
  done: ENDED_ROW,
  stopped: ENDED_ROW,
  quarantined: ['-', '-', '-', '-', '-', '-', '-', '-', '-', '-', 'done', 'failed', 'stopped', '-', 'idle', '-'],
};

describe('status state machine', () => {
  it('has an expected row for every status and a column for every event', () => {
    assert.deepEqual(Object.keys(expected).sort(), [...AGENT_STATUSES].sort());
    for (const row of Object.values(expected)) assert.equal(row.length, cols.length);
  });

  for (const from of AGENT_STATUSES) {
    for (const [i, event] of cols.entries()) {
      const want = S(expected[from][i]!);
      it(`${from} --${event}--> ${want === '-' ? 'refused' : want}`, () => {
        const result = transition(from, event);
        if (want === '-') {
          assert.equal(result.ok, false);
          assert.equal(result.status, from, 'a refused transition keeps the status');
          assert.match((result as { reason: string }).reason, new RegExp(`'${event}' is not allowed while the agent is ${from}`));
        } else {
          assert.equal(result.ok, true);
          assert.equal(result.status, want);
          assert.equal((result as { changed: boolean }).changed, want !== from);
        }
      });
    }
  }

  it('every status is reachable from starting', () => {
    const seen = new Set<AgentStatus>(['starting']);
    const queue: AgentStatus[] = ['starting'];
    while (queue.length) {
      const from = queue.shift()!;
      for (const event of cols) {
        const r = transition(from, event);
        if (r.ok && !seen.has(r.status)) {
          seen.add(r.status);
          queue.push(r.status);
        }
      }
    }
    assert.deepEqual([...seen].sort(), [...AGENT_STATUSES].sort());
  });

  it('ended statuses are exactly done, failed and stopped', () => {
    assert.deepEqual(AGENT_STATUSES.filter(isEnded), ['failed', 'done', 'stopped']);
  });
});
