// Mocha root hooks for the unit tier: the Bash grammar the policy parses shell commands with is loaded once
// (in production the composition root awaits the same call before the bridge answers hooks).
import { initShellParser } from '../../src/core/policy/shellParser';

export const mochaHooks = {
  async beforeAll(): Promise<void> {
    await initShellParser();
  },
};
