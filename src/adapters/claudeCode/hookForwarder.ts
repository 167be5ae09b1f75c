// The logic of the fallback command hook: forward the payload Claude Code piped in to the bridge and hand back
// the bridge's reply. Any failure yields no reply at all, so Claude Code falls back to its own permission prompt.
import { HookReplySchema, MAX_HOOK_PAYLOAD_BYTES } from '../../shared/claudeCode/hookPayloads';
import { BRIDGE_URL_ENV, TOKEN_ENV, hooksUrl } from './hookSettings';

/** Largest reply accepted from the bridge. */
const MAX_REPLY_BYTES = 256 * 1024;

export type ForwardResult = { readonly ok: true; readonly reply: string } | { readonly ok: false; readonly reason: string };

export interface ForwardOptions {
  readonly payload: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs: number;
  /** The bridge route to post to (default the Claude Code one); other agents' command hooks pass `--path`. */
  readonly path?: string;
  readonly fetchImpl?: typeof fetch;
}

export async function forwardHookPayload(options: ForwardOptions): Promise<ForwardResult> {
  const bridgeUrl = options.env[BRIDGE_URL_ENV];
  const token = options.env[TOKEN_ENV];
  if (!bridgeUrl) return { ok: false, reason: `${BRIDGE_URL_ENV} is not set` };
  if (!token) return { ok: false, reason: `${TOKEN_ENV} is not set` };
  let url: string;
  try {
    url = hooksUrl(bridgeUrl, options.path);
  } catch (err) {
    return { ok: false, reason: `${BRIDGE_URL_ENV}: ${err instanceof Error ? err.message : String(err)}` };
  }
  let response: Response;
  let body: string;
  try {
    response = await (options.fetchImpl ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: options.payload,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    body = await response.text();
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, reason: `bridge did not answer within ${options.timeoutMs} ms` };
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return { ok: false, reason: `bridge unreachable at ${url} (${err instanceof Error ? err.message : String(err)}${cause})` };
  }
  if (response.status < 200 || response.status > 299) return { ok: false, reason: `bridge answered HTTP ${response.status}` };
  if (body.length > MAX_REPLY_BYTES) return { ok: false, reason: `bridge reply over ${MAX_REPLY_BYTES} bytes` };
  let json: unknown;
  try {
    json = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    return { ok: false, reason: 'bridge reply is not JSON' };
  }
  const reply = HookReplySchema.safeParse(json);
  if (!reply.success) return { ok: false, reason: 'bridge reply is not a known hook reply shape' };
  return { ok: true, reply: JSON.stringify(reply.data) };
}

export async function readBounded(stream: AsyncIterable<Buffer | string>, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > maxBytes) return undefined;
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface HookProgramIo {
  readonly stdin: AsyncIterable<Buffer | string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly argv: readonly string[];
  writeStdout(text: string): Promise<void>;
  writeStderr(text: string): Promise<void>;
}

/** `--timeout SECONDS` (what hookSettings passes, a little under Claude Code's own hook timeout). */
export function timeoutFromArgv(argv: readonly string[], fallbackMs = 590_000): number {
  const i = argv.indexOf('--timeout');
  const seconds = i >= 0 ? Number(argv[i + 1]) : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : fallbackMs;
}

/** `--path /hooks/NAME`: the bridge route of another agent kind using this program (Codex). Anything else: the default. */
export function pathFromArgv(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--path');
  const path = i >= 0 ? argv[i + 1] : undefined;
  return path !== undefined && /^\/hooks\/[a-z][a-z0-9-]{0,40}$/.test(path) ? path : undefined;
}

/** Never throws and never prints a decision it did not get from the bridge. */
export async function runHookProgram(io: HookProgramIo): Promise<void> {
  let result: ForwardResult;
  try {
    const payload = await readBounded(io.stdin, MAX_HOOK_PAYLOAD_BYTES);
    result =
      payload === undefined
        ? { ok: false, reason: `payload over ${MAX_HOOK_PAYLOAD_BYTES} bytes` }
        : await forwardHookPayload({ payload, env: io.env, timeoutMs: timeoutFromArgv(io.argv), path: pathFromArgv(io.argv) });
  } catch (err) {
    result = { ok: false, reason: `unexpected error: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (result.ok) {
    await io.writeStdout(result.reply);
  } else {
    await io.writeStderr(`flotilla hook: ${result.reason}; leaving the decision to Claude Code\n`);
  }
}
