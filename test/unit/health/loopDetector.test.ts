// Loops and stuck work on recorded fact sequences through the real router and fleet: what must be flagged (with its
// evidence) and long legitimate runs that must not be.
import assert from 'node:assert/strict';
import { bash, call, edit, healthRig, read, todos } from './healthKit';
import type { HealthRig } from './healthKit';

describe('health: loops and stuck work', () => {
  let rig: HealthRig;
  beforeEach(() => (rig = healthRig()));
  afterEach(() => rig.dispose());
  const health = () => rig.fleet.get(rig.id)!.health;

  it('the same failing command 3 times in a row is looping, with the command and the error; one notification', () => {
    rig.send({ type: 'turn', phase: 'started' });
    call(rig, bash('npm run build'), 5000, 'exit 1: Cannot find module x');
    call(rig, bash('npm run build'), 5000, 'exit 1: Cannot find module x');
    assert.equal(health(), undefined, 'twice is not yet a loop');
    call(rig, bash('npm run build'), 5000, 'exit 1: Cannot find module x');
    assert.equal(health()?.flag, 'looping');
    assert.deepEqual(health()!.evidence, ['Bash: npm run build: 3 times in a row with the same input', 'failed 3 times: exit 1: Cannot find module x']);
    call(rig, bash('npm run build'), 5000, 'exit 1: Cannot find module x');
    assert.deepEqual(rig.flags, ['looping'], 'flagged once, its evidence updated');
    assert.match(health()!.evidence[0]!, /4 times/);
    // It moves on: a different call that goes through clears the flag.
    call(rig, read('package.json'));
    assert.equal(health(), undefined);
  });

  it('a file edited back and forth (A→B, B→A, A→B) is looping; a new prompt clears it', () => {
    rig.send({ type: 'turn', phase: 'started' });
    call(rig, edit('src/a.ts', 'let x = 1', 'const x = 1'));
    call(rig, edit('src/a.ts', 'const x = 1', 'let x = 1'));
    assert.equal(health(), undefined, 'one undo is an experiment');
    call(rig, edit('src/a.ts', 'let x = 1', 'const x = 1'));
    assert.equal(health()?.flag, 'looping');
    assert.match(health()!.evidence[0]!, /src\/a\.ts edited back and forth 2 times/);
    rig.send({ type: 'turn', phase: 'ended' }, { type: 'turn', phase: 'started' });
    assert.equal(health(), undefined);
  });

  it('a long legitimate run is not flagged: 400 varied calls, many edits of one file, repeated test runs between edits, a 9-minute test run', () => {
    rig.send({ type: 'turn', phase: 'started' }, { type: 'tool', phase: 'started', action: todos('in_progress', 'pending', 'pending') });
    for (let i = 0; i < 100; i++) {
      call(rig, read(`src/f${i % 17}.ts`), 300);
      call(rig, edit('src/big.ts', `line ${i}`, `line ${i} fixed`), 500);
      call(rig, bash('npm test'), 20_000, i % 3 === 0 ? 'exit 1: 2 failing' : undefined);
      // The plan advances every 25 rounds (about 10 minutes), rewritten each round.
      const step = Math.floor(i / 25);
      call(rig, todos(...[0, 1, 2, 3].map((k) => (k < step ? 'completed' : k === step ? 'in_progress' : 'pending'))), 10);
      rig.health.sweep();
    }
    // A test run that legitimately takes 9 minutes (Bash may take 20).
    rig.send({ type: 'tool', phase: 'started', action: bash('npm run test:e2e'), timeoutMs: 600_000 });
    for (let t = 0; t < 9; t++) {
      rig.clock.advance(60_000);
      rig.send({ type: 'activity' });
      rig.health.sweep();
    }
    assert.equal(health(), undefined, JSON.stringify(health()));
    assert.deepEqual(rig.flags, []);
  });

  it('a Read that hangs is stuck quickly; a Bash build is allowed its time (per tool kind)', () => {
    rig.send({ type: 'turn', phase: 'started' }, { type: 'tool', phase: 'started', action: read('/dev/zero') });
    rig.clock.advance(50_000);
    assert.equal(health(), undefined);
    rig.clock.advance(30_000); // the sweep timer runs
    assert.equal(health()?.flag, 'stuck');
    assert.match(health()!.evidence[0]!, /Read \/dev\/zero running for 1m/);
    rig.send({ type: 'tool', phase: 'ended', action: read('/dev/zero') });
    rig.health.sweep();
    assert.equal(health(), undefined);
    rig.send({ type: 'tool', phase: 'started', action: bash('make') });
    rig.clock.advance(10 * 60_000);
    assert.equal(health(), undefined, 'a 10-minute build is fine');
  });

  it('a plan step that does not advance while working: "stuck on step 2 of 4"', () => {
    rig = (rig.dispose(), healthRig({ stepStuckMinutes: 20, tools: { Bash: { maxSeconds: 7200 } } }));
    rig.send({ type: 'turn', phase: 'started' }, { type: 'tool', phase: 'started', action: todos('completed', 'in_progress', 'pending', 'pending') });
    for (let m = 0; m < 19; m++) call(rig, bash(`step ${m}`), 60_000);
    assert.equal(health(), undefined);
    call(rig, bash('again'), 90_000);
    rig.health.sweep();
    assert.equal(health()?.summary, 'stuck on step 2 of 4');
    assert.match(health()!.evidence[0]!, /on 2\/4 doing item 2 for 2\dm/);
    assert.deepEqual(rig.flags, ['stuck on step 2 of 4']);
    rig.send({ type: 'tool', phase: 'started', action: todos('completed', 'completed', 'in_progress', 'pending') });
    rig.health.sweep();
    assert.equal(health(), undefined, 'the plan moved on');
  });

  it('a turn far longer than its recent turns is stuck; as long as its usual turns is not', () => {
    for (let i = 0; i < 4; i++) {
      rig.send({ type: 'turn', phase: 'started' });
      call(rig, bash(`job ${i}`), 8 * 60_000);
      rig.send({ type: 'turn', phase: 'ended' });
    }
    rig.send({ type: 'turn', phase: 'started' });
    for (let m = 0; m < 20; m++) call(rig, bash(`long ${m}`), 60_000);
    rig.health.sweep();
    assert.equal(health(), undefined, '20 minutes < 3 × 8');
    for (let m = 0; m < 6; m++) call(rig, bash(`longer ${m}`), 60_000);
    rig.health.sweep();
    assert.equal(health()?.flag, 'stuck');
    assert.match(health()!.evidence.join(' '), /over 3× its recent turns \(median 8m/);
  });
});
