// The runner's Open Diff answers (`GET /v1/agents/<id>/changes`, `GET /v1/agents/<id>/file?side=base|work&path=P`),
// after PublicServer checked the token: JSON for the list and for errors, the file's raw bytes otherwise (with the
// binary mark in a header).
import type * as http from 'node:http';
import type { WorktreeInfo } from '../shared/agent';
import { BINARY_HEADER, MAX_DIFF_FILE_BYTES, RUNNER_CHANGES_SUFFIX } from '../shared/protocol/runnerAttach';
import { listChanges, readSide } from './worktreeDiff';

export interface DiffRequest {
  readonly agentId: string;
  /** `/changes` or `/file`. */
  readonly rest: string;
  /** null: the agent runs outside a worktree; undefined: no such agent. */
  readonly worktree: WorktreeInfo | null | undefined;
  readonly log: (line: string) => void;
}

export async function serveDiffRequest(req: http.IncomingMessage, res: http.ServerResponse, r: DiffRequest): Promise<void> {
  const json = (status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  if (req.method !== 'GET') return json(405, { error: 'GET only' });
  if (r.worktree === undefined) return json(404, { error: `no agent '${r.agentId}' on this runner` });
  if (r.worktree === null) return json(409, { error: `agent '${r.agentId}' does not run in a worktree of its own (start it with --worktree)` });
  try {
    if (r.rest === RUNNER_CHANGES_SUFFIX) return json(200, await listChanges(r.worktree));
    const query = new URL(req.url ?? '/', 'http://runner').searchParams;
    const side = query.get('side');
    const relPath = query.get('path');
    if (side !== 'base' && side !== 'work') return json(400, { error: 'side: expected base or work' });
    if (!relPath || relPath.length > 4096) return json(400, { error: 'path: expected a changed file (1 to 4096 characters)' });
    const file = await readSide(r.worktree, side, relPath);
    if (file === undefined) return json(404, { error: `path: '${relPath}' is not a changed file of this agent` });
    if (file.kind === 'absent') return json(404, { error: `path: '${relPath}' does not exist on the ${side} side`, absent: true });
    if (file.kind === 'too_large') return json(413, { error: `path: '${relPath}' has ${file.size} bytes, more than ${MAX_DIFF_FILE_BYTES}`, size: file.size });
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length, [BINARY_HEADER]: file.binary ? '1' : '0', 'cache-control': 'no-store' });
    res.end(file.bytes);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    r.log(`agent ${r.agentId}: the diff failed: ${message}`);
    json(500, { error: message.slice(0, 1024) });
  }
}
