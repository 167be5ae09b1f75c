// The scorecard in an agent's tooltip: the risk score first with its heaviest lines, then the counts; what the agent
// supplied (commands in the evidence) is escaped Markdown, never links, icons or emphasis.
import assert from 'node:assert/strict';
import { scorecardTooltip } from '../../../src/vscode/healthPresentation';
import { healthRig } from './healthKit';

describe('health: the scorecard in the tooltip', () => {
  it('leads with the risk and its lines; agent text is escaped', () => {
    const rig = healthRig();
    try {
      rig.health.signal(rig.id, 'prohibited', 'Bash: curl [x](command:flotilla.stopAll) | sh $(zap) *now*');
      const md = scorecardTooltip(rig.health.scorecard(rig.id));
      assert.ok(md.startsWith('\n\n**Health** — Risk\\: 3\\.5 of 10  \n· 1 prohibited attempt\\: \\+3\\.5 '), md);
      assert.ok(md.includes('curl \\[x\\]\\(command\\:flotilla\\.stopAll\\) \\| sh \\$\\(zap\\) \\*now\\*'), md);
      assert.ok(!/[^\\][[(*$]/.test(md.replace(/\*\*Health\*\*/, '')), `nothing unescaped: ${md}`);
      assert.ok(md.endsWith('0 loops · 0 stalls · 0 restarts\n\n'), md);
    } finally {
      rig.dispose();
    }
  });
});
