// The supervisor's side of Attach and Open Diff for a runner's agent (docs/protocol.md, "Runners: attach and diff"):
// dials `/v1/agents/<id>/pty` and GETs `/changes` and `/file` with the connection's bearer token. vscode-free; the
// terminal and the diff editor are in src/vscode/remoteAttach.ts and src/vscode/remoteDiff.ts.
import * as http from 'node:http';
import * as https from 'node:https';
import { WebSocket } from 'ws';
import { RUNNER_AGENT_PATH_PREFIX } from '../../shared/protocol/runner';
import {
  BINARY_HEADER,
  ChangesMessageSchema,
  MAX_DIFF_FILE_BYTES,
  parseWith,
  RUNNER_CHANGES_SUFFIX,
  RUNNER_FILE_SUFFIX,
  RUNNER_PTY_SUFFIX,
} from '../../shared/protocol/runnerAttach';
import type { ChangesMessage, DiffSide } from '../../shared/protocol/runnerAttach';

export interface RunnerEndpoint {
  /** ws:// or wss:// base URL of the runner. */
  readonly url: string;
  readonly token: string;
  /** PEM certificate(s) to trust for a wss:// runner with its own certificate. */
  readonly ca?: string;
}

export type RemoteFile = { readonly kind: 'absent' } | { readonly kind: 'too_large'; readonly size: number } | { readonly kind: 'ok'; readonly bytes: Buffer; readonly binary: boolean };

/** A runner's answer that was not what the client asked for (status and the runner's reason). */
export class RunnerRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_LIST_BYTES = 8 * 1024 * 1024;

function agentPath(agentId: string, suffix: string): string {
  return `${RUNNER_AGENT_PATH_PREFIX}${encodeURIComponent(agentId)}${suffix}`;
}

function base(endpoint: RunnerEndpoint): string {
  return endpoint.url.replace(/\/+$/, '');
}

/** Opens an attachment to the agent's terminal (binary frames both ways, JSON text frames for the rest). */
export function openPtySocket(endpoint: RunnerEndpoint, agentId: string): WebSocket {
  return new WebSocket(`${base(endpoint)}${agentPath(agentId, RUNNER_PTY_SUFFIX)}`, {
    headers: { authorization: `Bearer ${endpoint.token}` },
    handshakeTimeout: 10_000,
    // Output comes in chunks of the pty's reads; the runner never sends more than its scrollback at once.
    maxPayload: 4 * 1024 * 1024,
    ...(endpoint.ca === undefined ? {} : { ca: endpoint.ca }),
  });
}

/** GET a runner path: status, headers and the body (at most `limit` bytes, else the request is aborted). */
function get(endpoint: RunnerEndpoint, pathAndQuery: string, limit: number): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const url = new URL(`${base(endpoint)}${pathAndQuery}`);
  const secure = url.protocol === 'wss:';
  url.protocol = secure ? 'https:' : 'http:';
  const options: https.RequestOptions = { headers: { authorization: `Bearer ${endpoint.token}` }, timeout: 30_000, ...(endpoint.ca === undefined ? {} : { ca: endpoint.ca }) };
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).get(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          req.destroy(new Error(`the runner's answer exceeds ${limit} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('the runner did not answer within 30 s')));
    req.on('error', reject);
  });
}

function errorBody(body: Buffer): { error?: unknown; absent?: unknown; size?: unknown } {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as { error?: unknown }) : {};
  } catch {
    return {};
  }
}

function reason(body: Buffer, status: number): string {
  const { error } = errorBody(body);
  return typeof error === 'string' ? error.slice(0, 1024) : `the runner answered HTTP ${status}`;
}

/** What the agent changed in its worktree since its base commit. */
export async function fetchChanges(endpoint: RunnerEndpoint, agentId: string): Promise<ChangesMessage> {
  const res = await get(endpoint, agentPath(agentId, RUNNER_CHANGES_SUFFIX), MAX_LIST_BYTES);
  if (res.status !== 200) throw new RunnerRequestError(res.status, reason(res.body, res.status));
  const parsed = parseWith(ChangesMessageSchema, res.body.toString('utf8'), 'changes');
  if (!parsed.ok) throw new RunnerRequestError(res.status, parsed.error);
  return parsed.value;
}

/** One side of a changed file: at the base commit or as it is now in the worktree. */
export async function fetchFile(endpoint: RunnerEndpoint, agentId: string, side: DiffSide, relPath: string): Promise<RemoteFile> {
  const query = new URLSearchParams({ side, path: relPath });
  const res = await get(endpoint, `${agentPath(agentId, RUNNER_FILE_SUFFIX)}?${query.toString()}`, MAX_DIFF_FILE_BYTES + 64 * 1024);
  if (res.status === 200) return { kind: 'ok', bytes: res.body, binary: res.headers[BINARY_HEADER] === '1' };
  if (res.status === 404 && errorBody(res.body).absent === true) return { kind: 'absent' };
  if (res.status === 413) {
    const size = Number(errorBody(res.body).size);
    return { kind: 'too_large', size: Number.isFinite(size) ? size : MAX_DIFF_FILE_BYTES + 1 };
  }
  throw new RunnerRequestError(res.status, reason(res.body, res.status));
}
