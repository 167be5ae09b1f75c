// Builds the extension and stages what a VSIX would contain in a temp folder, with either the Node-24 rebuild of
// better-sqlite3 (the normal run) or the repo's own Node-20 build (ABI 115), which cannot load in code-server's
// Node 24 and so proves the node:sqlite fallback.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { absoluteReadmeImages, readmeImagesBaseUrl } from '../../scripts/packageReadme';
import { freshDir, repoRoot } from './paths';
import { cleanEnv, run, tail } from './proc';

export interface StagedExtension {
  dir: string;
  /** Which better-sqlite3 binary was staged. */
  nativeModule: 'node24' | 'repo';
}

/** `node esbuild.mjs`; throws with the build's output when it fails. */
export async function buildExtension(): Promise<void> {
  const result = await run(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, env: cleanEnv(), timeoutMs: 5 * 60_000 });
  if (result.code !== 0) throw new Error(`the extension does not build (node esbuild.mjs, exit ${result.code}):\n${tail(result.output, 30)}`);
  if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) throw new Error('node esbuild.mjs succeeded but dist/extension.js is missing');
}

/** Copies better-sqlite3 as the VSIX carries it: package.json, lib/ and the one .node file. */
function stageBetterSqlite(from: string, to: string): void {
  const binary = join(from, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(binary)) throw new Error(`${binary} is missing: better-sqlite3 was not built`);
  mkdirSync(join(to, 'build', 'Release'), { recursive: true });
  cpSync(join(from, 'package.json'), join(to, 'package.json'));
  cpSync(join(from, 'lib'), join(to, 'lib'), { recursive: true });
  cpSync(binary, join(to, 'build', 'Release', 'better_sqlite3.node'));
}

/**
 * Stages the built extension (call buildExtension first) in a fresh temp folder.
 * `nativeModulesDir` is the folder from prepare() holding the Node-24 build; without it the repo's own is used.
 */
export function stageExtension(options: { nativeModulesDir?: string } = {}): StagedExtension {
  const dir = freshDir('extension');
  cpSync(join(repoRoot, 'package.json'), join(dir, 'package.json'));
  cpSync(join(repoRoot, 'dist'), join(dir, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.vsix') });
  if (existsSync(join(repoRoot, 'media'))) cpSync(join(repoRoot, 'media'), join(dir, 'media'), { recursive: true });
  for (const file of ['README.md', 'LICENSE']) {
    if (existsSync(join(repoRoot, file))) cpSync(join(repoRoot, file), join(dir, file));
  }
  // As in the VSIX (scripts/packageReadme.ts): the extension page shows only https images.
  writeFileSync(join(dir, 'README.md'), absoluteReadmeImages(readFileSync(join(repoRoot, 'README.md'), 'utf8'), readmeImagesBaseUrl()));
  const modulesFrom = options.nativeModulesDir
    ? join(options.nativeModulesDir, 'node_modules')
    : dirname(dirname(createRequire(join(repoRoot, 'package.json')).resolve('better-sqlite3/package.json')));
  const requireFromSqlite = createRequire(join(modulesFrom, 'better-sqlite3', 'package.json'));
  const bindingsDir = dirname(requireFromSqlite.resolve('bindings/package.json'));
  const fileUriDir = dirname(createRequire(join(bindingsDir, 'package.json')).resolve('file-uri-to-path/package.json'));
  stageBetterSqlite(join(modulesFrom, 'better-sqlite3'), join(dir, 'node_modules', 'better-sqlite3'));
  cpSync(bindingsDir, join(dir, 'node_modules', 'bindings'), { recursive: true });
  cpSync(fileUriDir, join(dir, 'node_modules', 'file-uri-to-path'), { recursive: true });
  return { dir, nativeModule: options.nativeModulesDir ? 'node24' : 'repo' };
}
