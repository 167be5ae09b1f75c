// Loads the real Bash grammar (tree-sitter-bash on web-tree-sitter, both WASM) once per process, so the
// policy can parse command lines synchronously afterwards. Until it is loaded, shell analysis fails closed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import type { Tree } from 'web-tree-sitter';

let parser: Parser | null = null;
let loading: Promise<void> | null = null;

/**
 * Where a WASM file is: next to the running bundle (dist/, where esbuild.mjs copies it) or, when running
 * from sources (tests, tsx), in node_modules.
 */
function locate(file: string, packageEntry: string): string {
  const beside = path.join(__dirname, file);
  if (fs.existsSync(beside)) return beside;
  return require.resolve(packageEntry);
}

/** Loads the parser; idempotent, and safe to call concurrently. A failed load can be retried. */
export function initShellParser(): Promise<void> {
  if (parser) return Promise.resolve();
  loading ??= (async () => {
    const runtime = locate('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
    await Parser.init({ locateFile: () => runtime });
    const bash = await Language.load(locate('tree-sitter-bash.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm'));
    const p = new Parser();
    p.setLanguage(bash);
    parser = p;
  })().catch((err: unknown) => {
    loading = null;
    throw err;
  });
  return loading;
}

export function shellParserReady(): boolean {
  return parser !== null;
}

/** Parses Bash source into a syntax tree; null when the parser is not loaded. The caller deletes the tree. */
export function parseBashTree(source: string): Tree | null {
  if (!parser) return null;
  return parser.parse(source);
}
