// The quota wall as Claude Code 2.1.197 really reports it (payloads recorded by record.ts in this folder): StopFailure
// at a rate or usage limit becomes a failed-turn fact marked as quota, with the reset time exactly as the message named
// it (to the minute, in the zone it names), and no reset time when the message names none.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hookFacts } from '../../../../src/adapters/claudeCode/hookMapping';
import { quotaWallOf, resetTimeIn } from '../../../../src/adapters/claudeCode/quotaWall';
import { parseHookPayload } from '../../../../src/shared/claudeCode/hookPayloads';

interface Recorded {
  readonly resetEpochMs: number;
  readonly refusedRequests: number;
  readonly result: string;
  readonly hooks: readonly { readonly at: number; readonly payload: unknown }[];
  readonly transcriptApiErrors: readonly Record<string, unknown>[];
}

const load = (name: string): Recorded => JSON.parse(readFileSync(join(__dirname, `${name}.recorded.json`), 'utf8')) as Recorded;

function stopFailure(rec: Recorded): { at: number; facts: ReturnType<typeof hookFacts> } {
  const hook = rec.hooks.find((h) => (h.payload as { hook_event_name?: string }).hook_event_name === 'StopFailure');
  assert.ok(hook, 'the recording has a StopFailure');
  const parsed = parseHookPayload(hook.payload);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return { at: hook.at, facts: hookFacts(parsed.payload, parsed.payload.session_id, hook.at) };
}

describe('Claude Code at the quota wall (recorded 2.1.197 payloads)', () => {
  it('API key over a rate limit: retried (CLAUDE_CODE_MAX_RETRIES=2), then a quota fact with no reset time', () => {
    const rec = load('api-key-rate-limit');
    assert.equal(rec.refusedRequests, 3, 'one request and two retries');
    const { facts } = stopFailure(rec);
    assert.deepEqual(facts.facts, [
      { type: 'turn', phase: 'failed', detail: 'API Error: Request rejected (429) · This request would exceed your rate limit. Please try again later.', quota: {} },
    ]);
    // The transcript marks the line as an API error and says nothing more about the reset either.
    assert.deepEqual(rec.transcriptApiErrors.map((l) => [l.error, l.apiErrorStatus]), [['rate_limit', 429]]);
  });

  it('subscription usage limit: no retry, and the reset time read from "resets 1:04pm (Europe/Berlin)" to the minute', () => {
    const rec = load('subscription-usage-limit');
    assert.equal(rec.refusedRequests, 1);
    const { facts } = stopFailure(rec);
    const [fact] = facts.facts;
    assert.ok(fact?.type === 'turn' && fact.phase === 'failed');
    assert.match(fact.detail ?? '', /^You've hit your session limit · resets \d{1,2}(:\d\d)?[ap]m \(Europe\/Berlin\)$/);
    assert.deepEqual(fact.quota, { resetsAt: rec.resetEpochMs });
  });

  it('a reset more than 24 h away names its day: "resets Dec 1, 4:04pm (Europe/Berlin)"', () => {
    const rec = load('subscription-weekly-limit');
    const { facts } = stopFailure(rec);
    const [fact] = facts.facts;
    assert.ok(fact?.type === 'turn');
    assert.match(fact.detail ?? '', /weekly limit · resets [A-Z][a-z]{2} \d{1,2}, /);
    assert.deepEqual(fact.quota, { resetsAt: rec.resetEpochMs });
  });

  it('other API errors are failed turns, not the quota wall; a subagent’s failure is only activity', () => {
    const base = load('api-key-rate-limit').hooks.find((h) => (h.payload as { hook_event_name?: string }).hook_event_name === 'StopFailure')!.payload as Record<string, unknown>;
    const auth = parseHookPayload({ ...base, error: 'authentication_failed', last_assistant_message: 'Invalid API key · Please run /login' });
    assert.ok(auth.ok);
    assert.deepEqual(hookFacts(auth.payload, auth.payload.session_id).facts, [{ type: 'turn', phase: 'failed', detail: 'Invalid API key · Please run /login' }]);
    const sub = parseHookPayload({ ...base, agent_id: 'a1', agent_type: 'Explore' });
    assert.ok(sub.ok);
    assert.deepEqual(hookFacts(sub.payload, sub.payload.session_id).facts, [{ type: 'activity' }]);
  });
});

describe('resetTimeIn: only times that read exactly', () => {
  const at = Date.UTC(2026, 10, 30, 9, 0); // 10:00 in Berlin, 04:00 in New York
  const cases: [string, string | undefined][] = [
    ['resets 2:05pm (Europe/Berlin)', '2026-11-30T13:05:00.000Z'],
    ['resets 12pm (UTC)', '2026-11-30T12:00:00.000Z'],
    // Already past today in that zone: the next time it comes round.
    ['resets 9am (Europe/Berlin)', '2026-12-01T08:00:00.000Z'],
    ['resets 12am (UTC)', '2026-12-01T00:00:00.000Z'],
    ['resets 11:30pm (America/New_York)', '2026-12-01T04:30:00.000Z'],
    ['resets Dec 3, 4pm (Asia/Tokyo)', '2026-12-03T07:00:00.000Z'],
    ['resets Jan 2, 2027, 12:15am (UTC)', '2027-01-02T00:15:00.000Z'],
    // No zone, an unknown zone, an impossible hour: not guessed.
    ['resets 2pm', undefined],
    ['resets 2pm (Mars/Olympus)', undefined],
    ['resets 13pm (UTC)', undefined],
    ['Please try again later.', undefined],
  ];
  for (const [text, iso] of cases) {
    it(`${text} -> ${iso ?? 'unknown'}`, () => {
      const got = resetTimeIn(text, at);
      assert.equal(got === undefined ? undefined : new Date(got).toISOString(), iso);
    });
  }

  it('a summer reset across the DST change reads in that day’s offset', () => {
    // 29 March 2026 02:00 Berlin switches to CEST (+2): 3pm that day is 13:00 UTC.
    assert.equal(new Date(resetTimeIn('resets Mar 29, 3pm (Europe/Berlin)', Date.UTC(2026, 2, 27, 9))!).toISOString(), '2026-03-29T13:00:00.000Z');
  });

  it('billing_error is the quota wall too; overloaded is not', () => {
    assert.deepEqual(quotaWallOf('billing_error', 'Credit balance is too low', at), {});
    assert.equal(quotaWallOf('overloaded', 'Overloaded', at), undefined);
  });
});
