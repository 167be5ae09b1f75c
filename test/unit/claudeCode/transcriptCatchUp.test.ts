// The transcript catch-up after a reload, request by request against the store: a request made while the window was
// away is counted whole and with its id, even when the agent's counted usage also holds requests no transcript has
// (Claude Code's side queries, from its OpenTelemetry events), which the per-model difference would subtract from it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AgentSignalSink } from '../../../src/core/agents/agentAdapter';
import type { AgentSignal } from '../../../src/core/agents/agentSignal';
import { TranscriptCatchUp } from '../../../src/adapters/claudeCode/transcriptCatchUp';
import type { StoredRequest } from '../../../src/adapters/claudeCode/transcriptCatchUp';
import { TranscriptWatch } from '../../../src/adapters/claudeCode/transcriptWatch';
import type { Usage } from '../../../src/shared/agent';
import { memoryLogger } from '../core/fleetKit';
import { assistant } from './transcriptLines';

const MODEL = 'claude-sonnet-4-5-20250929';
const stored = (requestId: string | undefined, input: number, output: number, cacheWrite = 0, cacheWrite1h = 0): StoredRequest => ({ model: MODEL, ...(requestId !== undefined ? { requestId } : {}), input, output, cacheRead: 0, cacheWrite, cacheWrite1h });
const sum = (rows: readonly StoredRequest[]): Record<string, Usage> => ({
  [MODEL]: rows.reduce((u, r) => ({ input: u.input + r.input, output: u.output + r.output, cacheRead: u.cacheRead + r.cacheRead, cacheWrite: u.cacheWrite + r.cacheWrite }), { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }),
});

describe('Claude Code transcript catch-up after a reload', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-catchup-'));
    file = path.join(dir, 's1.jsonl');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Attaches a watch as after a reload and returns the usage facts of its first read. */
  async function catchUp(known: { counted: Record<string, Usage>; stored?: readonly StoredRequest[] }): Promise<AgentSignal[]> {
    const facts: AgentSignal[] = [];
    const sink = { signal: (_id: string, s: AgentSignal) => facts.push(s) } as unknown as AgentSignalSink;
    const watch = new TranscriptWatch({ agentId: 'a', sink, log: memoryLogger(), known: { paths: [file], ...known } });
    try {
      await watch.read();
      return facts.filter((f) => f.type === 'usage');
    } finally {
      watch.dispose();
    }
  }

  it('a request made while away is counted whole with its id; a side query in the counted usage does not hide it', async () => {
    // Counted before the reload: r1 from the transcript, and a compaction counted from Claude Code's telemetry.
    const before = [stored('r1', 1000, 50), stored('compact-1', 9000, 400)];
    fs.writeFileSync(file, assistant({ id: 'm1', req: 'r1', input: 1000, output: 50 }) + assistant({ id: 'm2', req: 'r2', input: 3000, output: 70 }));
    const facts = await catchUp({ counted: sum(before), stored: before });
    assert.deepEqual(facts, [{ type: 'usage', model: MODEL, delta: { input: 3000, output: 70, cacheRead: 0, cacheWrite: 0 }, requestId: 'r2' }]);
  });

  it('control: by model alone the same history loses the new request behind the side query', async () => {
    const before = [stored('r1', 1000, 50), stored('compact-1', 9000, 400)];
    fs.writeFileSync(file, assistant({ id: 'm1', req: 'r1', input: 1000, output: 50 }) + assistant({ id: 'm2', req: 'r2', input: 3000, output: 70 }));
    assert.deepEqual(await catchUp({ counted: sum(before) }), [], 'r2 (3000 in) disappears in the 9000 of the compaction');
  });

  it('a request that grew while away (its later line) reports only the growth, the 1-hour writes apart', async () => {
    const before = [stored('r1', 1000, 10, 200, 0)];
    fs.writeFileSync(file, assistant({ id: 'm1', req: 'r1', input: 1000, output: 10, cacheCreation: 200 }) + assistant({ id: 'm1', req: 'r1', input: 1000, output: 90, cacheCreation: 500, cacheCreation1h: 300 }));
    const facts = await catchUp({ counted: sum(before), stored: before });
    assert.deepEqual(facts, [{ type: 'usage', model: MODEL, delta: { input: 0, output: 80, cacheRead: 0, cacheWrite: 300 }, requestId: 'r1', cacheWrite1h: 300 }]);
  });

  it('nothing new: nothing reported', async () => {
    const before = [stored('r1', 1000, 50)];
    fs.writeFileSync(file, assistant({ id: 'm1', req: 'r1', input: 1000, output: 50 }));
    assert.deepEqual(await catchUp({ counted: sum(before), stored: before }), []);
  });

  it('stored requests that do not account for the counted usage (counted before they were kept): the per-model difference', async () => {
    const before = [stored('r1', 1000, 50)];
    const counted = { [MODEL]: { input: 1500, output: 60, cacheRead: 0, cacheWrite: 0 } };
    assert.equal(TranscriptCatchUp.of(before, counted), undefined);
    fs.writeFileSync(file, assistant({ id: 'm1', req: 'r1', input: 1000, output: 50 }) + assistant({ id: 'm2', req: 'r2', input: 3000, output: 70 }));
    assert.deepEqual(await catchUp({ counted, stored: before }), [{ type: 'usage', model: MODEL, delta: { input: 2500, output: 60, cacheRead: 0, cacheWrite: 0 } }]);
  });

  it('a stored request without an id (an earlier per-model catch-up) keeps the per-model difference: it names no request', () => {
    const before = [stored('r1', 1000, 50), stored(undefined, 3000, 70)];
    assert.equal(TranscriptCatchUp.of(before, sum(before)), undefined);
  });
});
