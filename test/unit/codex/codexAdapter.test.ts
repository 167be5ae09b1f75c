// The Codex adapter's bridge route without Codex: bad payloads are refused naming the field, other kinds' tokens
// are refused, an agent that is not attached is answered neutrally, and disposing the scope detaches it.
import assert from 'node:assert/strict';
import { CodexAdapter } from '../../../src/adapters/codex/codexAdapter';
import { parseCodexHookPayload } from '../../../src/adapters/codex/codexHookPayloads';
import type { AdapterHost, AdapterRoute } from '../../../src/core/agents/agentAdapter';
import type { AgentSignal } from '../../../src/core/agents/agentSignal';
import { DisposableStore } from '../../../src/core/events';
import type { AgentSnapshot } from '../../../src/shared/agent';
import { AgentSnapshotSchema } from '../../../src/shared/agent';

const snapshot = (kind: AgentSnapshot['kind']): AgentSnapshot =>
  AgentSnapshotSchema.parse({
    id: `${kind}-1`,
    name: 'a',
    kind,
    status: 'working',
    createdAt: 0,
    cwd: '/w',
    usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    usageByModel: {},
    costUsd: 0,
    unpricedModels: [],
  });

const stop = { hook_event_name: 'Stop', session_id: 's1', transcript_path: null, cwd: '/w', turn_id: 't1', last_assistant_message: 'done' };

describe('Codex adapter route', () => {
  const facts: AgentSignal[] = [];
  const warnings: string[] = [];
  let route: AdapterRoute;
  let paths: string[];
  const adapter = new CodexAdapter();
  const sink = { signal: (_id: string, f: AgentSignal) => void facts.push(f), approve: () => Promise.reject(new Error('not here')) };

  before(() => {
    paths = [];
    const host: AdapterHost = {
      sink,
      log: { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: (m) => void warnings.push(m), error: () => undefined },
      agentByToken: () => undefined,
      agent: () => undefined,
      route: (path, handler) => {
        paths.push(path);
        route = handler;
        return { dispose: () => undefined };
      },
    };
    adapter.activate(host);
  });

  it('registers /hooks/codex and declares honest capabilities', () => {
    assert.deepEqual(paths, ['/hooks/codex']);
    assert.equal(adapter.kind, 'codex');
    assert.equal(adapter.capabilities.usage, 'exact');
    assert.equal(adapter.capabilities.blockingApprovals, true);
  });

  it('refuses a payload naming the field, and another kind of agent', async () => {
    const agent = snapshot('codex');
    const bad = await route({ agent, body: { ...stop, session_id: 42 } }, new AbortController().signal);
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /Stop: session_id/);
    const unknown = await route({ agent, body: { ...stop, hook_event_name: 'PreCompact' } }, new AbortController().signal);
    assert.match(JSON.stringify(unknown.body), /hook_event_name: unsupported event 'PreCompact'/);
    const claude = await route({ agent: snapshot('claude-code'), body: stop }, new AbortController().signal);
    assert.equal(claude.status, 403);
  });

  it('answers an attached agent with facts, and detaches with its scope', async () => {
    const agent = snapshot('codex');
    const scope = new DisposableStore();
    adapter.attach(agent, sink, scope);
    const reply = await route({ agent, body: stop }, new AbortController().signal);
    assert.deepEqual(reply, { status: 200, body: {} });
    assert.deepEqual(facts, [{ type: 'turn', phase: 'ended' }]);
    scope.dispose();
    await route({ agent, body: stop }, new AbortController().signal);
    assert.equal(facts.length, 1);
    assert.match(warnings.at(-1) ?? '', /not attached/);
  });

  it('parses the PermissionRequest Codex sends (no tool_use_id, the justification as description)', () => {
    const parsed = parseCodexHookPayload({
      hook_event_name: 'PermissionRequest',
      session_id: 's1',
      transcript_path: '/h/sessions/2026/11/30/rollout-x.jsonl',
      cwd: '/w',
      model: 'mock-model',
      permission_mode: 'default',
      turn_id: 't',
      tool_name: 'Bash',
      tool_input: { command: 'echo hi > ../x', description: 'Allow writing outside?' },
    });
    assert.equal(parsed.ok, true);
  });
});
