// What a rule allowed is labelled honestly: the label an audit entry and a notification show for a command that
// writes a file must not call it read-only and stop there.
import assert from 'node:assert/strict';
import { composePolicy } from '../../../src/core/policy/composePolicy';
import { evaluate } from '../../../src/core/policy/evaluate';

const decide = (command: string) =>
  evaluate({ agent: { id: 'a', name: 'a', kind: 'claude-code' }, tool: 'Bash', input: { command }, cwd: '/w', worktreeRoot: '/w' }, composePolicy({ workspaceTrusted: true }).policy, { realpath: (p) => p });

describe('honest labels of what the default policy allowed', () => {
  it('says a redirection into the worktree writes a file', () => {
    const d = decide('echo hi > out.txt');
    assert.equal(d.tier, 'autonomous');
    assert.match(d.ruleDescription, /writing .* to files inside the worktree/);
    assert.match(d.reason, /^Allowed: .*writing their output to files inside the worktree: echo hi > out\.txt$/);
  });

  it('still asks for a redirection outside the worktree, under the rule that says so', () => {
    const d = decide('echo hi > /etc/motd');
    assert.equal(d.tier, 'approve');
    assert.match(d.ruleDescription, /outside the worktree/);
  });
});
