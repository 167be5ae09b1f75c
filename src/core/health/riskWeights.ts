// THE table of the risk score: what each operational signal adds, how many of it count, and the threshold past
// which Flotilla quarantines an agent. One place, read by people (docs, the quarantine evidence) and by riskScore.
//
// Why a weighted sum and not a model: every point of a score can be explained ("2 prohibited attempts: +8"), so the
// quarantine evidence says exactly what added up, and a user who disagrees can change one number here. There is no
// labelled data of misbehaving agents to train on, and a score nobody can read cannot be argued with or audited.
// Caps keep one noisy signal (a flaky tool, a slow network) from quarantining on its own; only tampering with
// Flotilla's control files, and a third prohibited attempt within the window (two prohibited commands and a write to
// a protected file, say), are severe enough to do that alone.

export type RiskSignal = 'prohibited' | 'denied' | 'tamper' | 'loop' | 'restart' | 'budgetSpike' | 'silent';

export interface RiskWeight {
  /** Points per event in the window. */
  readonly points: number;
  /** At most this many events count. */
  readonly cap: number;
  /** The words for the evidence: "prohibited attempt". */
  readonly label: string;
}

export const RISK_WEIGHTS: Readonly<Record<RiskSignal, RiskWeight>> = {
  // The policy's prohibited tier (protected files included): the agent tried something the user ruled out
  // altogether. Two can be a misunderstanding (7 points); the third quarantines (10.5).
  prohibited: { points: 3.5, cap: 3, label: 'prohibited attempt' },
  // Any other denial, by the policy or a person: the agent keeps asking for what it may not do.
  denied: { points: 1.5, cap: 4, label: 'denied action' },
  // A control file (hooks, settings, policy) changed behind Flotilla's back: alone past the threshold.
  tamper: { points: 10, cap: 1, label: 'tamper event' },
  // Flagged looping by the loop detector.
  loop: { points: 3, cap: 2, label: 'loop' },
  // Its process or connection went away and came back, or it exited with an error.
  restart: { points: 1, cap: 3, label: 'restart' },
  // One model request cost more than RISK_TUNING.budgetSpikeUsd.
  budgetSpike: { points: 2, cap: 2, label: 'budget spike' },
  // The stall watch found it silent while working.
  silent: { points: 1, cap: 3, label: 'silent stretch' },
};

export const RISK_TUNING = {
  /** Quarantine at this score or more. */
  threshold: 10,
  /** The sliding window the events count in. */
  windowMinutes: 30,
  /** Tool error rate: points = errorRatePoints × rate, once the window holds at least errorRateMinCalls calls. */
  errorRatePoints: 4,
  errorRateMinCalls: 8,
  /** A single request costing this much (USD) or more is a spike. */
  budgetSpikeUsd: 2,
} as const;
