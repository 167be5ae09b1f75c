// Blockers: a turn that ends with a question to the user, or a question tool (Claude Code's AskUserQuestion), means
// the agent waits for the user even if its status says idle. Pure readers of the facts' text.
const QUESTION_TOOLS: ReadonlySet<string> = new Set(['AskUserQuestion']);

const MAX = 300;

/** The question the message ends with ("Should I also update the docs?"), or undefined when it does not end with one. */
export function closingQuestion(message: string | undefined): string | undefined {
  if (!message) return undefined;
  // Markdown decoration and closing quotes or brackets after the question mark do not hide it.
  const text = message.trim().replace(/[\s*_`)"'\]»”]+$/u, '');
  if (!/[?？]$/u.test(text)) return undefined;
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  const last = lines[lines.length - 1]!.replace(/^[-*>#\d.\s]+/, '');
  // The last sentence of the last line: the question itself, not the report before it.
  const sentences = last.split(/(?<=[.!?])\s+(?=[A-Z"'(])/u);
  const question = sentences[sentences.length - 1]!;
  return question.length > MAX ? `…${question.slice(-(MAX - 1))}` : question;
}

/** The question(s) of a question tool call, or undefined when the tool is not one. */
export function toolQuestion(tool: string, input: unknown): string | undefined {
  if (!QUESTION_TOOLS.has(tool)) return undefined;
  const questions = input && typeof input === 'object' ? (input as { questions?: unknown }).questions : undefined;
  const texts = Array.isArray(questions)
    ? questions.map((q) => (q && typeof q === 'object' && typeof (q as { question?: unknown }).question === 'string' ? (q as { question: string }).question : undefined)).filter((q): q is string => q !== undefined)
    : [];
  const joined = texts.length > 0 ? texts.join(' · ') : 'the agent asks you a question';
  return joined.length > MAX ? `${joined.slice(0, MAX - 1)}…` : joined;
}
