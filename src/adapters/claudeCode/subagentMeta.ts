// A Claude Code subagent's type ("Explore", "general-purpose"): Claude Code 2.x writes it beside the subagent's
// transcript, `<session>/subagents/agent-<id>.meta.json` ({ "agentType": ... }), next to the main transcript
// `<session>.jsonl`. A found type is kept (read once per subagent); the usage facts carry only the id.
import { readFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import * as z from 'zod';

const MetaSchema = z.looseObject({ agentType: z.string().min(1).max(256) });
const SUBAGENT_ID = /^[A-Za-z0-9_-]{1,128}$/;
const known = new Map<string, string | undefined>();

/** The subagent's type, or undefined (no meta file yet, an older Claude Code, an id that is not a plain name). */
export function claudeSubagentType(mainTranscripts: readonly string[], subagentId: string): string | undefined {
  if (!SUBAGENT_ID.test(subagentId)) return undefined;
  for (const main of mainTranscripts) {
    const type = typeBeside(main, subagentId);
    if (type !== undefined) return type;
  }
  return undefined;
}

function typeBeside(mainTranscript: string, subagentId: string): string | undefined {
  const session = basename(mainTranscript).replace(/\.jsonl$/, '');
  const file = join(dirname(mainTranscript), session, 'subagents', `agent-${subagentId}.meta.json`);
  if (known.has(file)) return known.get(file);
  let type: string | undefined;
  try {
    const parsed = MetaSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    type = parsed.success ? parsed.data.agentType : undefined;
  } catch {
    type = undefined;
  }
  // A missing file may appear later: only a found type is kept for good.
  if (type !== undefined) known.set(file, type);
  return type;
}
