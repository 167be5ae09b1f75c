// Spend spikes in a real extension host: flotilla.budget.spikeMultiple read from the real settings (and re-read when it
// changes; a value not above 1 falls back to 3, logged), a spike audited as budget.spike with the rates and put on the
// agent as a health line (the flag hook), once per spike. The spike watch itself is unit-tested with a fake clock.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Fleet } from '../../../src/core/fleet/fleet';
import type { AuditInput } from '../../../src/core/store/auditLog';
import { SpikeUi } from '../../../src/vscode/spikeUi';
import { FakeClock } from '../../kit/fakeClock';
import { MemoryPersistence, memoryLogger } from '../../unit/core/fleetKit';

const none = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
const setMultiple = (v: unknown) => vscode.workspace.getConfiguration('flotilla').update('budget.spikeMultiple', v, vscode.ConfigurationTarget.Global);

describe('Spend spike warnings', () => {
  let clock: FakeClock;
  let fleet: Fleet;
  let ui: SpikeUi | undefined;
  let audit: AuditInput[];
  let flags: string[];
  let log: ReturnType<typeof memoryLogger>;

  beforeEach(async () => {
    await setMultiple(undefined);
    clock = new FakeClock(5_000_000);
    fleet = new Fleet(new MemoryPersistence(), memoryLogger(), () => clock.now());
    audit = [];
    flags = [];
    log = memoryLogger();
  });

  afterEach(async () => {
    ui?.dispose();
    fleet.dispose();
    await setMultiple(undefined);
  });

  const start = () => (ui = new SpikeUi({ fleet, clock, log, appendAudit: (e) => audit.push(e), flag: (id, detail) => flags.push(`${fleet.get(id)?.name}: ${detail}`) }));
  const working = (name: string) => {
    const id = fleet.create({ name, kind: 'custom', cwd: '/tmp', command: 'sleep 1' }).agent.id;
    fleet.apply(id, 'launched');
    fleet.apply(id, 'sessionStarted');
    fleet.apply(id, 'promptSubmitted');
    return id;
  };
  const burn = (id: string, usdPerMin: number, minutes: number) => {
    for (let s = 0; s < minutes * 6; s++) {
      clock.advance(10_000);
      fleet.addUsage(id, 'claude-sonnet-4-5', { ...none, output: 100 }, usdPerMin / 6);
    }
  };

  it('2.5× its rate: quiet at the default 3, audited and flagged once at a multiple of 2 set in the settings', async () => {
    start();
    const a = working('spender');
    burn(a, 0.1, 30);
    burn(a, 0.25, 3);
    assert.equal(audit.length, 0, 'the default multiple is 3');
    await setMultiple(2);
    for (let i = 0; i < 200 && ui!.multiple !== 2; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(ui!.multiple, 2, 'the setting change reached the spike watch');
    burn(a, 0.25, 2);
    assert.equal(audit.length, 1);
    const entry = audit[0]!;
    assert.equal(entry.action, 'budget.spike');
    assert.equal(entry.agentId, a);
    assert.match(entry.subject ?? '', /^spender is spending \$0\.2\d\/min, 2\.\d× its rate of the last \d+ min of work \(\$0\.1\d\/min\)$/, "the baseline has some of the burst before the change");
    assert.equal((entry.data as { multiple: number }).multiple, 2);
    assert.deepEqual(flags, [`spender: ${entry.subject}`]);
  });

  it('a multiple not above 1 falls back to 3, and says so in the log', async () => {
    await setMultiple(0.5);
    start();
    const a = working('steady');
    burn(a, 0.1, 30);
    burn(a, 0.25, 3);
    assert.equal(ui!.multiple, 3);
    assert.equal(audit.length, 0);
    assert.ok(log.lines.some((l) => l.includes('flotilla.budget.spikeMultiple: 0.5 is not a number above 1')), log.lines.join('\n'));
  });
});
