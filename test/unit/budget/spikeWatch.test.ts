// SpikeWatch on a real Fleet and a fake clock: a steady agent never fires; a 4× burst fires once, names the agent and
// the rates; it fires again only after it calmed down; no alert before 10 min of baseline or under the minimum rate;
// idle time does not count; an agent with an unpriced model is watched in tokens.
import assert from 'node:assert/strict';
import { Fleet } from '../../../src/core/fleet/fleet';
import { DEFAULT_SPIKE_TUNING, SpikeWatch } from '../../../src/core/budget/spikeWatch';
import type { SpendSpike, SpikeTuning } from '../../../src/core/budget/spikeWatch';
import { MemoryPersistence, memoryLogger } from '../core/fleetKit';
import { FakeClock } from '../../kit/fakeClock';

const none = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
const MIN = 60_000;

describe('spike watch', () => {
  let clock: FakeClock;
  let fleet: Fleet;
  let watch: SpikeWatch | undefined;
  let spikes: SpendSpike[];
  let calmed: string[];
  let tuning: SpikeTuning;

  beforeEach(() => {
    clock = new FakeClock(5_000_000);
    fleet = new Fleet(new MemoryPersistence(), memoryLogger(), () => clock.now());
    spikes = [];
    calmed = [];
    tuning = DEFAULT_SPIKE_TUNING;
  });
  afterEach(() => watch?.dispose());

  const start = () => {
    watch = new SpikeWatch({ fleet, clock, tuning: () => tuning, tickMs: 5_000 });
    watch.onDidSpike((s) => spikes.push(s));
    watch.onDidCalm((a) => calmed.push(a.name));
    return watch;
  };
  const working = (name: string) => {
    const id = fleet.create({ name, kind: 'claude-code', cwd: '/tmp' }).agent.id;
    fleet.apply(id, 'promptSubmitted');
    return id;
  };
  /** Spends `usdPerMin` for `minutes`, one request every 10 s. */
  const burn = (id: string, usdPerMin: number, minutes: number, model = 'claude-sonnet-4-5') => {
    for (let s = 0; s < minutes * 6; s++) {
      clock.advance(10_000);
      fleet.addUsage(id, model, { ...none, input: 1000, output: 100 }, usdPerMin / 6);
    }
  };

  it('a steady agent never fires, over an hour at $0.10/min', () => {
    start();
    const id = working('steady');
    burn(id, 0.1, 60);
    assert.deepEqual(spikes, []);
  });

  it('a 4× burst fires once, naming the agent and both rates; calms; a second burst fires again', () => {
    start();
    const id = working('spender');
    burn(id, 0.1, 30);
    burn(id, 0.4, 3);
    assert.equal(spikes.length, 1);
    const s = spikes[0]!;
    assert.equal(s.agentName, 'spender');
    assert.equal(s.metric, 'usd');
    assert.ok(s.rate >= 0.3 && s.rate <= 0.4, `short rate ${s.rate}`);
    assert.ok(Math.abs(s.baseline - 0.1) < 0.01, `baseline ${s.baseline}`);
    assert.match(s.message, /^spender is spending \$0\.\d\d\/min, \d\.\d× its rate of the last \d+ min of work \(\$0\.10\/min\)$/);
    burn(id, 0.4, 1);
    assert.equal(spikes.length, 1, 'once per spike, however long it lasts');
    burn(id, 0.05, 5);
    assert.deepEqual(calmed, ['spender']);
    assert.equal(watch!.spiking(id), false);
    burn(id, 0.1, 20);
    burn(id, 0.6, 3);
    assert.equal(spikes.length, 2, 'a new spike after calming down');
  });

  it('the trigger is the configured multiple: 2.5× fires at 2 and not at the default 3', () => {
    start();
    const a = working('a');
    burn(a, 0.1, 30);
    burn(a, 0.25, 3);
    assert.equal(spikes.length, 0);
    tuning = { ...DEFAULT_SPIKE_TUNING, multiple: 2 };
    burn(a, 0.25, 1);
    assert.equal(spikes.length, 1);
  });

  it('no alert before 10 min of baseline: a first request, however dear, does not fire', () => {
    start();
    const id = working('newcomer');
    clock.advance(5_000);
    fleet.addUsage(id, 'claude-sonnet-4-5', { ...none, input: 200_000 }, 0.6);
    burn(id, 0.02, 8);
    burn(id, 0.5, 2);
    assert.deepEqual(spikes, [], 'baseline of ~8 min only');
  });

  it('an agent that spent nothing for 20 min of work, then burns: fired, saying so', () => {
    start();
    const id = working('waker');
    clock.advance(20 * MIN);
    burn(id, 0.2, 3);
    assert.equal(spikes.length, 1);
    assert.equal(spikes[0]!.times, Infinity);
    assert.match(spikes[0]!.message, /^waker is spending \$0\.\d\d\/min; it spent nothing in the last 1[89] min of work before$/);
  });

  it('a tiny agent never fires under the minimum rate, even at 10×', () => {
    start();
    const id = working('tiny');
    burn(id, 0.002, 30);
    burn(id, 0.02, 3);
    assert.deepEqual(spikes, []);
  });

  it('idle time counts for nothing: a resumed agent at its usual rate does not fire', () => {
    start();
    const id = working('resumed');
    burn(id, 0.1, 20);
    fleet.apply(id, 'turnEnded');
    clock.advance(120 * MIN);
    fleet.apply(id, 'promptSubmitted');
    burn(id, 0.12, 5);
    assert.deepEqual(spikes, []);
  });

  it('an agent with an unpriced model is watched in tokens', () => {
    start();
    const id = working('local-model');
    const tokens = (perMin: number, minutes: number) => {
      for (let s = 0; s < minutes * 6; s++) {
        clock.advance(10_000);
        fleet.addUsage(id, 'my-local-llm', { ...none, input: perMin / 6 });
      }
    };
    tokens(60_000, 30);
    tokens(300_000, 3);
    assert.equal(spikes.length, 1);
    assert.equal(spikes[0]!.metric, 'tokens');
    assert.match(spikes[0]!.message, /local-model is spending \d+(\.\d)?k tokens\/min, \d\.\d× its rate .* \(60k tokens\/min\)/);
  });

  it('a spike while the agent stops working calms with its end; the history of a removed agent is dropped', () => {
    start();
    const id = working('ender');
    burn(id, 0.1, 15);
    burn(id, 0.5, 3);
    assert.equal(spikes.length, 1);
    fleet.apply(id, 'completed');
    assert.deepEqual(calmed, ['ender']);
    fleet.remove(id);
    assert.equal(watch!.spiking(id), false);
  });
});
