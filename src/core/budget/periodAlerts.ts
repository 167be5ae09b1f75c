// Which thresholds of budgets per day and per task were announced in their current period, so each is announced once
// per budget, metric and period (a new day or task starts over). One step past several thresholds is one announcement,
// at the highest.
import { EPSILON } from './periodBudgets';

export class PeriodAlerts {
  /** Per budget slot ("<budget>|<agent id for a task budget>|<metric>"): the period and what was announced in it. */
  private readonly fired = new Map<string, { period: string; thresholds: Set<number> }>();

  /**
   * The highest threshold `ratio` newly reached in `period` (undefined: none); every threshold reached is remembered.
   * `budget` is the scope's key ("agent:<id>", "group:<g>", "fleet"); `agentId` is set for budgets per task.
   */
  reached(budget: string, agentId: string | undefined, metric: string, period: string, ratio: number, thresholds: readonly number[]): number | undefined {
    const slot = `${budget}|${agentId ?? ''}|${metric}`;
    let fired = this.fired.get(slot);
    if (!fired || fired.period !== period) {
      fired = { period, thresholds: new Set() };
      this.fired.set(slot, fired);
    }
    let highest: number | undefined;
    for (const threshold of thresholds) {
      if (ratio < threshold - EPSILON || fired.thresholds.has(threshold)) continue;
      fired.thresholds.add(threshold);
      highest = threshold;
    }
    return highest;
  }

  /** A budget changed: its thresholds may be announced again. */
  forgetBudget(budget: string): void {
    for (const key of [...this.fired.keys()]) if (key.startsWith(`${budget}|`)) this.fired.delete(key);
  }

  /** An agent left the fleet: its own budget and its tasks under group and fleet budgets. */
  forgetAgent(agentId: string): void {
    this.forgetBudget(`agent:${agentId}`);
    for (const key of [...this.fired.keys()]) if (key.includes(`|${agentId}|`)) this.fired.delete(key);
  }

  clear(): void {
    this.fired.clear();
  }
}
