// Normalizes the model ids Claude Code and its gateways write (Bedrock, Vertex, context-window suffixes) to the
// Anthropic API ids the price catalog knows.

/** Claude Code's own aliases: they name whatever model is current, so they cannot be priced by name. */
export const CLAUDE_CODE_ALIASES = new Set(['default', 'sonnet', 'opus', 'haiku', 'opusplan', 'best', 'sonnet[1m]', 'opus[1m]']);

export function normalizeModelId(model: string): string {
  let id = model.trim().toLowerCase();
  // "claude-opus-4-8[1m]": Claude Code marks the 1M-context variant in its usage keys.
  id = id.replace(/\[[^\]]*\]$/, '');
  // "anthropic/claude-...", "us.anthropic.claude-...-v1:0" (Bedrock), "claude-...@20250929" (Vertex).
  id = id.replace(/^anthropic\//, '');
  id = id.replace(/^(?:[a-z]{2,6}\.)?anthropic\./, '');
  id = id.replace(/-v\d+(?::\d+)?$/, '');
  id = id.replace(/@(\d{8})$/, '-$1');
  return id;
}

export const isClaudeModel = (normalized: string): boolean => normalized.startsWith('claude');
