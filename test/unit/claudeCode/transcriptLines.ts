// Claude Code transcript lines for tests: an assistant line with the usage fields Claude Code writes (including the
// 5-minute / 1-hour split of cache writes and a subagent's agentId).

export interface Line {
  id: string;
  req?: string;
  model?: string;
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheCreation?: number;
  /** Of cacheCreation, the 1-hour writes (written as Claude Code does: usage.cache_creation). */
  cacheCreation1h?: number;
  text?: string;
  /** A subagent's line (Claude Code writes its agentId on each line of the subagent's file). */
  agentId?: string;
}

export function assistant(l: Line): string {
  return `${JSON.stringify({
    type: 'assistant',
    requestId: l.req,
    ...(l.agentId !== undefined ? { agentId: l.agentId, isSidechain: true } : {}),
    timestamp: '2026-01-01T00:00:00.000Z',
    message: {
      id: l.id,
      type: 'message',
      role: 'assistant',
      model: l.model ?? 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: l.text ?? 'x' }],
      usage: {
        input_tokens: l.input ?? 0,
        output_tokens: l.output ?? 0,
        cache_read_input_tokens: l.cacheRead ?? 0,
        cache_creation_input_tokens: l.cacheCreation ?? 0,
        ...(l.cacheCreation1h !== undefined
          ? { cache_creation: { ephemeral_5m_input_tokens: (l.cacheCreation ?? 0) - l.cacheCreation1h, ephemeral_1h_input_tokens: l.cacheCreation1h } }
          : {}),
        service_tier: 'standard',
      },
    },
  })}\n`;
}
