// Where the agent's tooltip (agentPresentation.ts) finds the line about its subagents' costs ("incl. 2 subagents
// $0.31"): the container sets the source (src/core/cost/subagentCosts.ts over the store) once the store is open;
// until then, and in tests that build tooltips alone, there is no line.
let source: ((agentId: string) => string | undefined) | undefined;

export function setSubagentCostLine(next: ((agentId: string) => string | undefined) | undefined): { dispose(): void } {
  source = next;
  return { dispose: () => (source === next ? (source = undefined) : undefined) };
}

export function subagentCostLine(agentId: string): string | undefined {
  try {
    return source?.(agentId);
  } catch {
    // A store that is closing: no line rather than no tooltip.
    return undefined;
  }
}
