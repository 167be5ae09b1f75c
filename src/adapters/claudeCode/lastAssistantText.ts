// The agent's last words before it asked: the text of the newest assistant line of a Claude Code transcript (JSONL),
// read from the file's tail only (a long session's transcript is megabytes). Subagent lines (sidechains) are not the
// agent speaking to the user and are skipped. Lines that do not parse are passed over: the file is the CLI's, not ours.
import { open } from 'node:fs/promises';
import { z } from 'zod';

/** How much of the file's end is read: many assistant lines, far less than a long session's transcript. */
export const TAIL_BYTES = 256 * 1024;

const AssistantTextLineSchema = z.looseObject({
  type: z.literal('assistant'),
  isSidechain: z.boolean().optional(),
  message: z.looseObject({
    content: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
  }),
});

/** The text of the newest assistant line that has some, or undefined (no such line in the tail, or no file). */
export async function lastAssistantText(transcriptPath: string, tailBytes = TAIL_BYTES): Promise<string | undefined> {
  let text: string;
  try {
    text = await readTail(transcriptPath, tailBytes);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const found = assistantText(lines[i]!);
    if (found !== undefined) return found;
  }
  return undefined;
}

function assistantText(line: string): string | undefined {
  if (!line.includes('"assistant"')) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = AssistantTextLineSchema.safeParse(raw);
  if (!parsed.success || parsed.data.isSidechain === true) return undefined;
  const text = parsed.data.message.content
    .filter((block) => block.type === 'text' && block.text !== undefined)
    .map((block) => block.text!)
    .join('\n')
    .trim();
  return text === '' ? undefined : text;
}

/** The last `bytes` of the file, starting after the first line break when the read began mid-file (a partial line). */
async function readTail(path: string, bytes: number): Promise<string> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const start = Math.max(0, size - bytes);
    const buffer = Buffer.alloc(size - start);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, start);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    return start === 0 ? text : text.slice(text.indexOf('\n') + 1);
  } finally {
    await file.close();
  }
}
