// A real temporary worktree for policy tests: a src/ file, a directory outside the worktree and a symlink
// inside it that points outside, so path checks run against the real file system.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PolicyRequest } from '../../../src/shared/policy';

export interface PolicyFixture {
  base: string;
  worktree: string;
  outside: string;
  home: string;
  cleanup(): void;
}

export function makePolicyFixture(): PolicyFixture {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-policy-')));
  const worktree = path.join(base, 'repo', 'wt');
  const outside = path.join(base, 'elsewhere');
  const home = path.join(base, 'home');
  fs.mkdirSync(path.join(worktree, 'src'), { recursive: true });
  fs.mkdirSync(path.join(worktree, 'my dir'));
  fs.mkdirSync(outside);
  fs.mkdirSync(home);
  fs.writeFileSync(path.join(worktree, 'src', 'a.ts'), 'export {};\n');
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'x\n');
  fs.symlinkSync(outside, path.join(worktree, 'escape'));
  return { base, worktree, outside, home, cleanup: () => fs.rmSync(base, { recursive: true, force: true }) };
}

export function request(fx: PolicyFixture, tool: string, input: unknown, agent: Partial<PolicyRequest['agent']> = {}): PolicyRequest {
  return {
    agent: { id: 'agent-1', name: 'frontend-1', kind: 'claude-code', group: 'frontend', ...agent },
    tool,
    input,
    cwd: fx.worktree,
    worktreeRoot: fx.worktree,
  };
}

export const bash = (command: string): { command: string } => ({ command });
