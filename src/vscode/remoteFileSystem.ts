// A read-only file system over a runner agent's worktree diff, for the multi-diff editor:
// `flotilla-remote://<connection>/<agentId>/<path>?base` is a changed file at the worktree's base commit and
// `...?work` the file as it is now on the runner. The side is in the query so that both sides of a file have the same
// path (the multi-diff editor calls a pair with different paths a rename). Each read asks the runner
// (GET /v1/agents/<id>/file); a file over the runner's size limit reads as a one-line note.
import * as vscode from 'vscode';
import { fetchFile, RunnerRequestError } from '../adapters/remote/runnerAttachClient';
import type { RunnerEndpoint } from '../adapters/remote/runnerAttachClient';
import type { DiffSide } from '../shared/protocol/runnerAttach';

export const REMOTE_SCHEME = 'flotilla-remote';

export interface RemoteFileRef {
  readonly connection: string;
  readonly agentId: string;
  readonly side: DiffSide;
  /** Relative to the worktree's root, forward slashes. */
  readonly path: string;
}

export function remoteFileUri(ref: RemoteFileRef, scheme = REMOTE_SCHEME): vscode.Uri {
  const rel = ref.path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  // Uri.parse keeps the encoded segments as they are; the agent id is one segment whatever it contains.
  return vscode.Uri.parse(`${scheme}://${encodeURIComponent(ref.connection)}/${encodeURIComponent(ref.agentId)}/${rel}?${ref.side}`);
}

export function parseRemoteFileUri(uri: vscode.Uri): RemoteFileRef | undefined {
  const side = uri.query;
  if (side !== 'base' && side !== 'work') return undefined;
  const segments = uri.path.split('/').slice(1);
  if (segments.length < 2) return undefined;
  const [agentId, ...rest] = segments;
  try {
    return { connection: decodeURIComponent(uri.authority), agentId: decodeURIComponent(agentId!), side, path: rest.map((s) => decodeURIComponent(s)).join('/') };
  } catch {
    return undefined;
  }
}

export class RemoteFileSystemProvider implements vscode.FileSystemProvider {
  private readonly _onDidChangeFile = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this._onDidChangeFile.event;
  /** A file's mtime as the editor sees it: bumped on each `changed`, so an open editor reloads (its etag changes). */
  private readonly versions = new Map<string, number>();

  constructor(private readonly endpoint: (connection: string) => Promise<RunnerEndpoint>) {}

  /** The files changed on the runner (Open Diff again): editors showing them read them anew. */
  changed(uris: readonly vscode.Uri[]): void {
    const now = Date.now();
    for (const uri of uris) this.versions.set(uri.toString(), Math.max(now, (this.versions.get(uri.toString()) ?? 0) + 1));
    if (uris.length > 0) this._onDidChangeFile.fire(uris.map((uri) => ({ type: vscode.FileChangeType.Changed, uri })));
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const ref = parseRemoteFileUri(uri);
    if (!ref) throw vscode.FileSystemError.FileNotFound(uri);
    let file;
    try {
      file = await fetchFile(await this.endpoint(ref.connection), ref.agentId, ref.side, ref.path);
    } catch (err) {
      if (err instanceof RunnerRequestError && err.status === 404) throw vscode.FileSystemError.FileNotFound(uri);
      throw vscode.FileSystemError.Unavailable(`${ref.connection}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (file.kind === 'absent') throw vscode.FileSystemError.FileNotFound(uri);
    if (file.kind === 'too_large') return new TextEncoder().encode(`(not shown: ${file.size} bytes, more than the runner serves for a diff)\n`);
    return file.bytes;
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    if (!parseRemoteFileUri(uri)) throw vscode.FileSystemError.FileNotFound(uri);
    // The size is known only after a read; the editor reads the whole file anyway.
    return { type: vscode.FileType.File, ctime: 0, mtime: this.versions.get(uri.toString()) ?? 0, size: 0, permissions: vscode.FilePermission.Readonly };
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this._onDidChangeFile.dispose();
  }
}
