// Flotilla's own variables win over the user's `flotilla.claudeCode.env`, whatever the user writes there.
import assert from 'node:assert/strict';
import { agentEnvironment } from '../../../src/core/agentEnv';

describe('agentEnvironment', () => {
  const flotilla = { FLOTILLA_AGENT_ID: 'a1', FLOTILLA_AGENT_TOKEN: 'secret', FLOTILLA_BRIDGE_URL: 'http://127.0.0.1:5000' };

  it("keeps the user's variables and Flotilla's, Flotilla's winning", () => {
    const r = agentEnvironment({ ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://p' }, flotilla);
    assert.deepEqual(r.env, { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://p', ...flotilla });
    assert.deepEqual(r.dropped, []);
  });

  it('drops user keys in the FLOTILLA_ namespace, in any case, and names them', () => {
    const r = agentEnvironment({ FLOTILLA_BRIDGE_URL: 'http://evil', FLOTILLA_AGENT_TOKEN: 'x', flotilla_agent_id: 'other', FLOTILLA_EXTRA: '1', KEEP: 'y' }, flotilla);
    assert.deepEqual(r.env, { KEEP: 'y', ...flotilla });
    assert.deepEqual(r.dropped.map((d) => d.split(':')[0]), ['FLOTILLA_BRIDGE_URL', 'FLOTILLA_AGENT_TOKEN', 'flotilla_agent_id', 'FLOTILLA_EXTRA']);
  });

  it('drops entries that cannot be environment variables', () => {
    const r = agentEnvironment({ PORT: 8080, 'A=B': 'x', '': 'y', NUL: 'a\0b', OK: '' }, {});
    assert.deepEqual(r.env, { OK: '' });
    assert.equal(r.dropped.length, 4);
    assert.match(r.dropped[0]!, /^PORT: the value is not a string/);
  });

  it('accepts no user variables at all', () => {
    assert.deepEqual(agentEnvironment(undefined, flotilla).env, flotilla);
  });
});
