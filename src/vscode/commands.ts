// Every Flotilla command, registered in one place from the ids table. Handlers stay thin: they ask the user,
// call a service, and report the outcome.
import * as vscode from 'vscode';
import type { Fleet } from '../core/fleet/fleet';
import type { ApprovalQueue } from '../core/approvals/approvalQueue';
import type { FleetStore } from '../core/store/store';
import type { AgentSnapshot } from '../shared/agent';
import type { AgentControl } from '../core/agents/agentAdapter';
import type { PendingApproval } from '../shared/approval';
import type { AgentTerminals } from './agentTerminals';
import type { AgentLauncher } from './agentLauncher';
import type { AgentsTreeProvider, AgentTreeNode } from './agentsTree';
import type { NewAgentRequest } from './newAgentFlow';
import { openAgentDiff } from './agentDiff';
import { exportAuditLog } from './auditExport';
import { removeAgent } from './removeAgent';
import { agentsFor } from './agentPicker';
import type { PickOptions } from './agentPicker';
import { registerAgentCommands, stopAgent } from './agentCommands';
import { Commands, RemoteAgentCommands } from './ids';
import { runnerAgentRef } from './remoteAgentRef';
import { ApprovalsPanel } from './approvalsPanel';
import { decideAsUser } from './approvalNotifier';
import type { ApprovalsPanelDeps } from './approvalsPanel';
import type { AlwaysAllowUi } from './alwaysAllowUi';
import type { QuarantineUi } from './quarantineUi';
import type { Credentials } from '../core/credentials/credentials';
import { exportTrace, pickTraceAgent, TracePanel } from './tracePanel';
import type { TracePanelDeps } from './tracePanel';
import { SlotRefusal } from '../core/budget/slotBudget';
import { offerFreeSlot } from './budgetUiSlots';

export interface CommandServices {
  readonly fleet: Fleet;
  readonly approvals: ApprovalQueue;
  readonly terminals: AgentTerminals;
  readonly launcher: AgentLauncher;
  readonly store: FleetStore;
  readonly log: vscode.LogOutputChannel;
  readonly agentsTree: AgentsTreeProvider;
  readonly agentsView: vscode.TreeView<AgentTreeNode>;
  readonly workspaceDir: string | undefined;
  readonly extensionUri: vscode.Uri;
  readonly alwaysAllow: AlwaysAllowUi;
  readonly approvalsPanel: ApprovalsPanelDeps;
  readonly quarantine: QuarantineUi;
  /** The control of agents without a terminal here (remote agents: control frames on their connection). */
  readonly remoteControl?: AgentControl;
  /** Credentials in SecretStorage (Set Credentials…). */
  readonly credentials?: Credentials;
  /** Trace panels and export (issue 12). */
  readonly traces?: TracePanelDeps;
  /** The New Agent flow (src/vscode/newAgentUi.ts: recent prompts, the prompt editor). */
  readonly askNewAgent: () => Promise<NewAgentRequest | undefined>;
  /** "Add Remote Connection…": a runner to dial (src/vscode/remoteConnections.ts). */
  readonly addRemoteConnection?: () => Promise<void>;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function registerCommands(s: CommandServices): vscode.Disposable {
  /** Commands from a tree row get the agent (and the selection); from elsewhere an id or nothing: then a picker asks. */
  const resolveAgent = async (arg: unknown, o: Omit<PickOptions, 'many'>): Promise<AgentSnapshot | undefined> => (await agentsFor(s.fleet, [arg], { ...o, many: false }))[0];
  const hasTerminal = (id: string) => s.terminals.has(id);

  const handlers: Record<(typeof Commands)[keyof typeof Commands], (...args: unknown[]) => unknown> = {
    [Commands.newAgent]: async (arg?: unknown) => {
      if (!s.workspaceDir) {
        void vscode.window.showErrorMessage('Open a folder first: Flotilla runs agents in a workspace (or a git worktree of it).');
        return undefined;
      }
      const request = (arg as NewAgentRequest | undefined) ?? (await s.askNewAgent());
      if (!request) return undefined;
      try {
        return await s.launcher.launch(request, s.workspaceDir);
      } catch (err) {
        // The slot budget is full: offer to stop an idle agent, then start this one in its place.
        if (err instanceof SlotRefusal && (await offerFreeSlot(err, request.name))) {
          return s.launcher.launch(request, s.workspaceDir).catch((again: unknown) => void vscode.window.showErrorMessage(`Could not start ${request.name}: ${message(again)}`));
        }
        if (err instanceof SlotRefusal) return undefined;
        s.log.error(`New Agent failed: ${message(err)}`);
        void vscode.window.showErrorMessage(`Could not start ${request.name}: ${message(err)}`);
        return undefined;
      }
    },
    [Commands.connectRemote]: () => s.launcher.showRemoteConnection(),
    [Commands.showConnectionDetails]: async (...args) => {
      for (const agent of await agentsFor(s.fleet, args, { filter: 'any', many: false, verb: 'show the connection details of' })) await s.launcher.reissueRemoteConnection(agent);
    },
    [Commands.addRemoteConnection]: () => s.addRemoteConnection?.(),
    [Commands.refresh]: () => s.agentsTree.refresh(),
    [Commands.focusTerminal]: async (arg) => {
      const agent = await resolveAgent(arg, { filter: 'terminal', verb: 'show the terminal of', hasTerminal });
      if (agent && !s.terminals.focus(agent.id)) {
        void vscode.window.showInformationMessage(`${agent.name} has no terminal in this window.`);
      }
    },
    [Commands.openDiff]: async (arg) => {
      const agent = await resolveAgent(arg, { filter: 'changes', verb: 'open the diff of' });
      if (!agent) return 0;
      // A runner's agent: its runner serves the changes (remoteAgentUi.ts).
      if (runnerAgentRef(agent)) return vscode.commands.executeCommand<number>(RemoteAgentCommands.openRemoteDiff, agent.id);
      try {
        return await openAgentDiff(agent);
      } catch (err) {
        void vscode.window.showErrorMessage(`Could not open the diff of ${agent.name}: ${message(err)}`);
        return 0;
      }
    },
    // Stop and Remove act on every selected row (or several picked agents).
    [Commands.stopAgent]: async (...args) => {
      const agents = await agentsFor(s.fleet, args, { filter: 'live', many: true, verb: 'stop' });
      await Promise.all(agents.map((a) => stopAgent(s, a)));
    },
    [Commands.removeAgent]: async (...args) => {
      let removed = false;
      for (const agent of await agentsFor(s.fleet, args, { filter: 'any', many: true, verb: 'remove' })) {
        removed = (await removeAgent({ fleet: s.fleet, log: s.log, stop: (a) => stopAgent(s, a) }, agent)) || removed;
      }
      return removed;
    },
    [Commands.openApprovals]: () => ApprovalsPanel.show(s.approvalsPanel),
    // The row's element is the request as it was shown; the queue refuses it if it went stale meanwhile.
    [Commands.allowRequest]: (arg) => isRequest(arg) && decideAsUser(s.approvals, [arg], 'allow') === 1,
    [Commands.denyRequest]: (arg) => isRequest(arg) && decideAsUser(s.approvals, [arg], 'deny') === 1,
    [Commands.verifyAuditLog]: () => {
      const result = s.store.verifyAudit();
      if (result.ok) void vscode.window.showInformationMessage(`Audit log verified: ${result.count} entries, the hash chain is intact.`);
      else void vscode.window.showErrorMessage(`Audit log is broken at entry ${result.firstBrokenSeq}: ${result.reason}`);
      return result;
    },
    [Commands.exportAuditLog]: () => exportAuditLog({ store: s.store, agentName: (id) => s.fleet.get(id)?.name, workspaceDir: s.workspaceDir }),
    [Commands.showLog]: () => s.log.show(),
    [Commands.showSessionRules]: () => s.alwaysAllow.showSessionRules(),
    [Commands.releaseQuarantine]: (arg) => s.quarantine.release(arg),
    // A row's agent, an agent id, or a pick among agents with a trace (removed ones included).
    [Commands.openTrace]: async (arg) => {
      const id = s.traces && (traceAgentId(arg) ?? (await pickTraceAgent(s.traces)));
      if (s.traces && id) TracePanel.show(s.traces, id);
    },
    [Commands.openFleetTimeline]: () => s.traces && void TracePanel.show(s.traces, undefined),
    [Commands.exportTrace]: async (arg) => {
      const id = s.traces && (traceAgentId(arg) ?? (await pickTraceAgent(s.traces)));
      return s.traces && id ? exportTrace(s.traces, undefined, id) : undefined;
    },
  };
  return vscode.Disposable.from(...Object.entries(handlers).map(([id, fn]) => vscode.commands.registerCommand(id, fn)), registerAgentCommands(s));
}

const isRequest = (arg: unknown): arg is PendingApproval => typeof arg === 'object' && arg !== null && typeof (arg as { id?: unknown }).id === 'string' && typeof (arg as { agentName?: unknown }).agentName === 'string';

const traceAgentId = (arg: unknown): string | undefined =>
  typeof arg === 'string' ? arg : arg && typeof arg === 'object' && typeof (arg as { id?: unknown }).id === 'string' ? (arg as { id: string }).id : undefined;
