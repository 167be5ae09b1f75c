// After a reload, what an agent's transcripts hold beyond what the store already counted, request by request. A
// request the store names by its id is history up to its stored tokens (only growth since is new); a request it does
// not know was made while the window was away and is reported whole, with its id, so it is priced on its own. This is
// exact where the per-model difference is not: the agent's counted usage also holds requests no transcript has (Claude
// Code's side queries, counted from its OpenTelemetry events), which would hide as many tokens of the new requests.
// Used only when every stored request has an id and they add up to the agent's counted usage; otherwise (usage counted
// before requests were stored, or a per-model difference of an earlier catch-up, which names no request)
// transcriptWatch keeps the per-model difference.
import type { UsageRequest } from '../../core/store/usageRepo';
import type { Usage } from '../../shared/agent';
import { ZERO_USAGE } from './transcriptReader';
import type { TokenUsage, UsageDelta } from './transcriptReader';

/** One stored request (the store's usage_requests row): cache writes 5-minute and 1-hour together, and the 1-hour part. */
export type StoredRequest = Pick<UsageRequest, 'model' | 'requestId' | 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'cacheWrite1h'>;

const KEYS = ['input', 'output', 'cacheRead', 'cacheCreation', 'cacheCreation1h'] as const;

const tokensOf = (r: StoredRequest): TokenUsage => ({ input: r.input, output: r.output, cacheRead: r.cacheRead, cacheCreation: r.cacheWrite, cacheCreation1h: r.cacheWrite1h });

function plus(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { input: a.input + b.input, output: a.output + b.output, cacheRead: a.cacheRead + b.cacheRead, cacheCreation: a.cacheCreation + b.cacheCreation, cacheCreation1h: a.cacheCreation1h + b.cacheCreation1h };
}

const isZero = (t: TokenUsage): boolean => KEYS.every((k) => t[k] === 0);

export class TranscriptCatchUp {
  /** Per request id: the stored tokens history lines have not yet used up. */
  private readonly remaining = new Map<string, TokenUsage>();

  private constructor(stored: readonly StoredRequest[]) {
    for (const r of stored) this.remaining.set(r.requestId!, plus(this.remaining.get(r.requestId!) ?? ZERO_USAGE, tokensOf(r)));
  }

  /** A catch-up when every stored request has an id and they account for every token of `counted`; else undefined. */
  static of(stored: readonly StoredRequest[], counted: Readonly<Record<string, Usage>>): TranscriptCatchUp | undefined {
    const sums = new Map<string, Usage>();
    for (const r of stored) {
      if (r.requestId === undefined) return undefined;
      const s = sums.get(r.model) ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
      sums.set(r.model, { input: s.input + r.input, output: s.output + r.output, cacheRead: s.cacheRead + r.cacheRead, cacheWrite: s.cacheWrite + r.cacheWrite });
    }
    for (const model of new Set([...sums.keys(), ...Object.keys(counted)])) {
      const a = sums.get(model) ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
      const b = counted[model] ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
      if (a.input !== b.input || a.output !== b.output || a.cacheRead !== b.cacheRead || a.cacheWrite !== b.cacheWrite) return undefined;
    }
    return new TranscriptCatchUp(stored);
  }

  /**
   * The part of a history line's delta not counted yet (undefined: all of it was). A line without a request id was
   * never counted (every stored request has one): all of it is new.
   */
  take(d: UsageDelta): UsageDelta | undefined {
    if (d.requestId === undefined) return d;
    const left = this.remaining.get(d.requestId) ?? ZERO_USAGE;
    const rest: TokenUsage = {
      input: d.usage.input - Math.min(left.input, d.usage.input),
      output: d.usage.output - Math.min(left.output, d.usage.output),
      cacheRead: d.usage.cacheRead - Math.min(left.cacheRead, d.usage.cacheRead),
      cacheCreation: d.usage.cacheCreation - Math.min(left.cacheCreation, d.usage.cacheCreation),
      cacheCreation1h: d.usage.cacheCreation1h - Math.min(left.cacheCreation1h, d.usage.cacheCreation1h),
    };
    this.remaining.set(d.requestId, {
      input: left.input - (d.usage.input - rest.input),
      output: left.output - (d.usage.output - rest.output),
      cacheRead: left.cacheRead - (d.usage.cacheRead - rest.cacheRead),
      cacheCreation: left.cacheCreation - (d.usage.cacheCreation - rest.cacheCreation),
      cacheCreation1h: left.cacheCreation1h - (d.usage.cacheCreation1h - rest.cacheCreation1h),
    });
    return isZero(rest) ? undefined : { ...d, usage: rest };
  }
}
