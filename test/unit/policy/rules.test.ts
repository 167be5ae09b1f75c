// Custom rules: each criterion (agent, tool, MCP, command forms, paths, URLs), how tiers combine (strictest
// wins, overrides lower but never unlock prohibited), and "always allow this" rules built by narrowRuleFor.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { PolicyRuleSchema } from '../../../src/shared/policy';
import type { PolicyFile, PolicyRequest, PolicyRule, PolicyTier } from '../../../src/shared/policy';
import { compilePolicy } from '../../../src/core/policy/compilePolicy';
import { DEFAULT_POLICY } from '../../../src/core/policy/defaultPolicy';
import { evaluate } from '../../../src/core/policy/evaluate';
import { mergePolicies } from '../../../src/core/policy/loadPolicy';
import { narrowRuleFor } from '../../../src/core/policy/narrowRule';
import { bash, makePolicyFixture, request } from './policyFixture';
import type { PolicyFixture } from './policyFixture';

interface Case {
  name: string;
  rule: Omit<PolicyRule, 'id'>;
  /** Requests (built on the fixture) that the rule must match, and ones it must not. */
  match: ((fx: PolicyFixture) => PolicyRequest)[];
  miss: ((fx: PolicyFixture) => PolicyRequest)[];
}

const sh = (cmd: string, agent?: Partial<PolicyRequest['agent']>) => (fx: PolicyFixture) => request(fx, 'Bash', bash(cmd), agent);
const tool = (name: string, input: unknown = {}, agent?: Partial<PolicyRequest['agent']>) => (fx: PolicyFixture) => request(fx, name, input, agent);
const read = (p: (fx: PolicyFixture) => string) => (fx: PolicyFixture) => request(fx, 'Read', { file_path: p(fx) });
const write = (p: (fx: PolicyFixture) => string) => (fx: PolicyFixture) => request(fx, 'Write', { file_path: p(fx), content: '' });
const fetch = (url: string) => (fx: PolicyFixture) => request(fx, 'WebFetch', { url, prompt: 'x' });

const cases: Case[] = [
  {
    name: 'agent kind, group and name globs',
    rule: { tier: 'prohibited', agent: { kind: 'codex', group: 'front*', name: 'fe-{1,2}' } },
    match: [tool('Read', { file_path: 'x' }, { kind: 'codex', group: 'frontend', name: 'fe-2' })],
    miss: [
      tool('Read', { file_path: 'x' }, { kind: 'claude-code', group: 'frontend', name: 'fe-2' }),
      tool('Read', { file_path: 'x' }, { kind: 'codex', group: undefined, name: 'fe-2' }),
      tool('Read', { file_path: 'x' }, { kind: 'codex', group: 'frontend', name: 'fe-3' }),
    ],
  },
  {
    name: 'MCP tool names by tool glob',
    rule: { tier: 'prohibited', tool: 'mcp__github__*' },
    match: [tool('mcp__github__create_issue'), tool('mcp__github__merge_pull_request')],
    miss: [tool('mcp__gitlab__create_issue'), tool('Bash', bash('ls'))],
  },
  {
    name: 'MCP server and tool criterion',
    rule: { tier: 'prohibited', mcp: { server: 'github', tool: '{merge,delete}_*' } },
    match: [tool('mcp__github__merge_pull_request'), tool('mcp__github__delete_branch')],
    miss: [tool('mcp__github__create_issue'), tool('mcp__other__merge_x'), tool('Read', { file_path: 'x' })],
  },
  {
    name: 'string command pattern: operands in order, options anywhere',
    rule: { tier: 'prohibited', command: 'git push --force* origin' },
    match: [sh('git push --force origin main'), sh('git push origin feature --force-with-lease'), sh('ls && sudo git push --force origin x')],
    miss: [sh('git push origin --no-force'), sh('git push -f origin main'), sh('git push upstream --force'), sh('git commit -m push --force')],
  },
  {
    name: 'object command pattern with alternatives and absent options',
    rule: { tier: 'prohibited', command: { command: ['npm', 'pnpm'], args: ['publish'], withoutFlags: ['--dry-run'] } },
    match: [sh('npm publish'), sh('pnpm publish --tag next')],
    miss: [sh('npm publish --dry-run'), sh('yarn publish'), sh('npm pack')],
  },
  {
    name: 'anyArg and via',
    rule: { tier: 'prohibited', command: { command: 'chmod', anyArg: '7??', via: 'sudo' } },
    match: [sh('sudo chmod 777 x'), sh('sudo -u a chmod -R 755 y')],
    miss: [sh('chmod 777 x'), sh('sudo chmod 644 x')],
  },
  {
    name: 'pipedFrom',
    rule: { tier: 'prohibited', command: { command: 'psql', pipedFrom: { command: 'cat', anyArg: '*.sql' } } },
    match: [sh('cat drop.sql | psql'), sh('cat a.sql | grep -v x | psql db')],
    miss: [sh('cat a.txt | psql'), sh('psql < a.sql'), sh('cat a.sql; psql')],
  },
  {
    name: 'readOnly: the program table says the command only reads',
    rule: { tier: 'prohibited', command: { command: ['sort', 'sed', 'git'], readOnly: true } },
    match: [sh('sort -u f'), sh('sed -n 1p f'), sh('git log -1')],
    miss: [sh('sort -o out f'), sh('sed -i s/a/b/ f'), sh('git log --output=x'), sh('git commit -m x')],
  },
  {
    name: 'argPaths relative glob inside the worktree',
    rule: { tier: 'prohibited', command: { command: 'rm', argPaths: 'src/**' } },
    match: [sh('rm src/a.ts'), sh('rm -f ./src/x/y.ts'), sh('cd src && rm a.ts')],
    miss: [sh('rm build/a'), sh('rm ../src/a.ts')],
  },
  {
    name: 'commandLine: exactly this line, however quoted',
    rule: { tier: 'prohibited', commandLine: 'npm run "deploy prod"' },
    match: [sh("npm  run 'deploy prod'")],
    miss: [sh('npm run deploy prod'), sh('npm run "deploy prod" && ls')],
  },
  {
    name: 'path glob relative to the worktree, for file tools and shell redirections',
    rule: { tier: 'prohibited', path: 'secrets/**' },
    match: [read(() => 'secrets/key.pem'), read((fx) => path.join(fx.worktree, 'secrets/a/b')), sh('cat secrets/x'), sh('echo x > secrets/y')],
    miss: [read(() => 'src/a.ts'), read((fx) => path.join(fx.outside, 'secrets/x'))],
  },
  {
    name: 'absolute and home path globs',
    rule: { tier: 'prohibited', path: ['/etc/**', '~/.ssh/**'] },
    match: [read(() => '/etc/passwd'), read((fx) => path.join(fx.home, '.ssh/id_rsa')), sh('cat ~/.ssh/config'), sh('cat $HOME/.ssh/config')],
    miss: [read(() => 'etc/passwd'), read((fx) => path.join(fx.home, '.bashrc'))],
  },
  {
    name: 'paths with spaces and escapes',
    rule: { tier: 'prohibited', path: 'my dir/**' },
    match: [sh('cat "my dir/file"'), sh("cat 'my dir'/file"), sh('cat my\\ dir/file'), write(() => 'my dir/new.txt')],
    miss: [sh('cat "my dir2/file"'), sh('cat my dir/file')],
  },
  {
    name: 'outside the worktree, through .. and through a symlink',
    rule: { tier: 'prohibited', path: { outsideWorktree: true }, access: 'write' },
    match: [write(() => '../x'), write(() => 'src/../../x'), write(() => 'escape/new.txt'), write(() => 'escape/../inside-looking'), sh('echo x > escape/f')],
    miss: [write(() => 'src/new.ts'), write((fx) => path.join(fx.worktree, 'a/../b')), read(() => '../x')],
  },
  {
    name: 'URL host globs, scheme and path',
    rule: { tier: 'prohibited', url: ['*.evil.com', { host: 'github.com', scheme: 'http', path: '/private/*' }] },
    match: [fetch('https://a.evil.com/x'), fetch('http://github.com/private/repo'), sh('curl -s https://b.EVIL.com/')],
    miss: [fetch('https://evil.com.example.org/'), fetch('https://github.com/private/repo'), fetch('http://github.com/public')],
  },
];

describe('policy rules', () => {
  let fx: PolicyFixture;
  before(() => {
    fx = makePolicyFixture();
  });
  after(() => fx.cleanup());
  const ctx = (): { homeDir: string } => ({ homeDir: fx.home });

  for (const c of cases) {
    describe(c.name, () => {
      const rule = { id: 'under-test', ...c.rule } as PolicyRule;
      it('is a valid rule', () => assert.equal(PolicyRuleSchema.safeParse(rule).success, true));
      const policy = compilePolicy({ defaultTier: 'autonomous', rules: [rule] });
      c.match.forEach((make, i) =>
        it(`matches example ${i + 1}`, () => {
          const d = evaluate(make(fx), policy, ctx());
          assert.equal(d.ruleId, 'under-test', `${JSON.stringify(make(fx).input)} -> ${d.reason}`);
        }),
      );
      c.miss.forEach((make, i) =>
        it(`does not match counter-example ${i + 1}`, () => {
          const d = evaluate(make(fx), policy, ctx());
          assert.equal(d.ruleId, null, `${JSON.stringify(make(fx).input)} -> ${d.reason}`);
        }),
      );
    });
  }

  describe('combining tiers', () => {
    const rules: PolicyRule[] = [
      { id: 'git-any', tier: 'notify', command: 'git' },
      { id: 'git-push', tier: 'approve', command: 'git push' },
      { id: 'git-push-main', tier: 'prohibited', command: 'git push * main' },
      { id: 'ls', tier: 'autonomous', command: 'ls' },
      { id: 'allow-push-feature', tier: 'autonomous', override: true, command: 'git push origin feature' },
      { id: 'allow-push-main', tier: 'autonomous', override: true, command: 'git push origin main' },
      { id: 'off', tier: 'prohibited', enabled: false, command: 'ls' },
    ];
    const policy = compilePolicy({ defaultTier: 'approve', rules });
    const table: [string, PolicyTier, string | null][] = [
      ['git status', 'notify', 'git-any'],
      ['git push upstream dev', 'approve', 'git-push'],
      ['git push origin main', 'prohibited', 'git-push-main'],
      ['git push origin feature', 'autonomous', 'allow-push-feature'],
      ['ls', 'autonomous', 'ls'],
      ['ls && git push origin feature', 'autonomous', 'ls'],
      ['ls && git push upstream dev', 'approve', 'git-push'],
      ['ls && frobnicate', 'approve', null],
    ];
    for (const [cmd, tier, ruleId] of table) {
      it(`${cmd} -> ${tier} (${ruleId ?? 'default'})`, () => {
        const d = evaluate(request(fx, 'Bash', bash(cmd)), policy, ctx());
        assert.equal(d.tier, tier, d.reason);
        assert.equal(d.ruleId, ruleId, d.reason);
      });
    }
    it('says which rule an override lowered', () => {
      const d = evaluate(request(fx, 'Bash', bash('git push origin feature')), policy, ctx());
      assert.equal(d.matched.overriddenRuleId, 'git-push');
      assert.match(d.reason, /overriding "git-push" \(approve\)/);
    });
    it('does not let an override vouch for a command it could not read', () => {
      const p = compilePolicy({ rules: [{ id: 'all', tier: 'autonomous', override: true, tool: 'Bash' }] });
      assert.equal(evaluate(request(fx, 'Bash', bash('echo "x')), p, ctx()).tier, 'approve');
      assert.equal(evaluate(request(fx, 'Bash', bash('frobnicate')), p, ctx()).tier, 'autonomous');
    });
    it('lets no autonomous rule or override lower a command with hazards, while a prohibited rule still wins', () => {
      const p = compilePolicy({
        defaultTier: 'autonomous',
        rules: [
          { id: 'all', tier: 'autonomous', override: true, tool: 'Bash' },
          { id: 'sed', tier: 'autonomous', command: 'sed' },
          { id: 'no-rm-root', tier: 'prohibited', command: { command: 'rm', argPaths: '/' } },
        ],
      });
      const hazard = evaluate(request(fx, 'Bash', bash("sed 's/a/b/e' f")), p, ctx());
      assert.equal(hazard.tier, 'approve', hazard.reason);
      assert.equal(hazard.reason, "Needs approval: sed script runs a command (s///e): sed s/a/b/e f");
      assert.deepEqual(hazard.matched.hazards, ['sed script runs a command (s///e)']);
      const unmodeled = evaluate(request(fx, 'Bash', bash('f() { ls; }; f')), p, ctx());
      assert.equal(unmodeled.tier, 'approve', unmodeled.reason);
      assert.match(unmodeled.reason, /does not model \(function definition f\)/);
      assert.equal(evaluate(request(fx, 'Bash', bash('f() { rm -rf /; }; f')), p, ctx()).tier, 'prohibited');
    });
    it('applies the default tier when only qualifying rules match', () => {
      const p = compilePolicy({ defaultTier: 'approve', rules: [{ id: 'outside', tier: 'notify', tool: 'Bash', path: { outsideWorktree: true } }] });
      assert.equal(evaluate(request(fx, 'Bash', bash('frobnicate /etc')), p, ctx()).tier, 'approve');
    });
    it('accepts an uncompiled policy too', () => {
      const file: PolicyFile = { rules: [{ id: 'x', tier: 'notify', tool: 'Read' }] };
      assert.equal(evaluate(request(fx, 'Read', { file_path: 'a' }), file, ctx()).ruleId, 'x');
    });
  });

  describe('always allow this (narrowRuleFor)', () => {
    const withRule = (rule: PolicyRule) => compilePolicy(mergePolicies(DEFAULT_POLICY, { rules: [rule] }));
    const tierOf = (req: PolicyRequest, rule: PolicyRule): PolicyTier => evaluate(req, withRule(rule), ctx()).tier;

    it('allows exactly the same command line again, for the same agent only', () => {
      const req = request(fx, 'Bash', bash('npm install lodash'));
      const rule = narrowRuleFor(req, 'agent', ctx())!;
      assert.equal(PolicyRuleSchema.safeParse(rule).success, true);
      assert.equal(rule.override, true);
      assert.match(rule.description!, /Always allow agent "frontend-1" to run `npm install lodash`/);
      assert.equal(evaluate(req, DEFAULT_POLICY, ctx()).tier, 'approve');
      assert.equal(tierOf(req, rule), 'autonomous');
      assert.equal(tierOf(request(fx, 'Bash', bash("npm install 'lodash'")), rule), 'autonomous');
      assert.equal(tierOf(request(fx, 'Bash', bash('npm install lodash express')), rule), 'approve');
      assert.equal(tierOf(request(fx, 'Bash', bash('npm install lodash && git push')), rule), 'approve');
      assert.equal(tierOf(request(fx, 'Bash', bash('npm install lodash'), { name: 'backend-1' }), rule), 'approve');
      assert.equal(tierOf(request(fx, 'Bash', bash('npm install lodash'), { id: 'agent-2' }), rule), 'autonomous');
    });

    it('session scope pins the agent id (and session id when known)', () => {
      const req = request(fx, 'Bash', bash('git push origin feature'), { sessionId: 's-1' });
      const rule = narrowRuleFor(req, 'session', ctx())!;
      assert.deepEqual(rule.agent, { id: 'agent-1', sessionId: 's-1' });
      assert.match(rule.description!, /this session only/);
      assert.equal(tierOf(req, rule), 'autonomous');
      assert.equal(tierOf(request(fx, 'Bash', bash('git push origin feature'), { sessionId: 's-2' }), rule), 'approve');
    });

    it('never unlocks a prohibited action', () => {
      const req = request(fx, 'Bash', bash('git push --force origin main'));
      const rule = narrowRuleFor(req, 'agent', ctx())!;
      assert.equal(tierOf(req, rule), 'prohibited');
    });

    it('pins the exact file, escaping glob characters in its name', () => {
      const req = request(fx, 'Read', { file_path: path.join(fx.outside, 'data [1].txt') });
      const rule = narrowRuleFor(req, 'agent', ctx())!;
      assert.equal(rule.path, `${fx.outside}/data \\[1\\].txt`);
      assert.equal(tierOf(req, rule), 'autonomous');
      assert.equal(tierOf(request(fx, 'Read', { file_path: path.join(fx.outside, 'data 1.txt') }), rule), 'notify');
      const inside = narrowRuleFor(request(fx, 'Edit', { file_path: 'src/a.ts', old_string: 'a', new_string: 'b' }), 'agent', ctx())!;
      assert.equal(inside.path, 'src/a.ts');
    });

    it('pins the exact URL', () => {
      const req = request(fx, 'WebFetch', { url: 'https://docs.python.org/3/library/os.html?x=1', prompt: 'p' });
      const rule = narrowRuleFor(req, 'agent', ctx())!;
      assert.deepEqual(rule.url, { scheme: 'https', host: 'docs.python.org', path: '/3/library/os.html\\?x=1' });
      assert.equal(tierOf(req, rule), 'autonomous');
      assert.equal(tierOf(request(fx, 'WebFetch', { url: 'https://docs.python.org/3/library/sys.html', prompt: 'p' }), rule), 'approve');
    });

    it('pins an MCP tool by name', () => {
      const req = request(fx, 'mcp__github__create_issue', { title: 'x' });
      const rule = narrowRuleFor(req, 'agent', { ...ctx(), tier: 'notify' })!;
      assert.equal(rule.tool, 'mcp__github__create_issue');
      assert.equal(tierOf(req, rule), 'notify');
      assert.equal(tierOf(request(fx, 'mcp__github__delete_repo', {}), rule), 'approve');
    });

    it('gives up on input it cannot read', () => {
      assert.equal(narrowRuleFor(request(fx, 'Bash', bash('echo "x')), 'agent', ctx()), null);
    });

    it('builds the same id for the same action', () => {
      const a = narrowRuleFor(request(fx, 'Bash', bash('make')), 'agent', ctx())!;
      const b = narrowRuleFor(request(fx, 'Bash', bash('make')), 'agent', ctx())!;
      const c = narrowRuleFor(request(fx, 'Bash', bash('make all')), 'agent', ctx())!;
      assert.equal(a.id, b.id);
      assert.notEqual(a.id, c.id);
    });
  });
});
