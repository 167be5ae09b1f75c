// The context beside an agent's requests in the Approvals panel, with real parts: a Claude Code-shaped transcript
// file read from its tail, a real Fleet and ApprovalQueue, and the panel's host endpoint posting what the page gets.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastAssistantText } from '../../../src/adapters/claudeCode/lastAssistantText';
import { ApprovalContext, excerpt } from '../../../src/core/approvals/approvalContext';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import { Fleet } from '../../../src/core/fleet/fleet';
import { emptyUsage } from '../../../src/shared/agent';
import { ApprovalsHostEndpoint } from '../../../src/shared/webview/approvalsHost';
import type { ApprovalsHostMessage, StateMessage } from '../../../src/shared/webview/approvalsProtocol';
import { MemoryPersistence, memoryLogger } from '../core/fleetKit';

const assistant = (content: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'assistant', message: { id: 'm', model: 'x', content }, ...extra });
const user = (text: string) => JSON.stringify({ type: 'user', message: { role: 'user', content: text } });

describe('Approval context: what the agent last said', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'flotilla-context-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the newest assistant text, past tool calls and subagent lines, from the tail of the file', async () => {
    const file = join(dir, 't.jsonl');
    writeFileSync(file, [
      user('push it'),
      assistant([{ type: 'text', text: 'First I look around.' }]),
      assistant([{ type: 'text', text: 'Tests pass.' }, { type: 'text', text: 'Pushing now.' }]),
      assistant([{ type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'git push' } }]),
      assistant([{ type: 'text', text: 'a subagent speaking' }], { isSidechain: true }),
      '{"type":"assistant", not json',
      '',
    ].join('\n'));
    assert.equal(await lastAssistantText(file), 'Tests pass.\nPushing now.');
    // Only the tail is read: a line cut by the start of the tail is not taken for a line.
    appendFileSync(file, `${assistant([{ type: 'text', text: 'x'.repeat(400) }])}\n${assistant([{ type: 'tool_use', id: 't2', name: 'Read', input: {} }])}\n`);
    assert.equal(await lastAssistantText(file, 300), undefined, 'the only text line starts before the tail');
    assert.equal(await lastAssistantText(file), 'x'.repeat(400));
    assert.equal(await lastAssistantText(join(dir, 'missing.jsonl')), undefined);
  });

  it('excerpts keep the start of a task and the end of what was said, on one line', () => {
    assert.equal(excerpt('fix\n\n the   bug', 100, 'start'), 'fix the bug');
    assert.equal(excerpt('abcdefghij', 5, 'start'), 'abcd…');
    assert.equal(excerpt('abcdefghij', 5, 'end'), '…ghij');
  });
});

describe('Approval context in the panel host', () => {
  let dir: string;
  let fleet: Fleet;
  let queue: ApprovalQueue;
  let context: ApprovalContext;
  let endpoint: ApprovalsHostEndpoint;
  let posted: ApprovalsHostMessage[];
  let waiters: { match: (m: StateMessage) => boolean; resolve: (m: StateMessage) => void }[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-context-'));
    fleet = new Fleet(new MemoryPersistence(), memoryLogger());
    queue = new ApprovalQueue(() => ({ escalateAfterMs: 600_000, timeoutMs: 900_000 }));
    context = new ApprovalContext({
      agent: (id) => fleet.get(id),
      onDidChangeAgent: fleet.onDidChangeAgent,
      onDidAddRequest: queue.onDidAdd,
      hasPending: (id) => queue.pending().some((r) => r.agentId === id),
      lastMessage: (agent) => (agent.transcriptPath ? lastAssistantText(agent.transcriptPath) : Promise.resolve(undefined)),
      log: memoryLogger(),
    });
    posted = [];
    waiters = [];
    endpoint = new ApprovalsHostEndpoint({
      source: queue,
      context,
      coalesceMs: 5,
      post: (m) => {
        posted.push(m);
        if (m.type !== 'state') return;
        for (const w of waiters.filter((w) => w.match(m))) w.resolve(m);
        waiters = waiters.filter((w) => !w.match(m));
      },
      log: { warn: () => undefined, error: (e) => assert.fail(String(e)) },
      openAgent: () => undefined,
    });
    endpoint.receive({ type: 'ready' });
  });
  afterEach(() => {
    endpoint.dispose();
    context.dispose();
    queue.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const nextState = (match: (m: StateMessage) => boolean) => new Promise<StateMessage>((resolve) => waiters.push({ match, resolve }));
  const states = () => posted.filter((m): m is StateMessage => m.type === 'state');

  it("sends each asking agent's task, last words and spend; a spend change under a cent is no news", async () => {
    const transcript = join(dir, 'session.jsonl');
    writeFileSync(transcript, `${user('fix it')}\n`);
    const pusher = fleet.create({ name: 'pusher', kind: 'claude-code', cwd: dir, prompt: `Fix the login bug.\n${'Then tidy up. '.repeat(100)}`, budget: { usd: 5 } }).agent;
    const idle = fleet.create({ name: 'idle', kind: 'claude-code', cwd: dir }).agent;
    fleet.update(pusher.id, { transcriptPath: transcript });
    fleet.addUsage(pusher.id, 'claude-sonnet-4-5', { ...emptyUsage(), output: 10 }, 0.42);

    const asked = nextState((m) => m.pending.length === 1);
    void queue.request({ agentId: pusher.id, agentName: 'pusher', tool: 'Bash', summary: 'Bash: git push', input: { command: 'git push' } });
    assert.equal((await asked).agents?.[0]?.lastMessage, undefined, 'Claude Code has not written its reply yet when its hook asks');
    // The reply reaches the transcript, and its usage the fleet (as the transcript watcher reports it).
    appendFileSync(transcript, `${assistant([{ type: 'text', text: 'The tests pass; I will push the branch now.' }])}\n`);
    const withWords = nextState((m) => m.agents?.[0]?.lastMessage !== undefined);
    fleet.addUsage(pusher.id, 'claude-sonnet-4-5', { ...emptyUsage(), output: 10 }, 0);
    const state = await withWords;
    assert.equal(state.pending.length, 1);
    assert.equal(state.agents!.length, 1, 'only agents with requests');
    const [ctx] = state.agents!;
    assert.equal(ctx!.lastMessage, 'The tests pass; I will push the branch now.');
    assert.equal(ctx!.costUsd, 0.42);
    assert.equal(ctx!.budgetUsd, 5);
    assert.ok(ctx!.task!.startsWith('Fix the login bug. Then tidy up.') && ctx!.task!.endsWith('…') && ctx!.task!.length === 600, ctx!.task);

    const before = states().length;
    fleet.addUsage(pusher.id, 'claude-sonnet-4-5', emptyUsage(), 0.001);
    fleet.update(pusher.id, { statusReason: 'waiting' });
    fleet.addUsage(idle.id, 'claude-sonnet-4-5', { ...emptyUsage(), output: 1 }, 3);
    const spent = nextState((m) => m.agents?.[0]?.costUsd === 0.45);
    fleet.addUsage(pusher.id, 'claude-sonnet-4-5', { ...emptyUsage(), output: 1 }, 0.03);
    await spent;
    assert.equal(states().length, before + 1, 'one push: for the cent that changed, not for the idle agent or a tenth of a cent');
  });
});
