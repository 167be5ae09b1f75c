// Root hooks for the e2e tier (mocha --require test/e2e/setup.ts): one workbench session for all e2e files,
// a screenshot of every failed test, and the server/host/Flotilla logs printed when anything failed.
import type { Context } from 'mocha';
import { e2eSession, markE2eSessionUsed, startE2eSession, stopE2eSession } from '../harness/e2eSession';
import { startClaudeFixture, stopClaudeFixture } from './claudeFixture';

let anyFailed = false;

export const mochaHooks = {
  async beforeAll(this: Context) {
    // Preparing (warm cache), building, starting code-server and opening the workbench.
    this.timeout(10 * 60_000);
    await startE2eSession(await startClaudeFixture());
  },
  async afterEach(this: Context) {
    markE2eSessionUsed();
    const test = this.currentTest;
    if (test?.state !== 'failed') return;
    anyFailed = true;
    const name = `failed-${test.fullTitle().replace(/[^\w-]+/g, '-').slice(0, 80)}`;
    const path = await e2eSession().workbench.screenshot(name).catch(() => undefined);
    if (path) console.log(`      screenshot: ${path}`);
  },
  async afterAll(this: Context) {
    this.timeout(60_000);
    await stopE2eSession({ printLogs: anyFailed });
    await stopClaudeFixture();
  },
};
