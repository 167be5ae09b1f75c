// Replays a trace fixture recorded from the real Claude Code CLI through the adapter's real pieces, the way the hook
// route and the transcript watch feed the core: each hook payload is parsed and mapped (hookFacts, with the session
// the route knows), its facts reported, then the transcripts it names followed and read (the route's order);
// transcript lines are appended to files in a temp dir and read as the file watcher would, a debounce later. Facts land in a TraceHarness (real store, hand-driven clock at the recorded
// moments). Hooks can be reordered and the service restarted between events.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hookFacts } from '../../../src/adapters/claudeCode/hookMapping';
import { TRANSCRIPT_DEBOUNCE_MS, TranscriptWatch } from '../../../src/adapters/claudeCode/transcriptWatch';
import type { AgentSignal } from '../../../src/core/agents/agentSignal';
import type { Usage } from '../../../src/shared/agent';
import { parseHookPayload } from '../../../src/shared/claudeCode/hookPayloads';
import type { RecordedEvent, RecordedTrace } from '../../fixtures/traces/recordedTrace';
import type { TraceHarness } from './traceKit';

export const AGENT = 'agent-1';

export interface ReplayOptions {
  /** Restart the trace service (and the transcript watch, as a reload does) right after this event index. */
  readonly restartAfter?: number;
}

/** The file a recorded transcript path or name stands for under the replay's folder. */
function localPath(dir: string, name: string): string {
  const m = /\/projects\/[^/]+\/(.+)$/.exec(name);
  return path.join(dir, m ? m[1]! : name);
}

export async function replay(h: TraceHarness, trace: RecordedTrace, events: readonly RecordedEvent[] = trace.events, options: ReplayOptions = {}): Promise<void> {
  const dir = path.join(h.dir, 'transcripts');
  fs.mkdirSync(dir, { recursive: true });
  const t0 = h.clock.now();
  let sessionId: string | undefined;
  const followed = new Set<string>();
  const counted: Record<string, Usage> = {};
  const sink = {
    signal: (agentId: string, s: AgentSignal) => {
      if (s.type === 'usage') {
        const c = counted[s.model] ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
        counted[s.model] = { input: c.input + s.delta.input, output: c.output + s.delta.output, cacheRead: c.cacheRead + s.delta.cacheRead, cacheWrite: c.cacheWrite + s.delta.cacheWrite };
      }
      h.facts.fire({ agentId, signal: s });
    },
    approve: () => Promise.reject(new Error('the replay asks for no approvals')),
  };
  // ClaudeAgent reports an interruption line as the turn interrupted.
  const interrupted = () => sink.signal(AGENT, { type: 'turn', phase: 'interrupted', detail: 'interrupted by the user in the terminal' });
  let watch = new TranscriptWatch({ agentId: AGENT, sink, log: h.log, onInterrupt: interrupted });
  const follow = (p: string) => {
    followed.add(p);
    watch.follow(p);
  };
  /** When the file watcher's debounced read is due (a line was written to a followed transcript). */
  let watcherDue: number | undefined;
  try {
    for (const [i, e] of events.entries()) {
      if (watcherDue !== undefined && t0 + e.at >= watcherDue) {
        h.clock.t = Math.max(h.clock.t, watcherDue);
        watcherDue = undefined;
        await watch.read();
      }
      h.clock.t = Math.max(h.clock.t, t0 + e.at);
      if (e.hook) {
        const parsed = parseHookPayload(JSON.stringify(e.hook));
        if (!parsed.ok) throw new Error(`recorded payload ${i} does not parse: ${parsed.error}`);
        const mapped = hookFacts(parsed.payload, sessionId);
        for (const fact of mapped.facts) {
          if (fact.type === 'session' && fact.phase === 'started') sessionId = fact.sessionId;
          sink.signal(AGENT, fact);
        }
        follow(localPath(dir, mapped.transcriptPath));
        const sub = (e.hook as { agent_transcript_path?: unknown }).agent_transcript_path;
        if (typeof sub === 'string') follow(localPath(dir, sub));
        await watch.read();
      } else {
        const file = localPath(dir, e.transcript);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.appendFileSync(file, `${JSON.stringify(e.line)}\n`);
        if (followed.has(file)) watcherDue ??= t0 + e.at + TRANSCRIPT_DEBOUNCE_MS;
      }
      if (options.restartAfter === i) {
        watch.dispose();
        h.restart();
        watch = new TranscriptWatch({ agentId: AGENT, sink, log: h.log, known: { paths: [...followed], counted: { ...counted } }, onInterrupt: interrupted });
        await watch.read();
      }
    }
    if (watcherDue !== undefined) h.clock.t = Math.max(h.clock.t, watcherDue);
    await watch.read();
  } finally {
    watch.dispose();
  }
}

/** The events with every tool end hook moved before its start (http hooks travel on separate connections). */
export function endsBeforeStarts(events: readonly RecordedEvent[]): RecordedEvent[] {
  const out = [...events];
  const id = (e: RecordedEvent) => (e.hook ? String(e.hook.tool_use_id ?? '') : '');
  for (let i = 0; i < out.length; i++) {
    const e = out[i]!;
    const name = e.hook?.hook_event_name;
    if (name !== 'PostToolUse' && name !== 'PostToolUseFailure') continue;
    const start = out.findIndex((x) => x.hook?.hook_event_name === 'PreToolUse' && id(x) === id(e));
    if (start < 0 || start > i) continue;
    out.splice(i, 1);
    out.splice(start, 0, { ...e, at: out[start]!.at });
  }
  return out;
}
