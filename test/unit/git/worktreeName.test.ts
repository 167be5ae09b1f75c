// Agent names that become branches and folders: what is refused and what slugify makes of free text.
import assert from 'node:assert/strict';
import { slugifyWorktreeName, worktreeNameProblem } from '../../../src/core/git/worktreeName';

describe('worktree names', () => {
  const accepted = ['a', 'fix-login', 'agent_2', 'v1.2', '9lives'];
  const refused: [string, RegExp][] = [
    ['', /empty/],
    ['Fix', /lower-case/],
    ['a b', /lower-case/],
    ['a/b', /lower-case/],
    ['-a', /start with a letter or digit/],
    ['.hidden', /start with a letter or digit/],
    ['a..b', /\.\./],
    ['ref.lock', /\.lock/],
    ['trailing.', /end with/],
    ['nul', /reserved/],
    ['com1.txt', /reserved/],
    ['x'.repeat(65), /longer than 64/],
  ];
  for (const name of accepted) it(`accepts '${name}'`, () => assert.equal(worktreeNameProblem(name), undefined));
  for (const [name, why] of refused) it(`refuses '${name.slice(0, 12)}'`, () => assert.match(worktreeNameProblem(name) ?? '', why));

  const slugs: [string, string][] = [
    ['Fix Login Bug!', 'fix-login-bug'],
    ['Café crème', 'cafe-creme'],
    ['../../etc/passwd', 'etc-passwd'],
    ['release..v2.lock', 'release.v2'],
    ['NUL', 'agent-nul'],
    ['日本語', ''],
  ];
  for (const [raw, slug] of slugs) {
    it(`slugifies '${raw}' to '${slug}'`, () => {
      assert.equal(slugifyWorktreeName(raw), slug);
      if (slug) assert.equal(worktreeNameProblem(slug), undefined);
    });
  }
});
