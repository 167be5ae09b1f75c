// Agent templates: the setting's entries parsed with errors naming the field, the names a start takes, and the
// policy additions applying to the template's agents only (through the real composer and evaluator).
import assert from 'node:assert/strict';
import { composePolicy } from '../../../src/core/policy/composePolicy';
import { evaluate } from '../../../src/core/policy/evaluate';
import { parseTemplates, templateBudget, templateNames, templatePolicyLayer } from '../../../src/vscode/agentTemplates';

describe('agent templates', () => {
  it('reads good entries with defaults and names the field of a bad one', () => {
    const { templates, problems } = parseTemplates([
      { name: 'reviewer-{n}', prompt: 'Review the branch', group: 'review', budget: '$5, 30m', count: 3 },
      { name: 'fixer', budget: '5 dollars' },
      { name: 'x', count: 0 },
      { name: 'y', colour: 'red' },
      { name: 'bad name!' },
    ]);
    assert.equal(templates.length, 1);
    assert.equal(templates[0]!.kind, 'claude-code');
    assert.equal(templates[0]!.count, 3);
    assert.deepEqual(templateBudget(templates[0]!), { usd: 5, timeMs: 30 * 60_000 });
    assert.equal(problems.length, 4);
    assert.match(problems[0]!, /^flotilla\.agentTemplates\[1\]\.budget: '5 dollars' is not a budget/);
    assert.match(problems[1]!, /^flotilla\.agentTemplates\[2\]\.count: /);
    assert.match(problems[2]!, /^flotilla\.agentTemplates\[3\]: .*colour/);
    assert.match(problems[3]!, /^flotilla\.agentTemplates\[4\]\.name: /);
  });

  it('says when the setting is not a list', () => {
    assert.deepEqual(parseTemplates({ name: 'a' }).problems, ['flotilla.agentTemplates: expected a list of templates']);
    assert.deepEqual(parseTemplates(undefined), { templates: [], problems: [] });
  });

  it('numbers names with the first numbers not taken', () => {
    const taken = new Set(['reviewer-1', 'reviewer-3']);
    assert.deepEqual(templateNames('reviewer-{n}', 3, (n) => taken.has(n)), ['reviewer-2', 'reviewer-4', 'reviewer-5']);
    assert.deepEqual(templateNames('fixer', 1, () => false), ['fixer']);
    assert.deepEqual(templateNames('fixer', 1, (n) => n === 'fixer'), ['fixer-1']);
    assert.deepEqual(templateNames('fixer', 2, () => false), ['fixer-1', 'fixer-2']);
  });

  it("refuses a rule that names its own agents: the template scopes them", () => {
    const { problems } = parseTemplates([{ name: 'r-{n}', policy: [{ id: 'x', tier: 'approve', tool: 'Bash', agent: { name: '*' } }] }]);
    assert.match(problems[0]!, /^flotilla\.agentTemplates\[0\]\.policy\[0\]\.agent: /);
  });

  it("applies a template's policy additions to its agents only", () => {
    const { templates } = parseTemplates([{ name: 'reviewer-{n}', policy: [{ id: 'no-web', tier: 'prohibited', tool: 'WebFetch' }] }]);
    const layer = templatePolicyLayer(templates);
    assert.ok(layer);
    const policy = composePolicy({ workspace: [layer], workspaceTrusted: true }).policy;
    const ask = (name: string) =>
      evaluate({ agent: { id: name, name, kind: 'claude-code' }, tool: 'WebFetch', input: { url: 'https://example.com', prompt: 'x' }, cwd: '/tmp', worktreeRoot: '/tmp' }, policy);
    const reviewer = ask('reviewer-2');
    assert.equal(reviewer.tier, 'prohibited');
    assert.equal(reviewer.ruleId, 'template:reviewer-n:no-web');
    assert.notEqual(ask('reviewer').tier, 'prohibited');
    assert.notEqual(ask('builder-1').tier, 'prohibited');
    assert.equal(templatePolicyLayer(parseTemplates([{ name: 'a' }]).templates), undefined);
  });
});
