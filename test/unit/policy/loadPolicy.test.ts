// Loading policy layers: errors point at the offending JSON node by line and column, settings may be an
// object or a bare rules array, and layers merge default < user settings < workspace file.
import assert from 'node:assert/strict';
import { formatPolicyError, loadPolicyFile, loadPolicySettings, mergePolicies } from '../../../src/core/policy/loadPolicy';
import { parseJsonWithPositions } from '../../../src/core/policy/jsonPositions';
import type { PolicyFile } from '../../../src/shared/policy';

/** A policy.json whose line numbers the cases below rely on. */
const BAD = `{
  // comments are allowed, as in VS Code settings
  "version": 1,
  "rules": [
    { "id": "ok-1", "tier": "approve", "tool": "Bash" },
    {
      "id": "bad-tier",
      "tier": "sometimes"
    },
    { "id": "extra", "tier": "notify", "colour": "blue" },
    { "tier": "notify" },
    { "id": "bad-command", "tier": "approve", "command": { "command": "git", "argz": ["push"] } },
    { "id": "bad-path", "tier": "approve", "path": 42 },
    { "id": "bad-override", "tier": "prohibited", "override": true },
  ]
}
`;

interface ErrorCase {
  path: string;
  line: number;
  column: number;
  message: RegExp;
}

const expectedErrors: ErrorCase[] = [
  { path: 'rules[1].tier', line: 8, column: 15, message: /expected one of "autonomous"\|"notify"\|"approve"\|"prohibited"/ },
  { path: 'rules[2].colour', line: 10, column: 40, message: /unknown property "colour"/ },
  { path: 'rules[3].id', line: 11, column: 5, message: /expected string/ },
  { path: 'rules[4].command.argz', line: 12, column: 78, message: /unknown property "argz"/ },
  { path: 'rules[5].path', line: 13, column: 52, message: /expected string, object or array/ },
  { path: 'rules[6].override', line: 14, column: 63, message: /only for autonomous or notify/ },
];

describe('policy file loading', () => {
  it('accepts a valid file with comments and trailing commas', () => {
    const r = loadPolicyFile('{ "rules": [ { "id": "a", "tier": "notify", "tool": "Read", }, ], /* done */ }', 'policy.json');
    assert.ok(r.ok);
    assert.equal(r.policy.rules![0]!.id, 'a');
  });

  const result = loadPolicyFile(BAD, '.flotilla/policy.json');
  it('reports every schema error', () => {
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.errors.map((e) => e.path).sort(), expectedErrors.map((e) => e.path).sort());
  });
  for (const want of expectedErrors) {
    it(`points ${want.path} at ${want.line}:${want.column}`, () => {
      assert.ok(!result.ok);
      const e = result.errors.find((x) => x.path === want.path);
      assert.ok(e, `no error at ${want.path}: ${JSON.stringify(result.errors)}`);
      assert.match(e.message, want.message);
      assert.deepEqual([e.line, e.column], [want.line, want.column], formatPolicyError(e));
    });
  }

  it('formats an error the way the editor shows it', () => {
    assert.ok(!result.ok);
    const e = result.errors.find((x) => x.path === 'rules[1].tier')!;
    assert.match(formatPolicyError(e), /^\.flotilla\/policy\.json:8:15 rules\[1\]\.tier: expected one of /);
  });

  const syntax: [string, number, number, RegExp][] = [
    ['{\n  "rules": [\n    { "id": "a" "tier": "x" }\n  ]\n}', 3, 17, /expected "," or "}"/],
    ['{\n  "rules": [,]\n}', 2, 13, /unexpected ","/],
    ['{ "a": 1, "a": 2 }', 1, 11, /duplicate key "a"/],
    ['{ "rules": [ ', 1, 14, /unexpected end of file|unterminated/],
    ["{ 'rules': [] }", 1, 3, /property name in double quotes/],
    ['{ "x": "line\nbreak" }', 1, 13, /control character/],
    ['[] []', 1, 4, /after the end of the document/],
    ['/* never closed', 1, 1, /unterminated comment/],
  ];
  for (const [text, line, column, message] of syntax) {
    it(`reports the JSON syntax error in ${JSON.stringify(text)} at ${line}:${column}`, () => {
      const r = loadPolicyFile(text, 'policy.json');
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.errors.length, 1);
      assert.match(r.errors[0]!.message, message);
      assert.deepEqual([r.errors[0]!.line, r.errors[0]!.column], [line, column]);
    });
  }

  it('rejects a "__proto__" key as an unknown property instead of touching prototypes', () => {
    const r = loadPolicyFile('{ "__proto__": { "polluted": true }, "rules": [] }', 'policy.json');
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.errors[0]!.path, '__proto__');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses absurdly deep nesting without overflowing the stack', () => {
    const r = loadPolicyFile('['.repeat(100000), 'policy.json');
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.errors[0]!.message, /nested too deeply/);
  });

  it('finds duplicate rule ids', () => {
    const r = loadPolicyFile('{"rules":[{"id":"a","tier":"notify"},\n{"id":"a","tier":"approve"}]}', 'policy.json');
    assert.ok(!r.ok);
    assert.equal(r.errors[0]!.path, 'rules[1].id');
    assert.equal(r.errors[0]!.line, 2);
    assert.match(r.errors[0]!.message, /duplicate rule id "a"/);
  });

  it('checks that a commandLine parses', () => {
    const r = loadPolicyFile('{"rules":[{"id":"a","tier":"notify","override":true,"commandLine":"echo \\"oops"}]}', 'policy.json');
    assert.ok(!r.ok);
    assert.equal(r.errors[0]!.path, 'rules[0].commandLine');
  });

  it('records positions of nested values', () => {
    const j = parseJsonWithPositions('{"a": [1, {"b": true}]}');
    assert.ok(j.ok);
    const b = j.root.children!.get('a')!.children!.get(1)!.children!.get('b')!;
    assert.equal(b.offset, 16);
    assert.equal(b.keyOffset, 11);
  });
});

describe('policy settings', () => {
  it('accepts a bare array of rules', () => {
    const r = loadPolicySettings([{ id: 'x', tier: 'notify', tool: 'Read' }]);
    assert.ok(r.ok);
    assert.equal(r.policy.rules!.length, 1);
  });
  it('accepts the object form and nothing at all', () => {
    assert.ok(loadPolicySettings({ defaultTier: 'notify' }).ok);
    assert.ok(loadPolicySettings(undefined).ok);
  });
  it('names the field of a bad setting', () => {
    const r = loadPolicySettings([{ id: 'x', tier: 'never' }]);
    assert.ok(!r.ok);
    assert.equal(r.errors[0]!.path, '[0].tier');
    assert.equal(formatPolicyError(r.errors[0]!).startsWith('settings [0].tier: expected one of'), true);
  });
  it('names the settings layer it was given (user or workspace value)', () => {
    const r = loadPolicySettings({ rules: [{ id: 'x', tier: 'never' }] }, 'flotilla.policy (workspace settings)');
    assert.ok(!r.ok);
    assert.match(formatPolicyError(r.errors[0]!), /^flotilla\.policy \(workspace settings\) rules\[0\]\.tier: expected one of/);
  });
});

describe('policy merging', () => {
  const base: PolicyFile = {
    defaultTier: 'approve',
    rules: [
      { id: 'default.a', tier: 'autonomous', tool: 'Read' },
      { id: 'default.b', tier: 'approve', tool: 'WebFetch' },
      { id: 'default.c', tier: 'prohibited', tool: 'Nuke' },
    ],
  };
  it('keeps order default < user < workspace: later layers replace same ids, disable earlier ones and set the default tier', () => {
    const user: PolicyFile = { rules: [{ id: 'default.b', tier: 'notify', tool: 'WebFetch' }, { id: 'mine', tier: 'notify', tool: 'X' }], defaultTier: 'notify' };
    const workspace: PolicyFile = { disable: ['default.c', 'mine'], rules: [{ id: 'ws', tier: 'approve', tool: 'Y' }], defaultTier: 'prohibited' };
    const merged = mergePolicies(base, user, workspace);
    assert.deepEqual(merged.rules!.map((r) => `${r.id}:${r.tier}`), ['default.a:autonomous', 'default.b:notify', 'ws:approve']);
    assert.equal(merged.defaultTier, 'prohibited');
  });
  it('disables by wildcard and skips missing layers', () => {
    const merged = mergePolicies(base, undefined, { disable: ['default.*'] });
    assert.deepEqual(merged.rules, []);
    assert.equal(merged.defaultTier, 'approve');
  });
});
