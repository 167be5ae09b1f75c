// The Claude Code adapter through the shared contract suite: hook payloads posted to its route on a real bridge,
// transcript lines written to a real file it watches.
import { ClaudeCodeAdapter } from '../../../src/adapters/claudeCode/claudeCodeAdapter';
import { adapterContract } from '../../kit/adapterContract';
import { ClaudeSessionDriver } from './claudeSessionDriver';

adapterContract('Claude Code', (ctx) => {
  const driver = ClaudeSessionDriver.inDir(ctx.bridgeUrl, ctx.dir);
  return {
    adapter: new ClaudeCodeAdapter({ claudePath: () => 'claude', log: ctx.log, env: {}, home: ctx.dir }),
    driver: { playSession: (a) => driver.playSession(a), requestApproval: (a) => driver.requestApproval(a) },
  };
});
