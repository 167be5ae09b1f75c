// Claude Code's OpenTelemetry events as a second usage source, for the requests no transcript holds: the session
// title and the compaction summary (recorded from 2.1.197: test/fixtures/otel/claudeCodeLogs.json). Claude Code posts
// OTLP/HTTP JSON logs to a bridge route with the agent's token; each `api_request` event names its request id (the
// transcript's `requestId`) and its `query_source`. Only the sources verified never to reach a transcript are counted,
// each request id once (an exporter may resend a batch); every other source is the transcript meter's. Requests
// without a request id cannot be told apart and are not counted. Launch: the OTEL variables are added only when the
// user has no OpenTelemetry set-up of their own for Claude Code (their variables or Claude Code settings' `env`),
// which they would otherwise lose.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import type { AdapterRouteRequest, AgentSignalSink } from '../../core/agents/agentAdapter';
import type { Logger } from '../../core/log';

export const OTEL_LOGS_PATH = '/claude-code/otel/v1/logs';

/** query_source values whose requests never reach a transcript (verified against the real CLI, see the fixture). */
export const SIDE_QUERY_SOURCES: ReadonlySet<string> = new Set(['generate_session_title', 'compact']);
/** query_source values the transcript meter counts: the main thread (interactive, -p) and subagents (`agent:*`). */
const isTranscriptSource = (source: string): boolean => source === 'repl_main_thread' || source === 'sdk' || source.startsWith('agent');

/** Request ids remembered per agent (a resent batch counts once). */
const MAX_IDS_PER_AGENT = 4096;

const AnyValueSchema = z.object({
  stringValue: z.string().max(8192).optional(),
  intValue: z.union([z.number().int(), z.string().regex(/^-?\d{1,18}$/)]).optional(),
  doubleValue: z.number().optional(),
  boolValue: z.boolean().optional(),
});
const LogRecordSchema = z.object({
  body: AnyValueSchema.optional(),
  attributes: z.array(z.object({ key: z.string().max(256), value: AnyValueSchema })).max(256).default([]),
});
/** The OTLP/HTTP JSON logs request, as far as it is read here (other fields pass unread). */
export const OtlpLogsSchema = z.object({
  resourceLogs: z
    .array(z.object({ scopeLogs: z.array(z.object({ logRecords: z.array(LogRecordSchema).max(4096).default([]) })).max(64).default([]) }))
    .max(64),
});

const tokens = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,15}$/).transform(Number)]);
/** One `claude_code.api_request` event's attributes. */
export const ApiRequestEventSchema = z.object({
  'event.name': z.literal('api_request'),
  'session.id': z.string().max(256).optional(),
  request_id: z.string().min(1).max(256),
  query_source: z.string().min(1).max(128),
  model: z.string().min(1).max(256),
  input_tokens: tokens,
  output_tokens: tokens,
  cache_read_tokens: tokens,
  cache_creation_tokens: tokens,
});
export type ApiRequestEvent = z.infer<typeof ApiRequestEventSchema>;

function attributes(record: z.infer<typeof LogRecordSchema>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of record.attributes) out[key] = value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue;
  return out;
}

/** The route's per-agent memory and its handler. */
export class OtelUsage {
  private readonly counted = new Map<string, Set<string>>();
  private readonly unknownSources = new Set<string>();

  /** `storedIds`: the request ids the store already holds for an agent, so a batch resent after a reload counts once. */
  constructor(
    private readonly log: Logger,
    private readonly storedIds: (agentId: string) => Iterable<string> = () => [],
  ) {}

  /** Handles one POST of OTLP logs from an agent's Claude Code; reports the side queries' usage through `sink`. */
  handle(request: AdapterRouteRequest, sink: AgentSignalSink): { status: number; body: unknown } {
    const { agent } = request;
    const parsed = OtlpLogsSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? '';
      this.log.warn(`OpenTelemetry logs from ${agent.name} rejected: ${field}: ${issue?.message ?? 'invalid'}`);
      return { status: 400, body: { error: `${field}: ${issue?.message ?? 'invalid'}`, field } };
    }
    let rejected = 0;
    for (const resource of parsed.data.resourceLogs) {
      for (const scope of resource.scopeLogs) {
        for (const record of scope.logRecords) {
          const attrs = attributes(record);
          if (attrs['event.name'] !== 'api_request') continue;
          const event = ApiRequestEventSchema.safeParse(attrs);
          if (!event.success) {
            // Without a request id (or with odd numbers) it cannot be matched against the transcript: not counted.
            rejected++;
            continue;
          }
          this.take(agent.id, agent.name, event.data, sink);
        }
      }
    }
    if (rejected > 0) this.log.info(`OpenTelemetry: ${rejected} api_request event(s) of ${agent.name} not counted (no request id or odd fields)`);
    return { status: 200, body: {} };
  }

  forget(agentId: string): void {
    this.counted.delete(agentId);
  }

  private take(agentId: string, agentName: string, e: ApiRequestEvent, sink: AgentSignalSink): void {
    if (isTranscriptSource(e.query_source)) return;
    if (!SIDE_QUERY_SOURCES.has(e.query_source)) {
      if (!this.unknownSources.has(e.query_source) && this.unknownSources.size < 100) {
        this.unknownSources.add(e.query_source);
        this.log.info(`OpenTelemetry: requests of kind ${JSON.stringify(e.query_source)} (${agentName}) are not counted: not known to stay out of transcripts`);
      }
      return;
    }
    let ids = this.counted.get(agentId);
    if (!ids) {
      ids = new Set<string>();
      try {
        for (const id of this.storedIds(agentId)) ids.add(id);
      } catch (err) {
        this.log.warn(`OpenTelemetry: could not read the stored requests of ${agentName}: ${err instanceof Error ? err.message : String(err)}`);
      }
      this.counted.set(agentId, ids);
    }
    if (ids.has(e.request_id)) return;
    ids.add(e.request_id);
    if (ids.size > MAX_IDS_PER_AGENT) ids.delete(ids.values().next().value as string);
    const delta = { input: e.input_tokens, output: e.output_tokens, cacheRead: e.cache_read_tokens, cacheWrite: e.cache_creation_tokens };
    if (delta.input + delta.output + delta.cacheRead + delta.cacheWrite === 0) return;
    sink.signal(agentId, { type: 'usage', model: e.model, delta, requestId: e.request_id });
  }
}

const TELEMETRY_KEY = (key: string): boolean => key === 'CLAUDE_CODE_ENABLE_TELEMETRY' || key.toUpperCase().startsWith('OTEL_');

/** Claude Code settings files whose `env` applies to an agent in `cwd` (user, project, local, managed). */
export function claudeSettingsFiles(env: Readonly<Record<string, string | undefined>>, cwd: string, home = os.homedir()): string[] {
  const configDir = env.CLAUDE_CONFIG_DIR || path.join(home, '.claude');
  const managed = process.platform === 'darwin' ? '/Library/Application Support/ClaudeCode/managed-settings.json' : process.platform === 'win32' ? 'C:\\ProgramData\\ClaudeCode\\managed-settings.json' : '/etc/claude-code/managed-settings.json';
  return [path.join(configDir, 'settings.json'), path.join(cwd, '.claude', 'settings.json'), path.join(cwd, '.claude', 'settings.local.json'), managed];
}

/** The first telemetry variable the user set (environment or a settings file's `env`), or undefined. */
export async function userTelemetry(envs: readonly Readonly<Record<string, unknown>>[], settingsFiles: readonly string[]): Promise<string | undefined> {
  for (const env of envs) for (const key of Object.keys(env)) if (TELEMETRY_KEY(key) && env[key] !== undefined) return `${key} in the environment`;
  for (const file of settingsFiles) {
    let text: string;
    try {
      text = await fs.promises.readFile(file, 'utf8');
    } catch {
      continue;
    }
    try {
      const env = (JSON.parse(text) as { env?: unknown }).env;
      if (env && typeof env === 'object') for (const key of Object.keys(env)) if (TELEMETRY_KEY(key)) return `${key} in ${file}`;
    } catch {
      // Claude Code reports its own unreadable settings; nothing of ours to add.
    }
  }
  return undefined;
}

/** The variables that make Claude Code post its events to the bridge (logs only, every second). */
export function otelEnv(bridgeUrl: string, token: string): Record<string, string> {
  return {
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    OTEL_LOGS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${bridgeUrl.replace(/\/+$/, '')}${OTEL_LOGS_PATH}`,
    OTEL_EXPORTER_OTLP_LOGS_HEADERS: `Authorization=Bearer ${token}`,
    OTEL_LOGS_EXPORT_INTERVAL: '1000',
  };
}
