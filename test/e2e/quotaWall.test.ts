// The quota wall as a user lives it, with the real Claude Code CLI in the workbench's terminal: a subscription agent
// whose model API answers 429 at its usage limit (the reset a minute or two ahead). The row reads "paused — quota
// until HH:MM", not failed, and a notification says so; when the reset time comes, "the quota should have reset"
// offers Resume, which closes Claude Code's rate-limit dialog and types "continue"; the quota is back by then, so the
// model gets it and the agent ends its turn: ready for review.
import * as assert from 'node:assert/strict';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';
import { rateLimitReply, startQuotaServer } from '../fixtures/quotaServer';
import type { QuotaServer } from '../fixtures/quotaServer';
import { claudeSandbox } from './claudeFixture';
import { agentRow, eventually, newClaudeAgent, worktreeOf } from './agentSteps';

const hhmm = (t: number): string => `${String(new Date(t).getHours()).padStart(2, '0')}:${String(new Date(t).getMinutes()).padStart(2, '0')}`;

describe('Quota wall', function () {
  this.timeout(300_000);
  let server: QuotaServer | undefined;
  /** Set when the agent starts: Claude Code shows the reset to the minute, so a whole minute 75-135 s ahead. */
  let reset = Number.POSITIVE_INFINITY;
  const settings: Record<string, unknown> = {};

  before(async () => {
    const limit = () =>
      rateLimitReply({
        'anthropic-ratelimit-unified-status': 'rejected',
        'anthropic-ratelimit-unified-reset': String(reset / 1000),
        'anthropic-ratelimit-unified-representative-claim': 'five_hour',
      });
    server = await startQuotaServer(() => (Date.now() >= reset ? 'answer' : limit()));
    // A subscription (OAuth token, no API key): Claude Code then reads the unified rate-limit headers.
    settings['flotilla.claudeCode.env'] = { ...claudeSandbox().env, ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: '', CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-fixture-not-a-token' };
  });
  useFreshWorkbench(settings);
  after(async () => server?.stop());

  it('paused — quota until the reset, then Resume: the agent goes on', async () => {
    const { workbench, workspace } = e2eSession();
    claudeSandbox().trust(worktreeOf(workspace, 'walled'));
    await workbench.openViewContainer('Flotilla');
    reset = Math.ceil((Date.now() + 75_000) / 60_000) * 60_000;
    await newClaudeAgent('walled', 'go on with the work', 'worktree');

    await agentRow('walled', `paused — quota until ${hhmm(reset)}`).waitFor({ state: 'visible', timeout: 90_000 });
    await workbench.notification(new RegExp(`walled paused — quota until ${hhmm(reset)} — You've hit your session limit`)).waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(server!.refused.length, 1);
    await workbench.screenshot('quota-paused.png');

    const resetNotice = new RegExp(`walled: the quota should have reset at ${hhmm(reset)}`);
    await workbench.notification(resetNotice).waitFor({ state: 'visible', timeout: reset - Date.now() + 30_000 });
    await agentRow('walled', 'quota should have reset').waitFor({ state: 'visible', timeout: 30_000 });
    await workbench.clickNotificationButton(resetNotice, 'Resume');
    assert.ok(await eventually(() => server!.answered.length === 1, 60_000), `the model got "continue" (refused ${server!.refused.length})`);
    await agentRow('walled', /ready for review/).waitFor({ state: 'visible', timeout: 60_000 });
  });
});
