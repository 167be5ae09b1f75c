// The slot budget's refusal in the window: instead of only an error, New Agent offers to stop an idle agent (the
// longest idle first, at most two offered) and then starts the new one; the stop goes through Stop Agent.
import * as vscode from 'vscode';
import type { SlotRefusal } from '../core/budget/slotBudget';
import type { AgentSnapshot } from '../shared/agent';
import { Commands } from './ids';

/** Asks which idle agent to stop for `name`; returns the stopped agent, or undefined (the user declined). */
export async function offerFreeSlot(refusal: SlotRefusal, name: string): Promise<AgentSnapshot | undefined> {
  const offers = refusal.idle.slice(0, 2);
  const text = `Could not start ${name}: ${refusal.holders} agents hold the ${refusal.limit} slots (flotilla.maxConcurrentAgents; paused and idle agents hold theirs).`;
  if (offers.length === 0) {
    void vscode.window.showErrorMessage(`${text} None is idle: stop one or raise the setting.`);
    return undefined;
  }
  const buttons = offers.map((a) => `Stop ${a.name}`);
  const picked = await vscode.window.showWarningMessage(`${text} Stop an idle agent to start ${name}?`, ...buttons);
  const agent = offers[buttons.indexOf(picked ?? '')];
  if (!agent) return undefined;
  // Stop Agent marks the agent stopped at once (its slot is free), then ends its terminal.
  await vscode.commands.executeCommand(Commands.stopAgent, agent.id);
  return agent;
}
