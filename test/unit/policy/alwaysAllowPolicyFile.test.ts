// Adding an always-allow rule to `.flotilla/policy.json` on disk: created when absent, spliced into the human's file
// when present (comments, other fields, order and indentation kept), replaced by id, never written when invalid.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PolicyRule } from '../../../src/shared/policy';
import { loadPolicyFile } from '../../../src/core/policy/loadPolicy';
import { addRuleToPolicyFile, addRuleToPolicyText } from '../../../src/core/policy/policyFileEdit';

const LABEL = '.flotilla/policy.json';

const rule = (id = 'allow.agent.0123456789ab', command = 'npm install lodash'): PolicyRule => ({
  id,
  description: `Always allow agent "a" to run \`${command}\``,
  tier: 'autonomous',
  override: true,
  agent: { name: 'a', kind: 'claude-code' },
  tool: 'Bash',
  commandLine: command,
});

function added(text: string | undefined, r: PolicyRule = rule()): { text: string; idLine: number; replaced: boolean } {
  const result = addRuleToPolicyText(text, r, LABEL);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result;
}

function rulesOf(text: string): PolicyRule[] {
  const loaded = loadPolicyFile(text, LABEL);
  assert.ok(loaded.ok, JSON.stringify(loaded));
  return loaded.policy.rules ?? [];
}

const lineOf = (text: string, n: number): string => text.split('\n')[n - 1]!;

describe('always allow: adding a rule to the policy file text', () => {
  it('creates { version: 1, rules: [rule] } as 2-space JSON when there is no file', () => {
    const r = added(undefined);
    assert.equal(r.text, `${JSON.stringify({ version: 1, rules: [rule()] }, null, 2)}\n`);
    assert.equal(r.replaced, false);
    assert.equal(lineOf(r.text, r.idLine).trim(), `"id": "${rule().id}",`);
    assert.deepEqual(added('  \n').text, r.text, 'a blank file counts as none');
  });

  it('appends to the human file, keeping comments, other fields, their order and the indentation', () => {
    const text = [
      '// Team policy: ask before anything touches prod.',
      '{',
      '    "$schema": "./policy.schema.json",',
      '    "defaultTier": "approve",',
      '    "disable": ["default.web-search"],',
      '    "rules": [',
      '        /* no deploys */',
      '        { "id": "no-deploy", "tier": "prohibited", "command": "./deploy.sh" }, // keep',
      '    ],',
      '    "version": 1',
      '}',
      '',
    ].join('\n');
    const r = added(text);
    assert.ok(r.text.startsWith(text.slice(0, text.indexOf('}, // keep') + 1)), 'everything before the insertion is untouched');
    for (const kept of ['// Team policy', '/* no deploys */', '// keep', '"defaultTier": "approve"', '"disable": ["default.web-search"]']) assert.ok(r.text.includes(kept), kept);
    const loaded = loadPolicyFile(r.text, LABEL);
    assert.ok(loaded.ok);
    assert.deepEqual(Object.keys(loaded.policy), ['$schema', 'version', 'defaultTier', 'disable', 'rules']);
    assert.deepEqual(loaded.policy.rules!.map((x) => x.id), ['no-deploy', rule().id]);
    assert.equal(lineOf(r.text, r.idLine), `            "id": "${rule().id}",`, 'the new rule is indented like its siblings, 4 spaces a step');
  });

  it('replaces a rule with the same id in place instead of adding a second one', () => {
    const first = added(undefined, rule('allow.agent.aaaaaaaaaaaa', 'make'));
    const second = added(first.text, rule('allow.agent.bbbbbbbbbbbb', 'make all'));
    const again = added(second.text, { ...rule('allow.agent.aaaaaaaaaaaa', 'make'), tier: 'notify' });
    assert.equal(again.replaced, true);
    assert.deepEqual(rulesOf(again.text).map((x) => [x.id, x.tier]), [
      ['allow.agent.aaaaaaaaaaaa', 'notify'],
      ['allow.agent.bbbbbbbbbbbb', 'autonomous'],
    ]);
    assert.equal(lineOf(again.text, again.idLine).trim(), '"id": "allow.agent.aaaaaaaaaaaa",');
  });

  it('fills an empty rules array, adds rules to an object without them, and handles the bare-array form', () => {
    for (const text of ['{ "version": 1, "rules": [] }', '{\n  "version": 1,\n  "rules": []\n}\n', '{\n  "defaultTier": "notify"\n}\n', '{}', '[]', '[\n  { "id": "x", "tier": "notify", "tool": "Read" }\n]\n']) {
      const r = added(text);
      const rules = rulesOf(r.text);
      assert.equal(rules.at(-1)!.id, rule().id, text);
      assert.equal(lineOf(r.text, r.idLine).trim(), `"id": "${rule().id}",`, text);
    }
    const withTier = loadPolicyFile(added('{\n  "defaultTier": "notify"\n}\n').text, LABEL);
    assert.equal(withTier.ok && withTier.policy.defaultTier, 'notify');
  });

  it('keeps a tab-indented file tab-indented', () => {
    const r = added('{\n\t"rules": [\n\t\t{ "id": "x", "tier": "notify", "tool": "Read" }\n\t]\n}\n');
    assert.equal(lineOf(r.text, r.idLine), `\t\t\t"id": "${rule().id}",`);
  });

  it('refuses an invalid file with the place and the reason, and says it left the file alone', () => {
    const broken = addRuleToPolicyText('{\n  "rules": [\n    { "id": "x", "tier": "maybe" }\n  ]\n}\n', rule(), LABEL);
    assert.equal(broken.ok, false);
    assert.match((broken as { reason: string }).reason, /^\.flotilla\/policy\.json is not a valid policy, so Flotilla did not change it: \.flotilla\/policy\.json:3:26 rules\[0\]\.tier: expected one of .*Fix the file, then try again\.$/);
    const syntax = addRuleToPolicyText('{ "rules": [ }', rule(), LABEL);
    assert.match((syntax as { reason: string }).reason, /policy\.json:1:14 invalid JSON/);
  });
});

describe('always allow: writing the policy file', () => {
  let dir: string;
  beforeEach(() => (dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-policyfile-')))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the folder and the file, and leaves no temporary file behind', () => {
    const file = path.join(dir, 'ws', '.flotilla', 'policy.json');
    const r = addRuleToPolicyFile(file, rule(), LABEL);
    assert.deepEqual(r, { ok: true, file, replaced: false, idLine: 5 });
    assert.deepEqual(rulesOf(fs.readFileSync(file, 'utf8')), [rule()]);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['policy.json']);
  });

  it('never touches an invalid file: same bytes, and the error names the line and the field', () => {
    const file = path.join(dir, 'policy.json');
    const text = '{\n  // half-edited\n  "rules": [ { "id": "x", "tier": "approve", "commnd": "ls" } ]\n}\n';
    fs.writeFileSync(file, text);
    const r = addRuleToPolicyFile(file, rule(), LABEL);
    assert.equal(r.ok, false);
    assert.match((r as { reason: string }).reason, /policy\.json:3:46 rules\[0\]\.commnd: unknown property "commnd"/);
    assert.equal(fs.readFileSync(file, 'utf8'), text);
    assert.deepEqual(fs.readdirSync(dir), ['policy.json']);
  });

  it('through a symlink updates the target and keeps the link', () => {
    const real = path.join(dir, 'shared-policy.json');
    fs.writeFileSync(real, '{ "rules": [] }\n');
    const link = path.join(dir, 'policy.json');
    fs.symlinkSync(real, link);
    assert.ok(addRuleToPolicyFile(link, rule(), LABEL).ok);
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    assert.deepEqual(rulesOf(fs.readFileSync(real, 'utf8')).map((x) => x.id), [rule().id]);
  });
});
