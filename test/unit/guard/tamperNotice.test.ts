// The tamper warning's text: one file or several, the agents quarantined, hidden characters made visible.
import assert from 'node:assert/strict';
import { displayPath, tamperNoticeText } from '../../../src/core/guard/tamperNotice';
import type { TamperResponse } from '../../../src/core/guard/tamperResponder';
import type { AgentSnapshot } from '../../../src/shared/agent';

const agent = (name: string) => ({ name }) as AgentSnapshot;
const response = (file: string, agents: string[], detail = 'content changed (2 -> 9 bytes)'): TamperResponse => ({
  event: { file, kind: 'changed', repoRoot: '/r', root: '/r', detail },
  agents: agents.map(agent),
});

describe('tamper notice', () => {
  it('names the one file, what changed and the quarantined agents', () => {
    assert.equal(
      tamperNoticeText([response('/r/.flotilla/policy.json', ['a', 'b'])]),
      'Flotilla: /r/.flotilla/policy.json was changed outside Flotilla (content changed (2 -> 9 bytes)). Quarantined: a, b. Every tool call of these agents now needs your approval until you release them.',
    );
  });

  it('counts several files, names the home folder ~, and says when nobody was quarantined', () => {
    const text = tamperNoticeText([response('/home/u/.bashrc', []), response('/home/u/.zshrc', []), response('/home/u/.bashrc', [])], '/home/u');
    assert.equal(text, 'Flotilla: 2 protected files were changed outside Flotilla: ~/.bashrc, ~/.zshrc. No running agent works in that repository, so none was quarantined.');
    assert.equal(displayPath('/elsewhere/x', '/home/u'), '/elsewhere/x');
  });

  it('shows hidden characters of a file name or detail as escapes', () => {
    const text = tamperNoticeText([response('/r/.git/hooks/pre\u202ecommit', ['a'], 'x\ny')]);
    assert.match(text, /pre\\u202ecommit/);
    assert.match(text, /\(x\\ny\)/);
  });
});
