// Builds the VSIXs `npm run package` ships: a universal one that relies on node:sqlite (VS Code desktop, where
// Electron cannot load a better-sqlite3 built for Node), and a platform one per target we can compile here
// carrying better-sqlite3 built for the plain Node of remote extension hosts (Remote-SSH, WSL, dev containers,
// Codespaces, code-server). Each is packed by vsce from a staging folder holding exactly what ships, so the
// native module goes in with its two runtime helpers and nothing else from node_modules.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { checkVsixEntries, describeReport } from './packageAllowlist';
import { readmeImagesBaseUrl } from './packageReadme';
import { zipEntries } from './packageZip';
import type { VsixFlavor } from './packageAllowlist';

export const repoRoot = resolve(__dirname, '..');

export interface BuiltVsix {
  /** `universal` or a vsce target such as `linux-x64`. */
  target: string;
  flavor: VsixFlavor;
  path: string;
  /** The store driver this VSIX is expected to start with on a plain-Node (remote) extension host. */
  expectedDriver: 'better-sqlite3' | 'node:sqlite';
  /** Node version the native module was built for (platform builds). */
  nativeNode?: string;
  bytes: number;
}

export interface PlatformBuild {
  /** vsce target, e.g. linux-x64. */
  target: string;
  /** A folder whose node_modules holds better-sqlite3 (built for the target's Node), bindings and file-uri-to-path. */
  nativeModulesDir: string;
  nativeNode: string;
}

interface Manifest {
  name: string;
  version: string;
  publisher: string;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

const vsceBin = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');

/** What ships from the repo root besides dist/ (paths relative to it; missing optional files are skipped). */
const ROOT_FILES = ['README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore'];
const DOCS = ['docs/security.md', 'docs/protocol.md'];

/** `node esbuild.mjs --production`: minified bundles, no source maps. */
export function buildProduction(): void {
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: repoRoot, stdio: 'inherit' });
}

function readManifest(): Manifest {
  return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
}

/** dist/ without source maps (a dev build may have left some beside the production bundles). */
function copyDist(to: string): void {
  cpSync(join(repoRoot, 'dist'), join(to, 'dist'), {
    recursive: true,
    filter: (src) => !src.endsWith('.map') && !src.endsWith('.vsix'),
  });
}

/**
 * The native module as it loads: package.json (its `dependencies` cut to `bindings`, the one it needs at run time;
 * `prebuild-install` only runs at install time and is not shipped), lib/, the one .node file.
 */
function stageNativeModule(nativeModulesDir: string, stage: string): string {
  const from = join(nativeModulesDir, 'node_modules');
  const sqlite = join(from, 'better-sqlite3');
  const binary = join(sqlite, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(binary)) throw new Error(`${binary} is missing: better-sqlite3 was not built`);
  const to = join(stage, 'node_modules', 'better-sqlite3');
  mkdirSync(join(to, 'build', 'Release'), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(sqlite, 'package.json'), 'utf8')) as Manifest & { scripts?: unknown };
  const version = manifest.version;
  manifest.dependencies = { bindings: manifest.dependencies?.bindings ?? '*' };
  delete manifest.scripts;
  writeFileSync(join(to, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  cpSync(join(sqlite, 'lib'), join(to, 'lib'), { recursive: true });
  if (existsSync(join(sqlite, 'LICENSE'))) cpSync(join(sqlite, 'LICENSE'), join(to, 'LICENSE'));
  cpSync(binary, join(to, 'build', 'Release', 'better_sqlite3.node'));
  const requireFromSqlite = createRequire(join(sqlite, 'package.json'));
  const bindingsDir = dirname(requireFromSqlite.resolve('bindings/package.json'));
  const fileUriDir = dirname(createRequire(join(bindingsDir, 'package.json')).resolve('file-uri-to-path/package.json'));
  cpSync(bindingsDir, join(stage, 'node_modules', 'bindings'), { recursive: true });
  cpSync(fileUriDir, join(stage, 'node_modules', 'file-uri-to-path'), { recursive: true });
  return version;
}

/** A fresh staging folder with the manifest, dist/, media/ and the user docs; the native module for a platform build. */
function stage(platform: PlatformBuild | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), `flotilla-vsix-${platform?.target ?? 'universal'}-`));
  const manifest = readManifest();
  // The bundles carry every other dependency; the VSIX's manifest names only what ships in node_modules, so the
  // `npm ls` vsce runs sees a complete tree. Build-time fields are dropped.
  const shipped: Manifest = { ...manifest };
  delete shipped.devDependencies;
  delete shipped.scripts;
  delete shipped.allowScripts;
  shipped.dependencies = {};
  if (platform) shipped.dependencies['better-sqlite3'] = stageNativeModule(platform.nativeModulesDir, dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify(shipped, null, 2) + '\n');
  copyDist(dir);
  cpSync(join(repoRoot, 'media'), join(dir, 'media'), { recursive: true });
  for (const file of [...ROOT_FILES, ...DOCS]) {
    if (!existsSync(join(repoRoot, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(dir, file));
  }
  return dir;
}

function vscePackage(stageDir: string, out: string, platform: PlatformBuild | undefined): void {
  const args = [
    vsceBin,
    'package',
    '--out',
    out,
    // The extension page shows only https images: vsce points the README's relative ones at the repository's raw
    // files (scripts/packageReadme.ts); its relative links go to the repository's pages.
    '--baseImagesUrl',
    readmeImagesBaseUrl(),
  ];
  if (platform) args.push('--target', platform.target, '--dependencies');
  else args.push('--no-dependencies');
  execFileSync(process.execPath, args, { cwd: stageDir, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Builds one VSIX from a fresh stage, checks its file list against the allowlist, removes the stage. */
export async function packageOne(outDir: string, platform?: PlatformBuild): Promise<BuiltVsix> {
  const manifest = readManifest();
  const target = platform?.target ?? 'universal';
  const path = join(outDir, `${manifest.name}-${manifest.version}-${target}.vsix`);
  rmSync(path, { force: true });
  const dir = stage(platform);
  try {
    vscePackage(dir, path, platform);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const flavor: VsixFlavor = platform ? 'platform' : 'universal';
  const problems = describeReport(checkVsixEntries(await zipEntries(path), flavor));
  if (problems) throw new Error(`${path} does not match the allowlist (scripts/packageAllowlist.ts):\n${problems}`);
  return {
    target,
    flavor,
    path,
    expectedDriver: platform ? 'better-sqlite3' : 'node:sqlite',
    ...(platform ? { nativeNode: platform.nativeNode } : {}),
    bytes: readFileSync(path).length,
  };
}

/** Every .vsix in a folder (for a test that reuses an earlier `npm run package`). */
export function vsixFilesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.vsix')).map((name) => join(dir, name)) : [];
}
