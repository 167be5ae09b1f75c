// Moved to src/core/approvals/policyGate.ts; this re-export lives until the remote adapter's imports follow.
export { policyGate, verdictReason, QUARANTINE_RULE } from '../approvals/policyGate';
export type { ActionPolicy, ActionVerdict } from '../approvals/policyGate';
