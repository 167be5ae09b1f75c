// Every command id, view id, context key and setting key Flotilla uses, declared once.
// A unit test checks these tables against package.json `contributes`.

export const Commands = {
  newAgent: 'flotilla.newAgent',
  connectRemote: 'flotilla.connectRemote',
  showConnectionDetails: 'flotilla.showConnectionDetails',
  addRemoteConnection: 'flotilla.addRemoteConnection',
  refresh: 'flotilla.refresh',
  focusTerminal: 'flotilla.focusTerminal',
  openDiff: 'flotilla.openDiff',
  stopAgent: 'flotilla.stopAgent',
  removeAgent: 'flotilla.removeAgent',
  openApprovals: 'flotilla.openApprovals',
  allowRequest: 'flotilla.allowRequest',
  denyRequest: 'flotilla.denyRequest',
  verifyAuditLog: 'flotilla.verifyAuditLog',
  exportAuditLog: 'flotilla.exportAuditLog',
  showLog: 'flotilla.showLog',
  showSessionRules: 'flotilla.showSessionRules',
  releaseQuarantine: 'flotilla.releaseQuarantine',
  openTrace: 'flotilla.openTrace',
  openFleetTimeline: 'flotilla.openFleetTimeline',
  exportTrace: 'flotilla.exportTrace',
} as const;

/** The everyday agent commands (src/vscode/agentCommands.ts registers them; contributed like Commands). */
export const AgentCommands = {
  stopAll: 'flotilla.stopAll',
  goToAgent: 'flotilla.goToAgent',
  restartAgent: 'flotilla.restartAgent',
  sendPrompt: 'flotilla.sendPrompt',
  renameAgent: 'flotilla.renameAgent',
  revealWorktree: 'flotilla.revealWorktree',
  openWorktreeInNewWindow: 'flotilla.openWorktreeInNewWindow',
  copyBranchName: 'flotilla.copyBranchName',
  setCredentials: 'flotilla.setCredentials',
} as const;

/** New Agent's own commands (src/vscode/newAgentUi.ts registers them; contributed like Commands). */
export const NewAgentCommands = {
  newAgentFromTemplate: 'flotilla.newAgentFromTemplate',
  startAgentWithPrompt: 'flotilla.startAgentWithPrompt',
} as const;

/** Budget commands (src/vscode/budgetUi.ts registers them; contributed like Commands). */
export const BudgetCommands = {
  setBudget: 'flotilla.setBudget',
} as const;

/** The quota wall (src/vscode/quotaUi.ts registers it; contributed like Commands). */
export const QuotaCommands = {
  resumeAfterQuota: 'flotilla.resumeAfterQuota',
} as const;

/** The Costs view (src/vscode/costsPanel.ts registers it; contributed like Commands). */
export const CostsCommands = {
  openCosts: 'flotilla.openCosts',
} as const;

/** Fleet health commands (src/vscode/healthUi.ts registers them; contributed like Commands). */
export const HealthCommands = {
  cleanUp: 'flotilla.cleanUp',
} as const;

/** Attach and Open Diff for agents on a runner (src/vscode/remoteAgentUi.ts registers them; contributed like Commands). */
export const RemoteAgentCommands = {
  attachAgent: 'flotilla.attachAgent',
  openRemoteDiff: 'flotilla.openRemoteDiff',
} as const;

export const Views = {
  container: 'flotilla',
  agents: 'flotilla.agents',
  approvals: 'flotilla.approvals',
} as const;

export const ContextKeys = {
  ready: 'flotilla.ready',
  activationFailed: 'flotilla.activationFailed',
} as const;

export const Settings = {
  section: 'flotilla',
  worktreesRoot: 'worktreesRoot',
  bridgePort: 'bridge.port',
  claudeCodePath: 'claudeCode.path',
  claudeCodeEnv: 'claudeCode.env',
  approvalTimeoutSeconds: 'approvals.timeoutSeconds',
  approvalEscalateAfterSeconds: 'approvals.escalateAfterSeconds',
  approvalOnTimeout: 'approvals.onTimeout',
  approvalBatchWindowMs: 'approvals.batchWindowMs',
  pricingOverrides: 'pricing.overrides',
  stallSeconds: 'stallSeconds',
  idleNudgeAfterMinutes: 'idle.nudgeAfterMinutes',
  idleStopAfterMinutes: 'idle.stopAfterMinutes',
  healthToolLimits: 'health.toolLimits',
  healthStepStuckMinutes: 'health.stepStuckMinutes',
  healthRiskThreshold: 'health.riskThreshold',
  remoteConnections: 'remote.connections',
  maxConcurrentAgents: 'maxConcurrentAgents',
  startupAgents: 'startupAgents',
  agentTemplates: 'agentTemplates',
  policy: 'policy',
  tracesRetentionDays: 'traces.retentionDays',
  tracesRedactPatterns: 'traces.redactPatterns',
  tracesOtlpEndpoint: 'traces.otlpEndpoint',
  tracesOtlpHeaders: 'traces.otlpHeaders',
  agentsSortBy: 'agents.sortBy',
  agentsGroupBy: 'agents.groupBy',
  budgetFleet: 'budget.fleet',
  budgetGroups: 'budget.groups',
  statusBarEnabled: 'statusBar.enabled',
  budgetAlertThresholds: 'budget.alertThresholds',
  budgetSpikeMultiple: 'budget.spikeMultiple',
} as const;
