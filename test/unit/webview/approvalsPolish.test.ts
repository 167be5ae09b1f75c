// The Approvals webview's everyday polish in headless Chromium under the real CSP: one vocabulary (Allow / Deny),
// a command shown once, disabled buttons that do not look like the button to press, notices that go away, each
// agent's context (task, last words, spend) as text, and keys that never decide while the reviewer types or holds one.
import assert from 'node:assert/strict';
import type { PendingApproval } from '../../../src/shared/approval';
import type { AgentContext } from '../../../src/shared/webview/approvalsProtocol';
import { NOTICE_MS } from '../../../webview/approvals/model';
import { useApprovalsPages } from './approvalsPage';
import type { ApprovalsPage } from './approvalsPage';
import { pendingApprovals } from './fixtures';

const NOW = 1_700_000_000_000;

describe('Approvals webview polish in Chromium', function () {
  const pages = useApprovalsPages();
  let p: ApprovalsPage;

  async function open(pending: PendingApproval[], agents?: AgentContext[]): Promise<void> {
    p = await pages.open();
    await p.waitForReady();
    await p.send(agents ? { type: 'state', pending, agents, now: NOW } : { type: 'state', pending, now: NOW });
  }

  const item = (id: string) => `[data-request-id="${id}"]`;
  const lastPosted = async () => (await p.posted()).at(-1) as Record<string, unknown>;
  const decides = async () => (await p.posted()).filter((m) => (m as { type: string }).type === 'decide').length;
  /** The computed look of a vscode-button: its opacity and the background of its inner base. */
  const look = (testid: string) =>
    p.page.$eval(`[data-testid=${testid}]`, (b) => {
      // The page's getComputedStyle (the test tsconfig has no DOM types); this function runs in the page.
      const style = (globalThis as unknown as { getComputedStyle(el: unknown): { opacity: string; backgroundColor: string } }).getComputedStyle;
      return {
        opacity: style(b).opacity,
        background: style(b.shadowRoot!.querySelector('.base')!).backgroundColor,
        secondary: b.hasAttribute('secondary'),
        disabled: b.hasAttribute('disabled'),
      };
    });

  it('speaks one vocabulary, Allow / Deny, and shows a command once', async () => {
    await open(pendingApprovals(2, 1, NOW));
    const toolbar = await p.page.$$eval('[data-testid=toolbar] vscode-button', (els) => els.map((e) => e.textContent?.trim()));
    assert.deepEqual(toolbar, ['Allow Selected', 'Deny Selected', 'Allow All', 'Deny All']);
    const text = (await p.page.textContent('#root')) ?? '';
    assert.doesNotMatch(text, /approve|reject/i);
    assert.equal(text.split('git push origin feature-0').length - 1, 1, `the command appears once: ${text}`);
  });

  it('a disabled button drops the primary look: Allow Selected is dimmed and not accent-coloured until something is selected', async () => {
    await open(pendingApprovals(2, 1, NOW));
    const enabledPrimary = await look('allow-all');
    const disabled = await look('allow-selected');
    assert.deepEqual({ secondary: enabledPrimary.secondary, disabled: enabledPrimary.disabled }, { secondary: false, disabled: false });
    assert.deepEqual({ secondary: disabled.secondary, disabled: disabled.disabled }, { secondary: true, disabled: true });
    assert.ok(Number(disabled.opacity) < 1, `dimmed: ${disabled.opacity}`);
    assert.notEqual(disabled.background, enabledPrimary.background, 'not the primary background');
    await p.page.click(`${item('req-00000')} [data-testid=request-select]`);
    const selected = await look('allow-selected');
    assert.deepEqual({ secondary: selected.secondary, disabled: selected.disabled, background: selected.background }, { secondary: false, disabled: false, background: enabledPrimary.background });
  });

  it('a notice goes away after a few seconds, and at once when new requests arrive', async () => {
    const pending = pendingApprovals(4, 1, NOW);
    await open(pending);
    await p.page.clock.install();
    await p.page.click(`${item('req-00000')} [data-testid=request-allow]`);
    await p.send({ type: 'decideResult', requestId: (await lastPosted()).requestId as string, results: [{ id: 'req-00000', ok: true }] });
    assert.equal(await p.page.textContent('[data-testid=notice]'), '1 request answered.');
    await p.send({ type: 'state', pending: pending.slice(1), now: NOW });
    assert.equal(await p.page.textContent('[data-testid=notice]'), '1 request answered.', 'the same requests: the notice stays');
    await p.page.clock.runFor(NOTICE_MS + 100);
    assert.equal(await p.page.textContent('[data-testid=notice]'), '');

    await p.page.click(`${item('req-00001')} [data-testid=request-deny]`);
    await p.send({ type: 'decideResult', requestId: (await lastPosted()).requestId as string, results: [{ id: 'req-00001', ok: true }] });
    assert.equal(await p.page.textContent('[data-testid=notice]'), '1 request answered.');
    const arrival = { ...pendingApprovals(1, 1, NOW + 1000)[0]!, id: 'new-1' };
    await p.send({ type: 'state', pending: [...pending.slice(2), arrival], now: NOW + 1000 });
    assert.equal(await p.page.textContent('[data-testid=notice]'), '', 'new requests clear the old notice');
  });

  it("shows each agent's task, last words and spend above its requests, as text", async () => {
    const pending = pendingApprovals(4, 2, NOW);
    await open(pending, [
      { agentId: 'agent-0', task: 'Fix the <b>login</b> bug\nand push', lastMessage: 'Tests pass. Pushing\u202e now.', costUsd: 0.42, budgetUsd: 5 },
      { agentId: 'agent-1', costUsd: 5.02, budgetUsd: 5, budgetNote: '$5.02 of $5.00 for agent-1' },
    ]);
    const group = (agent: string) => `[data-testid=agent-group][data-agent-id="${agent}"]`;
    assert.equal(await p.page.textContent(`${group('agent-0')} [data-testid=agent-task]`), 'Fix the <b>login</b> bug and push');
    assert.equal(await p.page.textContent(`${group('agent-0')} [data-testid=agent-last-message]`), 'Tests pass. Pushing\\u202e now.');
    assert.equal(await p.page.textContent(`${group('agent-0')} [data-testid=agent-spend]`), '$0.42 of $5.00 budget (8 %)');
    assert.equal(await p.page.locator(`${group('agent-1')} [data-testid=agent-task]`).count(), 0, 'no task known: no line');
    assert.equal(await p.page.textContent(`${group('agent-1')} [data-testid=agent-spend]`), '$5.02 of $5.00 budget (100 %); paused for budget: $5.02 of $5.00 for agent-1');
    assert.equal(await p.page.locator('#root b').count(), 0, 'agent text never becomes markup');
    // The context follows the host: a new spend replaces the old.
    await p.send({ type: 'state', pending, agents: [{ agentId: 'agent-0', costUsd: 0.5 }], now: NOW });
    assert.equal(await p.page.textContent(`${group('agent-0')} [data-testid=agent-spend]`), '$0.50');
    assert.equal(await p.page.isHidden(`${group('agent-1')} [data-testid=agent-context]`), true, 'no context: nothing shown');
  });

  it('keys never decide while the reviewer types, nor again while a key is held down', async () => {
    await open(pendingApprovals(4, 1, NOW));
    const kb = p.page.keyboard;
    await p.page.click(`${item('req-00001')} [data-testid=request-deny-message]`);
    await p.page.locator(`${item('req-00001')} [data-testid=request-message] input`).focus();
    await kb.type('a d A D');
    assert.equal(await decides(), 0, 'typing in the message field decides nothing');
    await p.page.click(`${item('req-00000')} [data-testid=request-tool]`);
    await kb.down('a');
    await kb.down('a');
    await kb.down('a');
    await kb.up('a');
    assert.equal(await decides(), 1, 'a held key decides once');
    assert.deepEqual((await lastPosted()).ids, ['req-00000']);
  });
});
