// The composition root: builds every service once, wires their events, and disposes them together.
// Nothing else constructs services; tests build the core services directly with real parts.
// It runs after activate() has returned (src/vscode/extension.ts registered the views and held the commands), as a
// chunk of its own (dist/fleet.js): the store opens and the Bash grammar compiles at once, every command and route is
// registered in one synchronous stretch, and only then does the bridge listen and hand its port to agents.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DisposableStore } from '../core/events';
import type { Logger } from '../core/log';
import { openStore } from '../core/store/openDatabase';
import { Fleet } from '../core/fleet/fleet';
import { StoreFleetPersistence } from '../core/fleet/storePersistence';
import { DEFAULT_UNREACHABLE_GRACE_MS, UnreachableWatch } from '../core/fleet/unreachableWatch';
import { BridgeServer } from '../core/bridge/bridgeServer';
import { Credentials } from '../core/credentials/credentials';
import { offerCredentialMigration } from './credentialsUi';
import { policyAsGate } from '../core/approvals/gateChain';
import { budgetGate } from '../core/approvals/budgetGate';
import { BudgetUi } from './budgetUi';
import { knowUserSettingsFile } from './budgetSettingsRead';
import { storeHistory } from '../core/budget/dayUsage';
import { QuotaUi } from './quotaUi';
import { SpikeUi } from './spikeUi';
import { systemClock } from '../core/clock';
import { AgentRuntime } from '../core/fleet/agentRuntime';
import { isEnded } from '../core/statusMachine';
import { HealthUi } from './healthUi';
import { ClaudeCodeAdapter } from '../adapters/claudeCode/claudeCodeAdapter';
import { lastAssistantText } from '../adapters/claudeCode/lastAssistantText';
import type { AgentSnapshot } from '../shared/agent';
import { CodexAdapter } from '../adapters/codex/codexAdapter';
import { CustomCommandAdapter } from '../adapters/customCommand/customCommandAdapter';
import { startRemoteAgents } from '../adapters/remote/remoteAgents';
import { startJournalRetention } from '../adapters/remote/journalRetention';
import { RemoteConnections } from './remoteConnections';
import { registerRemoteAgentUi } from './remoteAgentUi';
import { ApprovalQueue } from '../core/approvals/approvalQueue';
import { recordApprovalsInAudit } from '../core/approvals/auditRecorder';
import { PriceBook } from '../core/pricing/priceBook';
import { repriceFleetFromStore } from '../core/cost/repriceFleet';
import type { FlotillaApi } from './api';
import { AgentsTreeProvider } from './agentsTree';
import { ApprovalsTreeProvider } from './approvalsTree';
import { ApprovalNotifier } from './approvalNotifier';
import { AgentTerminals } from './agentTerminals';
import { AgentLauncher } from './agentLauncher';
import { registerCommands } from './commands';
import { NewAgentUi } from './newAgentUi';
import { readSettings } from './settings';
import { launchStartupAgents } from './startupAgents';
import { PolicySource, WORKSPACE_POLICY_LABEL } from './policySource';
import { policyGate } from '../core/approvals/policyGate';
import { SessionRules, pruneSessionRulesWithFleet } from '../core/policy/sessionRules';
import { initShellParser } from '../core/policy/shellParser';
import { AlwaysAllowService } from '../core/policy/alwaysAllow';
import { addRuleToPolicyFile, writeFileAtomic } from '../core/policy/policyFileEdit';
import { TamperWatch } from '../core/guard/tamperWatch';
import { TamperResponder } from '../core/guard/tamperResponder';
import { Quarantines } from '../core/guard/quarantine';
import { followFleet } from '../core/guard/fleetRoots';
import { QuarantineUi } from './quarantineUi';
import { AlwaysAllowUi } from './alwaysAllowUi';
import { ApprovalsPanel } from './approvalsPanel';
import { OtlpStream } from '../core/traces/otlpStream';
import { TraceService } from '../core/traces/traceService';
import { TracePanel } from './tracePanel';
import { CostsPanel } from './costsPanel';
import { FleetStatusBar } from './fleetStatusBar';
import { TodaySpend } from '../core/cost/todaySpend';
import { credentialRows } from '../core/cost/costReport';
import { CostReportRunner } from '../core/cost/costReportRunner';
import { priceCatalogKey, repriceAfterCatalogChange } from '../core/cost/catalogReprice';
import { SubagentCosts } from '../core/cost/subagentCosts';
import { setSubagentCostLine } from './subagentCostLine';
import { Settings, Views } from './ids';
import type { AgentTreeNode } from './agentsTree';
import type { PendingApproval } from '../shared/approval';
import type { CommandHold } from './commandHold';
import type { DeferredTreeProvider } from './deferredTree';
import { revealOnFirstAgent } from './firstRunReveal';

const BRIDGE_PORT_KEY = 'flotilla.bridgePort';

/** What activate() registered before the fleet started; the container fills the views and takes the commands over. */
export interface Shell {
  readonly agentsTree: DeferredTreeProvider<AgentTreeNode>;
  readonly agentsView: vscode.TreeView<AgentTreeNode>;
  readonly approvalsTree: DeferredTreeProvider<PendingApproval>;
  readonly approvalsView: vscode.TreeView<PendingApproval>;
  readonly commands: CommandHold;
}

export interface Container extends vscode.Disposable {
  readonly storeDriver: 'better-sqlite3' | 'node:sqlite';
  /** The live parts of the API activate() returned. */
  readonly api: Pick<FlotillaApi, 'bridgePort' | 'agents' | 'pendingApprovals' | 'onDidChangeAgent'>;
}

export async function createContainer(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, shell: Shell): Promise<Container> {
  const logger: Logger = log;
  const d = new DisposableStore();
  try {
    // The Bash grammar for the policy's shell analysis: WebAssembly compiles off the main thread while the store opens.
    const parserReady = initShellParser();
    fs.mkdirSync(context.globalStorageUri.fsPath, { recursive: true });
    const { store, driverName } = openStore(path.join(context.globalStorageUri.fsPath, 'flotilla.db'), {
      log: (level, message) => logger[level](message),
      backgroundCheckpoints: true,
    });
    d.add({ dispose: () => store.close() });

    const workspaceDir = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const fleet = d.add(new Fleet(new StoreFleetPersistence(store, workspaceDir ?? '', logger), logger));
    const approvals = d.add(
      new ApprovalQueue(() => {
        const s = readSettings();
        return { timeoutMs: s.approvalTimeoutSeconds * 1000, escalateAfterMs: s.approvalEscalateAfterSeconds * 1000, onTimeout: s.approvalOnTimeout };
      }),
    );
    d.add(recordApprovalsInAudit(approvals, store, logger));

    const prices = new PriceBook(() => readSettings().pricingOverrides);
    // A new price catalog (an extension update): the agents' stored costs are re-priced from their stored requests.
    repriceAfterCatalogChange({ fleet, store, book: prices, catalogKey: priceCatalogKey(), log: logger });
    // What each agent's subagents cost, for its tooltip (refreshed as their requests are stored).
    const subagentCosts = new SubagentCosts(store, prices);
    d.add(setSubagentCostLine((id) => subagentCosts.line(id)));
    // Today's spending for the status bar: read once, then each stored request added (src/core/cost/todaySpend.ts).
    const todaySpend = d.add(new TodaySpend({ history: store, book: prices, now: Date.now }));

    // Until the grammar loads every shell command would ask a human: nothing is composed before it.
    await parserReady;
    // From here to the bridge's listen() nothing awaits: the commands' placeholders leave and the real commands
    // (HealthUi, BudgetUi, registerCommands) come in within one run of the event loop, and every route and view is
    // wired before the bridge accepts its first connection.
    shell.commands.release();
    const bridge = d.add(new BridgeServer(logger));
    const sessionRules = d.add(new SessionRules());
    d.add(pruneSessionRulesWithFleet(fleet, sessionRules));
    const policy = d.add(new PolicySource(workspaceDir, sessionRules, log));
    const policyFile = policy.workspaceFile;
    // Tamper detection: the live agents' control files are watched; a change Flotilla did not make quarantines them.
    const tamperWatch = d.add(new TamperWatch({ log: logger, home: os.homedir() }));
    const quarantines = new Quarantines({ fleet, appendAudit: (entry) => store.appendAudit(entry), log: logger });
    // Only agents on this machine: a remote agent's folder names a path on its runner (isLocal is set below).
    const tamperResponder = d.add(new TamperResponder({ tamper: tamperWatch.onDidDetectTamper, agents: () => fleet.list().filter(isLocal), quarantines, appendAudit: (entry) => store.appendAudit(entry), log: logger }));
    const writeExpected = (file: string, text: string) => {
      tamperWatch.expectWrite(file, text);
      writeFileAtomic(file, text);
    };
    const alwaysAllow = new AlwaysAllowService({
      queue: approvals,
      agent: (id) => fleet.get(id),
      sessionRules,
      // Without a workspace folder there is no policy file: agent rules are refused (session rules still work).
      agentRules: policyFile ? { label: WORKSPACE_POLICY_LABEL, add: (rule) => addRuleToPolicyFile(policyFile, rule, WORKSPACE_POLICY_LABEL, writeExpected) } : undefined,
      appendAudit: (entry) => store.appendAudit(entry),
      reload: () => policy.reload(),
      log: logger,
    });
    const gate = policyGate(() => policy.policy, store, logger);
    // Fleet health (progress, loops and stuck work, blockers, idle nudges, risk -> quarantine); fed the router's facts below.
    const health = d.add(new HealthUi({ fleet, approvals, quarantines, tamper: tamperWatch.onDidDetectTamper, log: logger }));
    // Budgets (agent, group, fleet): alerts at 70/90/100 %, paused for budget at 100 %, Set Budget….
    // Budget setting errors point at their line, in the user settings file too (two folders above global storage).
    knowUserSettingsFile(context.globalStorageUri.fsPath);
    const budgets = d.add(new BudgetUi({ fleet, clock: systemClock, log: logger, appendAudit: (entry) => store.appendAudit(entry) }));
    // The quota wall: paused — quota until the reset time the agent reported; then Resume (src/vscode/quotaUi.ts).
    d.add(new QuotaUi({ fleet, clock: systemClock, log: logger, dismissBeforePrompt: (a) => agents.registry.get(a.kind)?.capabilities.dismissBeforePrompt }));
    // Spend spikes (N× an agent's own recent rate): a warning, an audit entry, a 'budget spike' in its health.
    d.add(new SpikeUi({ fleet, clock: systemClock, log: logger, appendAudit: (entry) => store.appendAudit(entry), flag: (id, detail) => health.health.signal(id, 'budgetSpike', detail) }));
    // The agent seam: facts -> statuses, approvals through the gate chain then a human, stalls for every kind, and
    // per-agent scopes. One line per agent kind.
    const agents = d.add(
      new AgentRuntime({
        fleet,
        approvals,
        log: logger,
        bridge,
        // An agent that spent its budget has its next tool call denied with the budget message (never killed).
        gates: [budgetGate(systemClock, (agent) => budgets.watch.spentScopes(agent), (agent, tool, reason) => budgets.denied(agent, tool, reason)), health.watchGate(policyAsGate(gate))],
        price: (model, u, request) => {
          // One request at a time: its own long-context tier, its 1-hour cache writes apart.
          const p = prices.price(model, { ...u, cacheWrite1h: request?.cacheWrite1h ?? 0 });
          return p.ok ? p.costUsd : undefined;
        },
        // Each request's tokens are kept, so a change of flotilla.pricing.overrides re-prices history (below).
        onRequest: (agentId, r) => {
          try {
            // A subagent's request names it (and its type, when its adapter knows it).
            const subagent = r.subagent !== undefined ? { subagent: r.subagent, subagentType: r.subagentType } : {};
            store.addUsageRequest({ agentId, model: r.model, requestId: r.requestId, input: r.delta.input, output: r.delta.output, cacheRead: r.delta.cacheRead, cacheWrite: r.delta.cacheWrite, cacheWrite1h: r.cacheWrite1h ?? 0, ...subagent });
            if (r.subagent !== undefined) subagentCosts.changed(agentId);
            todaySpend.add(r.model, { input: r.delta.input, output: r.delta.output, cacheRead: r.delta.cacheRead, cacheWrite: r.delta.cacheWrite, cacheWrite1h: r.cacheWrite1h ?? 0 });
          } catch (err) {
            logger.warn(`could not keep a usage request of ${agentId}: ${err instanceof Error ? err.message : String(err)}`);
          }
        },
        stallMs: () => readSettings().stallSeconds * 1000,
        budgetBinds: (agent) => budgets.watch.binds(agent),
      }),
    );
    agents.register(new ClaudeCodeAdapter({ claudePath: () => readSettings().claudeCodePath, log: logger, storedRequests: (id) => store.usageRequests(id) }));
    agents.register(new CodexAdapter({ codexPath: 'codex' }));
    agents.register(new CustomCommandAdapter());
    // Remote agents (protocol v1): the bridge's socket transport with the remote adapter, activated on it.
    // Disposed before the runtime: shutting down ends connections as going away.
    const remote = d.add(startRemoteAgents(bridge.httpServer, agents.host('remote', 'Remote agent'), { stallTimeoutMs: () => readSettings().stallSeconds * 1000, journal: store.remoteFrames }));
    agents.register(remote.adapter, { activated: true });
    d.add(startJournalRetention({ prune: (before) => store.remoteFrames.prune(before), clock: systemClock, log: logger }));
    // A remote agent whose connection broke without a goodbye is unreachable for a grace, then failed.
    d.add(new UnreachableWatch({ fleet, clock: systemClock, graceMs: () => DEFAULT_UNREACHABLE_GRACE_MS, log: logger }));
    // Runners Flotilla dials (flotilla.remote.connections): each agent's session goes to the same remote adapter.
    const remoteConnections = d.add(new RemoteConnections({ secrets: context.secrets, fleet, log: logger, accept: (socket, name, id) => remote.adapter.acceptDialed(socket, name, id) }));
    // Attach and Open Diff for agents on a runner, and the read-only flotilla-remote file system.
    d.add(registerRemoteAgentUi({ fleet, secrets: context.secrets, log: logger }));
    // Traces (issue 12): every fact and approval wait becomes spans in the store, redacted, pruned after retentionDays.
    const traceSetting = <T>(key: string, fallback: T): T => vscode.workspace.getConfiguration(Settings.section).get<T>(key, fallback);
    const traces = d.add(
      new TraceService({
        store,
        facts: agents.router,
        approvals,
        log: logger,
        alive: (id) => {
          const a = fleet.get(id);
          return a !== undefined && !isEnded(a.status);
        },
        agentName: (id) => fleet.get(id)?.name,
        // Each model span priced as metering prices its request (its tier, its 1-hour cache writes apart).
        price: (model, u, request) => {
          const p = prices.price(model, { ...u, cacheWrite1h: request?.cacheWrite1h ?? 0 });
          return p.ok ? p.costUsd : undefined;
        },
        redactPatterns: () => traceSetting<string[]>(Settings.tracesRedactPatterns, []),
        retentionDays: () => traceSetting<number>(Settings.tracesRetentionDays, 30),
      }),
    );
    d.add(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(`${Settings.section}.${Settings.tracesRedactPatterns}`) && traces.reconfigure()));
    // flotilla.traces.otlpEndpoint: finished spans streamed to the user's OTLP/HTTP collector (off while empty).
    const otlp = d.add(new OtlpStream({ writes: traces.onDidWrite, log: logger, settings: () => ({ endpoint: traceSetting<string>(Settings.tracesOtlpEndpoint, ''), headers: traceSetting<Record<string, string>>(Settings.tracesOtlpHeaders, {}) }) }));
    d.add(vscode.workspace.onDidChangeConfiguration((e) => (e.affectsConfiguration(`${Settings.section}.${Settings.tracesOtlpEndpoint}`) || e.affectsConfiguration(`${Settings.section}.${Settings.tracesOtlpHeaders}`)) && otlp.reconfigure()));
    d.add(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(`${Settings.section}.${Settings.pricingOverrides}`)) return;
        const changed = repriceFleetFromStore(fleet, store, prices);
        subagentCosts.pricesChanged();
        if (changed.length > 0) logger.info(`price overrides changed: ${changed.length} agent(s) re-priced from their stored requests`);
      }),
    );
    health.follow(agents.router.onDidSignal);
    // Budgets per task start at each prompt; budgets per day count today's stored requests from before a reload.
    d.add(
      budgets.watch.follow(
        agents.router.onDidSignal,
        storeHistory(
          (since) => store.usageRequestsSince(since),
          (model, u, request) => {
            const p = prices.price(model, { ...u, cacheWrite1h: request.cacheWrite1h });
            return p.ok ? p.costUsd : undefined;
          },
        ),
      ),
    );
    agents.start();

    // Local agents: their kind's adapter runs them on this machine (an unknown kind: one that had a terminal).
    const isLocal = (a: AgentSnapshot): boolean => {
      const adapter = agents.registry.get(a.kind);
      return adapter ? adapter.capabilities.location === 'local' : a.command !== undefined || a.terminalPid !== undefined;
    };
    d.add(followFleet(fleet, tamperWatch, isLocal));
    const terminals = d.add(new AgentTerminals({ fleet, facts: agents.router, log: logger, isLocal }));

    // API keys in SecretStorage (fleet, group, agent), put into an agent's environment at launch; names only elsewhere.
    const credentials = new Credentials(context.secrets, context.globalState);
    void offerCredentialMigration(credentials, context.globalState, logger);
    // Set once the bridge listens (below).
    let bridgeUrl: string | undefined = undefined;
    const launcher = new AgentLauncher(fleet, terminals, {
      // A restarted agent keeps the credentials set for it alone.
      credentialEnv: async (agent, request) => {
        if (request.restartOf) await credentials.carryOver(request.restartOf, agent.id);
        return credentials.envFor(agent);
      },
      bridgeUrl: () => {
        // Commands are registered a moment before the bridge listens; a launch in between is refused, never misdirected.
        if (!bridgeUrl) throw new Error("Flotilla's bridge is still starting: try again in a moment");
        return bridgeUrl;
      },
      storageDir: context.globalStorageUri.fsPath,
      hookProgram: context.asAbsolutePath(path.join('dist', 'hook.js')),
      log: logger,
      registry: agents.registry,
    });

    const agentsTree = d.add(new AgentsTreeProvider(fleet, (id) => terminals.has(id), terminals.onDidChangeTerminals, (agent) => credentials.namesFor(agent, fleet.list()), (agent) => health.tooltipCard(agent), remoteConnections, () => budgets.watch.scopeBudgets.groups));
    const { agentsView, approvalsView } = shell;
    shell.agentsTree.resolve(agentsTree);
    shell.approvalsTree.resolve(d.add(new ApprovalsTreeProvider(approvals)));
    // First run: the first agent that starts brings the Flotilla view into sight once (its terminal keeps the focus).
    d.add(
      revealOnFirstAgent({
        agents: () => fleet.list(),
        onDidChangeAgent: fleet.onDidChangeAgent,
        memento: context.globalState,
        // The row keeps its terminal's focus; if the row cannot be resolved yet, the container opens (taking focus).
        reveal: (agent) =>
          Promise.resolve(agentsView.reveal(agentsTree.element(agent), { select: false, focus: false })).catch(() => vscode.commands.executeCommand(`workbench.view.extension.${Views.container}`)),
        log: logger,
      }),
    );
    const statusItem = d.add(vscode.window.createStatusBarItem('flotilla.approvals', vscode.StatusBarAlignment.Left, 50));
    statusItem.name = 'Flotilla Approvals';
    statusItem.command = 'flotilla.approvals.focus';
    const showPending = () => {
      const count = approvals.pending().length;
      const badge = count > 0 ? { value: count, tooltip: `${count} action${count === 1 ? '' : 's'} waiting for approval` } : undefined;
      // The container's badge is the sum of its views' badges: set it on one view only, or it counts twice.
      approvalsView.badge = badge;
      statusItem.text = `$(shield) ${count}`;
      statusItem.tooltip = badge?.tooltip ?? '';
      if (count > 0) statusItem.show();
      else statusItem.hide();
    };
    d.add(approvals.onDidChange(showPending));
    showPending();

    // The fleet at a glance (flotilla.statusBar.enabled): working, needs you, dollars today; opens the Costs view.
    d.add(new FleetStatusBar({ fleet, spend: todaySpend }));
    d.add(new ApprovalNotifier(approvals, () => readSettings().approvalBatchWindowMs, (id) => terminals.focus(id)));
    const alwaysAllowUi = new AlwaysAllowUi(alwaysAllow, sessionRules, log);
    const quarantine = d.add(new QuarantineUi({ fleet, quarantines, responder: tamperResponder, watch: tamperWatch, log, home: os.homedir() }));
    // What an agent last said, beside its requests: Claude Code's transcript (other kinds' files hold no such line).
    const lastMessage = (agent: AgentSnapshot) => (agent.transcriptPath ? lastAssistantText(agent.transcriptPath) : Promise.resolve(undefined));
    const approvalsPanel = { extensionUri: context.extensionUri, queue: approvals, log, openAgent: (id: string) => terminals.focus(id), alwaysAllow: alwaysAllowUi.alwaysAllow, fleet, lastMessage };
    d.add(ApprovalsPanel.registerSerializer(approvalsPanel));
    const tracePanel = { extensionUri: context.extensionUri, traces, log, agentName: (id: string) => fleet.get(id)?.name, agent: (id: string) => fleet.get(id), scorecard: (id: string) => (fleet.get(id) ? health.scorecardLines(fleet.get(id)!) : []) };
    d.add(TracePanel.registerSerializer(tracePanel));
    // The Costs view (issue 11): spending per agent, group, model, credential and local day; budgets beside their scope.
    // Its report runs in a worker thread with its own read-only connection (in this thread if the worker cannot start).
    const costReports = new CostReportRunner({ workerScript: path.join(context.extensionUri.fsPath, 'dist', 'costReportWorker.js'), dbPath: store.path, driver: driverName, history: store, log: logger });
    d.add({ dispose: () => costReports.dispose() });
    d.add(
      CostsPanel.register({
        extensionUri: context.extensionUri,
        log,
        onDidChangeAgent: fleet.onDidChangeAgent,
        onDidRemoveAgent: fleet.onDidRemoveAgent,
        report: (days) => {
          const agents = fleet.list();
          const credentialCosts = credentialRows(credentials.costs(agents), (id) => fleet.get(id)?.name);
          return costReports.report({ days, now: Date.now(), agents, budgets: budgets.watch.scopeBudgets, credentials: credentialCosts, overrides: readSettings().pricingOverrides ?? {} });
        },
      }),
    );
    // New Agent's recent prompts and prompt editor, New Agent from Template… (flotilla.agentTemplates).
    const newAgentUi = d.add(new NewAgentUi({ fleet, launcher, state: context.globalState, workspaceDir, log: logger, remoteHosts: remoteConnections }));
    d.add(
      registerCommands({ askNewAgent: () => newAgentUi.ask(), fleet, approvals, terminals, launcher, store, log, agentsTree, agentsView, workspaceDir, extensionUri: context.extensionUri, alwaysAllow: alwaysAllowUi, approvalsPanel, quarantine, remoteControl: remote.adapter.control, credentials, addRemoteConnection: () => remoteConnections.add(), traces: tracePanel }),
    );

    // Every route and command is in place: now the bridge listens, and only then are agents given its port.
    const configuredPort = readSettings().bridgePort;
    const preferred = configuredPort || context.workspaceState.get<number>(BRIDGE_PORT_KEY, 0);
    const listening = await bridge.listen(preferred);
    void Promise.resolve(context.workspaceState.update(BRIDGE_PORT_KEY, listening.port)).catch((err: unknown) => logger.warn(`could not remember the bridge port: ${String(err)}`));
    bridgeUrl = `http://127.0.0.1:${listening.port}`;
    logger.info(`bridge listening on 127.0.0.1:${listening.port}`);
    if (!listening.gotPreferredPort) {
      // Agents launched here were told the old address in their launch plan and cannot learn the new one.
      for (const agent of fleet.list()) {
        if (agents.registry.get(agent.kind)?.plan !== undefined && !isEnded(agent.status)) {
          fleet.apply(agent.id, 'connectionLost', {
            statusReason: `Flotilla's bridge could not get its port ${preferred} back (${listening.preferredPortError}); this session can no longer report.`,
          });
        }
      }
    }
    shell.commands.open();
    await terminals.reattach();

    if (workspaceDir) void launchStartupAgents(launcher, fleet, workspaceDir, logger);

    return {
      storeDriver: driverName,
      api: {
        bridgePort: listening.port,
        agents: () => fleet.list(),
        pendingApprovals: () => approvals.pending(),
        onDidChangeAgent: fleet.onDidChangeAgent,
      },
      dispose: () => d.dispose(),
    };
  } catch (err) {
    d.dispose();
    throw err;
  }
}
