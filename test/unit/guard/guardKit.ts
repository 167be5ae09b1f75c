// Test kit for tamper detection: a queue of tamper events that tests await (fs.watch is asynchronous, so a test
// waits for the event rather than sleeping), and a sentinel change that proves nothing was reported before it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TamperEvent, TamperWatch } from '../../../src/core/guard/tamperWatch';

export class EventQueue {
  private readonly items: TamperEvent[] = [];
  private readonly waiters: ((e: TamperEvent) => void)[] = [];

  constructor(watch: TamperWatch) {
    watch.onDidDetectTamper((e) => {
      const waiter = this.waiters.shift();
      if (waiter) waiter(e);
      else this.items.push(e);
    });
  }

  next(): Promise<TamperEvent> {
    const item = this.items.shift();
    if (item) return Promise.resolve(item);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  get queued(): readonly TamperEvent[] {
    return this.items;
  }
}

let sentinelCount = 0;

/**
 * Creates a protected file nobody else touches and asserts that the next event is about it: every change made
 * before it was compared first, so anything they had raised would have come first.
 */
export async function assertNothingBefore(events: EventQueue, root: string): Promise<void> {
  const file = path.join(root, `sentinel-${++sentinelCount}.code-workspace`);
  fs.writeFileSync(file, '{}');
  const e = await events.next();
  assert.equal(e.file, file, `expected no tamper event before the sentinel, got ${e.kind} ${e.file}: ${e.detail}`);
  assert.equal(e.kind, 'created');
}
