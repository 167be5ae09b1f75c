// The Approvals webview in headless Chromium under the real CSP: agent text stays text, requests are grouped and
// described, buttons and keys post the right `decide`, live updates keep focus/selection/drafts, a reload restores them.
import assert from 'node:assert/strict';
import type { PendingApproval } from '../../../src/shared/approval';
import { useApprovalsPages } from './approvalsPage';
import type { ApprovalsPage } from './approvalsPage';
import { pendingApprovals } from './fixtures';

const NOW = 1_700_000_000_000;

describe('Approvals webview in Chromium', function () {
  const pages = useApprovalsPages();
  let p: ApprovalsPage;

  async function open(pending: PendingApproval[]): Promise<void> {
    p = await pages.open();
    await p.waitForReady();
    assert.deepEqual(await p.posted(), [{ type: 'ready' }], 'the page says ready before anything else');
    await p.send({ type: 'state', pending, now: NOW });
  }

  const shownIds = () => p.page.$$eval('[data-testid=request]', (els) => els.map((e) => e.getAttribute('data-request-id')));
  const focusedId = () => p.page.evaluate<string | undefined>("document.activeElement?.closest('[data-testid=request]')?.dataset.requestId");
  const lastPosted = async () => (await p.posted()).at(-1) as Record<string, unknown>;
  const item = (id: string) => `[data-request-id="${id}"]`;

  it('shows markup from agents as literal text, never as elements', async () => {
    const pending = pendingApprovals(3, 1, NOW);
    pending[0] = { ...pending[0]!, summary: '<img src=x onerror=alert(1)>', agentName: '</script><b>boss</b>', cwd: '<svg onload=alert(3)>' };
    pending[0]!.input = { command: '</script><img src=x onerror=alert(2)>' };
    pending[1]!.input = { file_path: '/w/<i>a</i>.ts', old_string: '<b>old</b>', new_string: '<script>alert(4)</script>' };
    pending[2] = { ...pending[2]!, tool: 'mcp__web__post', summary: '<i>post</i> it', input: { body: { html: '<b>x</b>' } } };
    let dialogs = 0;
    p = await pages.open();
    p.page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await p.waitForReady();
    await p.send({ type: 'state', pending, now: NOW });
    const first = item(pending[0]!.id);
    assert.equal(await p.page.locator(`${first} [data-testid=request-summary]`).count(), 0, 'a command is shown once, in its block');
    assert.equal(await p.page.textContent(`${item(pending[2]!.id)} [data-testid=request-summary]`), '<i>post</i> it');
    assert.equal(await p.page.textContent(`${first} [data-testid=request-command]`), '</script><img src=x onerror=alert(2)>');
    assert.equal(await p.page.textContent(`${first} [data-testid=request-cwd]`), '<svg onload=alert(3)>');
    assert.equal(await p.page.textContent('[data-testid=agent-name]'), '</script><b>boss</b>');
    assert.match((await p.page.textContent(`${item(pending[1]!.id)} [data-testid=request-diff]`)) ?? '', /\+ <script>alert\(4\)<\/script>/);
    assert.equal(await p.page.locator('#root img, #root svg, #root b, #root i, #root script').count(), 0);
    assert.equal(dialogs, 0);
  });

  it('groups by agent and shows tool, input, directory, rule and tier; marks escalated requests', async () => {
    const pending = pendingApprovals(8, 2, NOW);
    pending[5] = { ...pending[5]!, escalated: true };
    await open(pending);
    assert.deepEqual(await p.page.$$eval('[data-testid=agent-group]', (els) => els.map((e) => e.getAttribute('data-agent-id'))), ['agent-0', 'agent-1']);
    assert.deepEqual(await p.page.$$eval('[data-testid=agent-count]', (els) => els.map((e) => e.textContent)), ['4', '4']);
    assert.deepEqual(await shownIds(), ['req-00000', 'req-00002', 'req-00004', 'req-00006', 'req-00001', 'req-00003', 'req-00005', 'req-00007']);
    const bash = item('req-00000');
    assert.equal(await p.page.textContent(`${bash} [data-testid=request-tool]`), 'Bash');
    assert.equal(await p.page.textContent(`${bash} [data-testid=request-command]`), 'git push origin feature-0');
    assert.equal(await p.page.textContent(`${bash} [data-testid=request-cwd]`), '/work/wt/agent-0');
    assert.equal(await p.page.textContent(`${bash} [data-testid=request-rule]`), 'bash:git push*');
    assert.equal(await p.page.textContent(`${bash} [data-testid=request-tier]`), 'ask');
    const edit = item('req-00001');
    assert.equal(await p.page.textContent(`${edit} [data-testid=request-path]`), '/work/wt/agent-1/src/module1.ts');
    assert.deepEqual(await p.page.$$eval(`${edit} .diff .line:not(.ctx)`, (els) => els.map((e) => e.textContent)), ['- const b = 2;\n', '+ const b = 3;\n']);
    assert.equal(await p.page.getAttribute(item('req-00005'), 'data-escalated'), 'true');
    assert.deepEqual(await p.page.$$eval('[data-testid=request-escalated]:not([hidden])', (els) => els.map((e) => e.closest('[data-testid=request]')?.getAttribute('data-request-id'))), ['req-00005']);
    assert.equal(await p.page.textContent('[data-testid=pending-count]'), '8');
    assert.equal(await p.page.isVisible('[data-testid=empty-state]'), false);
  });

  it('Allow All posts one decide for every shown id; the answers remove them and name the stale ones', async () => {
    await open(pendingApprovals(4, 2, NOW));
    const ids = await shownIds();
    await p.page.click('[data-testid=allow-all]');
    const decide = await lastPosted();
    assert.deepEqual({ ...decide, requestId: undefined }, { type: 'decide', requestId: undefined, ids, decision: 'allow' });
    assert.equal(await p.page.locator('[data-deciding=true]').count(), 4);
    await p.send({ type: 'decideResult', requestId: decide.requestId as string, results: ids.map((id, n) => (n === 0 ? { id: id!, ok: false, reason: 'it timed out' } : { id: id!, ok: true })) });
    assert.deepEqual(await shownIds(), [ids[0]]);
    assert.equal(await p.page.textContent('[data-testid=notice]'), '3 requests answered. 1 could not be answered: it timed out');
    await p.send({ type: 'state', pending: [], now: NOW });
    assert.equal(await p.page.isVisible('[data-testid=empty-state]'), true);
    assert.equal(await p.page.textContent('[data-testid=empty-state]'), 'Nothing is waiting for approval.Risky actions from every agent gather here.');
  });

  it('per item: Allow, Deny, Deny with message; select two and Deny selected; Open agent', async () => {
    await open(pendingApprovals(6, 1, NOW));
    await p.page.click(`${item('req-00000')} [data-testid=request-allow]`);
    assert.deepEqual({ ...(await lastPosted()), requestId: 0 }, { type: 'decide', requestId: 0, ids: ['req-00000'], decision: 'allow' });
    await p.page.click(`${item('req-00001')} [data-testid=request-deny]`);
    assert.deepEqual((await lastPosted()).ids, ['req-00001']);
    await p.page.click(`${item('req-00002')} [data-testid=request-deny-message]`);
    await p.page.locator(`${item('req-00002')} [data-testid=request-message] input`).fill('not on main');
    await p.page.click(`${item('req-00002')} [data-testid=request-message-send]`);
    assert.deepEqual({ ...(await lastPosted()), requestId: 0 }, { type: 'decide', requestId: 0, ids: ['req-00002'], decision: 'deny', message: 'not on main' });
    await p.page.click(`${item('req-00003')} [data-testid=request-select]`);
    await p.page.click(`${item('req-00005')} [data-testid=request-select]`);
    assert.equal(await p.page.textContent('[data-testid=selection-count]'), '2 selected');
    await p.page.click('[data-testid=deny-selected]');
    assert.deepEqual({ ...(await lastPosted()), requestId: 0 }, { type: 'decide', requestId: 0, ids: ['req-00003', 'req-00005'], decision: 'deny' });
    await p.page.click('[data-testid=open-agent]');
    assert.deepEqual(await lastPosted(), { type: 'openAgent', agentId: 'agent-0' });
  });

  it('per item: Always allow for this agent / this session post alwaysAllow; the answer says what rule was added or why not', async () => {
    await open(pendingApprovals(3, 1, NOW));
    const agentButton = `${item('req-00000')} [data-testid=request-always-agent]`;
    const sessionButton = `${item('req-00001')} [data-testid=request-always-session]`;
    assert.equal((await p.page.textContent(agentButton))?.trim(), 'Always allow for this agent');
    assert.equal((await p.page.textContent(sessionButton))?.trim(), 'Always allow for this session');
    assert.match((await p.page.getAttribute(agentButton, 'title')) ?? '', /^Allow this, and from now on let Agent 000 do exactly this again .* adds a rule to \.flotilla\/policy\.json$/);
    assert.match((await p.page.getAttribute(sessionButton, 'title')) ?? '', /until its current session ends: the rule is kept in memory only$/);

    await p.page.click(agentButton);
    const always = await lastPosted();
    assert.deepEqual({ ...always, requestId: 0 }, { type: 'alwaysAllow', requestId: 0, id: 'req-00000', scope: 'agent' });
    assert.equal(await p.page.getAttribute(item('req-00000'), 'data-deciding'), 'true');
    await p.page.dispatchEvent(agentButton, 'click');
    assert.equal((await p.posted()).filter((m) => (m as { type: string }).type === 'alwaysAllow').length, 1, 'a second click while waiting sends nothing');
    const added = 'Added to .flotilla/policy.json: Always allow agent "Agent 000" to run `git push origin feature-0`';
    await p.send({ type: 'decideResult', requestId: always.requestId as string, results: [{ id: 'req-00000', ok: true, message: added }] });
    assert.deepEqual(await shownIds(), ['req-00001', 'req-00002']);
    assert.equal(await p.page.textContent('[data-testid=notice]'), `1 request answered. ${added}`);

    await p.page.click(sessionButton);
    const session = await lastPosted();
    assert.deepEqual({ ...session, requestId: 0 }, { type: 'alwaysAllow', requestId: 0, id: 'req-00001', scope: 'session' });
    await p.send({ type: 'decideResult', requestId: session.requestId as string, results: [{ id: 'req-00001', ok: false, reason: 'Flotilla cannot pin this request down' }] });
    assert.deepEqual(await shownIds(), ['req-00001', 'req-00002'], 'refused: the request stays to be answered once');
    assert.equal(await p.page.getAttribute(item('req-00001'), 'data-deciding'), 'false');
    assert.equal(await p.page.textContent('[data-testid=notice]'), '1 could not be answered: Flotilla cannot pin this request down');
  });

  it('keyboard: arrows move, space selects, d denies the selection, a allows the focused one, enter sends a message', async () => {
    await open(pendingApprovals(6, 1, NOW));
    const kb = p.page.keyboard;
    await kb.press('ArrowDown');
    assert.equal(await focusedId(), 'req-00000');
    await kb.press('ArrowDown');
    await kb.press('Space');
    await kb.press('ArrowDown');
    await kb.press('Space');
    assert.equal(await focusedId(), 'req-00002');
    assert.equal(await p.page.getAttribute(item('req-00001'), 'data-selected'), 'true');
    assert.equal(await p.page.$eval(`${item('req-00002')} [data-testid=request-select]`, (box) => (box as unknown as { checked: boolean }).checked), true);
    await kb.press('d');
    assert.deepEqual({ ...(await lastPosted()), requestId: 0 }, { type: 'decide', requestId: 0, ids: ['req-00001', 'req-00002'], decision: 'deny' });
    assert.equal(await focusedId(), 'req-00003', 'focus moves past the decided requests');
    await kb.press('a');
    assert.deepEqual((await lastPosted()).ids, ['req-00003']);
    assert.equal(await focusedId(), 'req-00004');
    await kb.press('Home');
    assert.equal(await focusedId(), 'req-00000');
    await kb.press('Enter');
    assert.equal(await p.page.evaluate<string | undefined>("document.activeElement?.getAttribute('data-testid')"), 'request-message');
    const before = (await p.posted()).length;
    await kb.type('use staging, and ask first');
    assert.equal((await p.posted()).length, before, 'typing a or d in the message decides nothing');
    await kb.press('Enter');
    assert.deepEqual({ ...(await lastPosted()), requestId: 0 }, { type: 'decide', requestId: 0, ids: ['req-00000'], decision: 'deny', message: 'use staging, and ask first' });
    assert.equal(await focusedId(), 'req-00004');
    const outline = await p.page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
    assert.equal(outline, 'solid', 'the focused request shows a focus ring');
  });

  it('live updates keep focus, selection and an open draft; removing the focused request focuses the next', async () => {
    const pending = pendingApprovals(5, 1, NOW);
    await open(pending);
    await p.page.click(`${item('req-00001')} [data-testid=request-select]`);
    await p.page.click(`${item('req-00003')} [data-testid=request-deny-message]`);
    await p.page.locator(`${item('req-00003')} [data-testid=request-message] input`).fill('wip');
    await p.page.click(`${item('req-00002')} [data-testid=request-tool]`);
    assert.equal(await focusedId(), 'req-00002');
    const arrivals = pendingApprovals(8, 3, NOW + 60_000).slice(5).map((r) => ({ ...r, id: `new-${r.id}` }));
    await p.send({ type: 'state', pending: [...pending.slice(1), ...arrivals], now: NOW + 60_000 });
    assert.deepEqual(await shownIds(), ['req-00001', 'req-00002', 'req-00003', 'req-00004', 'new-req-00006', 'new-req-00007', 'new-req-00005']);
    assert.equal(await focusedId(), 'req-00002');
    assert.equal(await p.page.getAttribute(item('req-00001'), 'data-selected'), 'true');
    assert.equal(await p.page.inputValue(`${item('req-00003')} [data-testid=request-message] input`), 'wip');
    await p.send({ type: 'state', pending: [...pending.slice(1).filter((r) => r.id !== 'req-00002'), ...arrivals], now: NOW + 61_000 });
    assert.equal(await focusedId(), 'req-00003');
  });

  it('after a reload (hidden, then shown) restores selection, focus and the draft from the saved state', async () => {
    const pending = pendingApprovals(4, 1, NOW);
    await open(pending);
    await p.page.click(`${item('req-00002')} [data-testid=request-select]`);
    await p.page.click(`${item('req-00001')} [data-testid=request-deny-message]`);
    await p.page.locator(`${item('req-00001')} [data-testid=request-message] input`).fill('half typed');
    await p.page.click(`${item('req-00003')} [data-testid=request-tool]`);
    await p.page.waitForFunction(() => {
      const saved = (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('vscodeState') ?? '';
      return saved.includes('half typed') && saved.includes('"activeId":"req-00003"');
    });
    await p.page.reload();
    await p.waitForReady();
    assert.deepEqual(await p.posted(), [{ type: 'ready' }]);
    await p.send({ type: 'state', pending, now: NOW });
    assert.equal(await p.page.getAttribute(item('req-00002'), 'data-selected'), 'true');
    assert.equal(await p.page.inputValue(`${item('req-00001')} [data-testid=request-message] input`), 'half typed');
    assert.equal(await focusedId(), 'req-00003');
  });

  it('logs and ignores a malformed host message, then keeps working', async () => {
    await open(pendingApprovals(2, 1, NOW));
    await p.send({ type: 'state', pending: 'nope', now: NOW });
    await p.send({ type: 'decideResult', requestId: 'r' });
    assert.equal(p.problems.filter((m) => m.includes('state.pending: expected array, received string')).length, 1, p.problems.join('\n'));
    assert.equal(p.problems.filter((m) => m.includes('decideResult.results')).length, 1, p.problems.join('\n'));
    assert.equal((await shownIds()).length, 2);
    await p.send({ type: 'state', pending: pendingApprovals(3, 1, NOW), now: NOW });
    assert.equal((await shownIds()).length, 3);
  });
});
