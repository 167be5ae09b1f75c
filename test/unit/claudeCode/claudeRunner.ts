// Runs the real Claude Code CLI headless in a sandbox (temp HOME and config dir, temp git repo, scripted model
// server), always under a timeout that kills the process group it spawned.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

export const CLAUDE_BIN = resolve('node_modules/.bin/claude');

export interface Sandbox {
  readonly root: string;
  readonly repo: string;
  readonly configDir: string;
  readonly home: string;
  dispose(): void;
}

export function createSandbox(): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'flotilla-claude-'));
  const repo = join(root, 'repo');
  const configDir = join(root, 'config');
  const home = join(root, 'home');
  for (const dir of [repo, configDir, home]) mkdirSync(dir);
  const git = (...args: string[]): void => void execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  git('init', '-q', '-b', 'feature');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'init');
  return { root, repo, configDir, home, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

export interface ClaudeRun {
  readonly code: number | null;
  readonly timedOut: boolean;
  /** stream-json lines. */
  readonly lines: readonly Record<string, unknown>[];
  readonly stderr: string;
  readonly result: Record<string, unknown> | undefined;
}

export interface RunOptions {
  readonly sandbox: Sandbox;
  readonly prompt: string;
  readonly settings: unknown;
  readonly modelUrl: string;
  readonly env?: Record<string, string>;
  readonly timeoutMs?: number;
}

export function runClaude(options: RunOptions): Promise<ClaudeRun> {
  const settingsFile = join(options.sandbox.root, `settings-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(settingsFile, JSON.stringify(options.settings));
  // A clean environment: nothing of the developer's own Claude Code setup leaks in.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: options.sandbox.home,
    CLAUDE_CONFIG_DIR: options.sandbox.configDir,
    ANTHROPIC_BASE_URL: options.modelUrl,
    ANTHROPIC_API_KEY: 'sk-fixture-0123456789abcdefghij',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    ...options.env,
  };
  const args = ['-p', '--settings', settingsFile, '--output-format', 'stream-json', '--verbose', '--', options.prompt];
  return new Promise((resolvePromise, reject) => {
    // detached: the child leads a new process group, so the timeout can kill it with everything it started.
    const child = spawn(CLAUDE_BIN, args, { cwd: options.sandbox.repo, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs ?? 60_000);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      // Whatever the CLI left running in its group (shells of the Bash tool) goes too.
      killGroup();
      const lines = stdout
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolvePromise({ code, timedOut, lines, stderr, result: lines.find((l) => l.type === 'result') });
    });
  });
}

export const claudeAvailable = (): boolean => existsSync(CLAUDE_BIN);

/** Bundles Flotilla's hook program (what Claude Code's hooks run) to `outfile`, as the extension ships it. */
export async function buildHookProgram(outfile: string): Promise<void> {
  await build({ entryPoints: ['src/adapters/claudeCode/hookProgram.ts'], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent' });
}
