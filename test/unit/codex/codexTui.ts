// Test harness: the real Codex TUI in a private tmux server (what an integrated terminal runs), in a throwaway
// HOME and CODEX_HOME whose config.toml plays "the user's own Codex setup" (a provider pointing at the scripted
// server, egress trapped by its proxy). Every process runs under `timeout`; cleanup kills only our tmux server.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quote } from 'shell-quote';

export const CODEX_BIN = new URL('../../../node_modules/.bin/codex', import.meta.url).pathname;

export function codexAvailable(): string | undefined {
  if (!existsSync(CODEX_BIN)) return 'node_modules/.bin/codex is not installed (dev dependency @openai/codex)';
  if (spawnSync('tmux', ['-V']).status !== 0) return 'tmux is not installed (apt-get install -y tmux)';
  return undefined;
}

export interface CodexSandbox {
  readonly root: string;
  readonly home: string;
  readonly codexHome: string;
  /** The agent's working folder (a git repository). */
  readonly work: string;
  dispose(): void;
}

/** A user's Codex config that reaches only the scripted server: no update check, analytics or plugin sync. */
export function createCodexSandbox(baseUrl: string): CodexSandbox {
  const root = mkdtempSync(join(tmpdir(), 'flotilla-codex-'));
  const home = join(root, 'home');
  const codexHome = join(root, 'codex-home');
  const work = join(root, 'work');
  for (const dir of [home, codexHome, work]) mkdirSync(dir);
  execFileSync('git', ['init', '-q', work]);
  writeFileSync(
    join(codexHome, 'config.toml'),
    [
      'model = "mock-model"',
      'model_provider = "mock"',
      'approval_policy = "on-request"',
      'sandbox_mode = "workspace-write"',
      'check_for_update_on_startup = false',
      '[analytics]',
      'enabled = false',
      '[features]',
      'plugins = false',
      'unbounded_connection_retries = false',
      '[model_providers.mock]',
      'name = "Mock"',
      `base_url = "${baseUrl}"`,
      'env_key = "MOCK_API_KEY"',
      'wire_api = "responses"',
      'request_max_retries = 0',
      'stream_max_retries = 0',
      '',
    ].join('\n'),
  );
  return { root, home, codexHome, work, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

export interface TuiOptions {
  readonly sandbox: CodexSandbox;
  readonly commandLine: string;
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly proxyUrl: string;
  /** Seconds before `timeout` kills Codex's process group (default 240). */
  readonly limitSeconds?: number;
}

export class CodexTui {
  private readonly socket: string;
  private readonly session = 'agent';

  constructor(private readonly options: TuiOptions) {
    this.socket = join(options.sandbox.root, 'tmux.sock');
  }

  start(): void {
    const { sandbox, env, proxyUrl } = this.options;
    const vars = {
      ...env,
      HOME: sandbox.home,
      CODEX_HOME: sandbox.codexHome,
      MOCK_API_KEY: 'sk-mock',
      TERM: 'xterm-256color',
      HTTPS_PROXY: proxyUrl,
      HTTP_PROXY: proxyUrl,
      NO_PROXY: '127.0.0.1,localhost',
    };
    const script = join(sandbox.root, 'start.sh');
    const exports = Object.entries(vars).map(([k, v]) => `export ${k}=${quote([v])}`);
    // `timeout` puts Codex in its own process group and kills the whole group at the limit.
    writeFileSync(script, [...exports, `exec timeout -k 5 ${this.options.limitSeconds ?? 240} ${this.options.commandLine}`, ''].join('\n'));
    this.tmux('new-session', '-d', '-s', this.session, '-x', '160', '-y', '50', '-c', this.options.cwd, `bash ${quote([script])}`);
    this.tmux('set-option', '-t', this.session, 'remain-on-exit', 'on');
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.session);
  }

  async waitForScreen(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.screen();
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} on the screen:\n${text}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async type(line: string): Promise<void> {
    this.tmux('send-keys', '-t', this.session, '-l', line);
    // Typed at once, the text would look like a paste: give the TUI a moment before Enter.
    await new Promise((r) => setTimeout(r, 400));
    this.tmux('send-keys', '-t', this.session, 'Enter');
  }

  key(name: string): void {
    this.tmux('send-keys', '-t', this.session, name);
  }

  /** Kills our own tmux server (and with it Codex, by SIGHUP to its process group). */
  stop(): void {
    spawnSync('tmux', ['-S', this.socket, 'kill-server'], { stdio: 'ignore' });
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8', timeout: 10_000 });
  }
}
