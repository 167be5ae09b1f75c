// Claude Code's per-process status files (<config>/sessions/<pid>.json): a change of the followed session's status
// reaches its listener once; other sessions, partial writes and unchanged statuses do not; unfollowing stops watching.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClaudeSessionStatuses, sessionsDirOf } from '../../../src/adapters/claudeCode/sessionStatus';
import { waitUntil } from '../../kit/adapterContract';
import { memoryLogger } from '../core/fleetKit';

describe('Claude Code session status files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-sessions-'));
    fs.mkdirSync(path.join(dir, 'sessions'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds the sessions folder from a transcript path', () => {
    assert.equal(sessionsDirOf('/cfg/projects/-tmp-repo/abc.jsonl'), '/cfg/sessions');
  });

  it("reports the followed session's status changes, nothing else", async () => {
    const statuses = new ClaudeSessionStatuses(memoryLogger());
    const seen: string[] = [];
    const follow = statuses.follow(path.join(dir, 'sessions'), 's1', (status, waitingFor) => seen.push(waitingFor ? `${status}:${waitingFor}` : status));
    const write = (pid: number, body: unknown) => fs.writeFileSync(path.join(dir, 'sessions', `${pid}.json`), typeof body === 'string' ? body : JSON.stringify(body));
    write(100, { pid: 100, sessionId: 's1', status: 'busy' });
    await waitUntil('busy', () => seen.length === 1);
    write(200, { pid: 200, sessionId: 'other', status: 'idle' });
    write(100, '{"pid":100,"sessionId":"s1","sta');
    write(100, { pid: 100, sessionId: 's1', status: 'busy', updatedAt: 2 });
    write(100, { pid: 100, sessionId: 's1', status: 'waiting', waitingFor: 'permission prompt' });
    await waitUntil('waiting', () => seen.length === 2);
    write(100, { pid: 100, sessionId: 's1', status: 'idle' });
    await waitUntil('idle', () => seen.length === 3);
    assert.deepEqual(seen, ['busy', 'waiting:permission prompt', 'idle']);
    follow.dispose();
    write(100, { pid: 100, sessionId: 's1', status: 'busy' });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(seen.length, 3, 'unfollowed: no more events');
    statuses.dispose();
  });
});
