// The per-session settings that point Claude Code's hooks at the bridge, the version check, and the launch command.
import assert from 'node:assert/strict';
import {
  buildHookSettings,
  claudeLaunch,
  detectHttpHookSupport,
  REGISTERED_HOOK_EVENTS,
} from '../../../src/adapters/claudeCode/hookSettings';

describe('buildHookSettings', () => {
  it('http mode: every event but SessionStart POSTs to the bridge with the bearer token from the environment', () => {
    const settings = buildHookSettings({ bridgeUrl: 'http://127.0.0.1:4567', timeoutSeconds: 300 });
    assert.deepEqual(Object.keys(settings.hooks).sort(), REGISTERED_HOOK_EVENTS.filter((e) => e !== 'SessionStart').sort());
    assert.deepEqual(settings.hooks.PreToolUse, [
      {
        matcher: '*',
        hooks: [
          {
            type: 'http',
            url: 'http://127.0.0.1:4567/hooks/claude-code',
            headers: { Authorization: 'Bearer $FLOTILLA_AGENT_TOKEN' },
            allowedEnvVars: ['FLOTILLA_AGENT_TOKEN'],
            timeout: 300,
          },
        ],
      },
    ]);
    assert.equal(settings.hooks.PermissionRequest?.[0]?.hooks[0]?.timeout, 300);
    // Observe-only events get the short timeout and no tool matcher.
    assert.equal(settings.hooks.Stop?.[0]?.hooks[0]?.timeout, 15);
    assert.equal(settings.hooks.Stop?.[0]?.matcher, undefined);
    assert.ok(!JSON.stringify(settings).includes('tok'), 'no token value in the settings');
  });

  it('http mode with the hook program: SessionStart (no http support) uses the command hook', () => {
    const settings = buildHookSettings({ bridgeUrl: 'http://127.0.0.1:4567', hookProgram: { script: '/ext/dist/hook.js', node: '/usr/bin/node' } });
    assert.deepEqual(settings.hooks.SessionStart, [{ hooks: [{ type: 'command', command: '/usr/bin/node /ext/dist/hook.js --timeout 10', timeout: 15 }] }]);
    assert.equal(settings.hooks.PreToolUse?.[0]?.hooks[0]?.type, 'http');
  });

  it('command mode: every event runs the hook program, paths quoted for the shell', () => {
    const settings = buildHookSettings({
      bridgeUrl: 'http://127.0.0.1:4567',
      mode: 'command',
      timeoutSeconds: 120,
      hookProgram: { script: '/Users/me/My Ext/dist/hook.js' },
    });
    assert.deepEqual(Object.keys(settings.hooks).sort(), [...REGISTERED_HOOK_EVENTS].sort());
    assert.deepEqual(settings.hooks.PreToolUse?.[0], {
      matcher: '*',
      hooks: [{ type: 'command', command: "node '/Users/me/My Ext/dist/hook.js' --timeout 115", timeout: 120 }],
    });
  });

  it('refuses what cannot work', () => {
    assert.throws(() => buildHookSettings({ bridgeUrl: 'http://127.0.0.1:1', mode: 'command' }), /hookProgram: required/);
    assert.throws(() => buildHookSettings({ bridgeUrl: 'ftp://127.0.0.1:1' }), /bridgeUrl: expected http/);
    assert.throws(() => buildHookSettings({ bridgeUrl: 'http://127.0.0.1:1', timeoutSeconds: 0 }), /timeoutSeconds/);
  });
});

describe('detectHttpHookSupport', () => {
  const cases: [string, boolean][] = [
    ['2.1.197 (Claude Code)', true],
    ['2.1.63', true],
    ['2.1.62 (Claude Code)', false],
    ['2.0.99', false],
    ['1.0.128 (Claude Code)', false],
    ['3.0.0', true],
    ['not a version', false],
  ];
  for (const [version, expected] of cases) it(`${version} -> ${expected}`, () => assert.equal(detectHttpHookSupport(version), expected));
});

describe('claudeLaunch', () => {
  it('passes the settings, keeps a dash-leading prompt a prompt, and sets Flotilla env over user env', () => {
    const launch = claudeLaunch({
      claudePath: '/opt/claude',
      prompt: '--fix the bug',
      settingsFile: '/tmp/s.json',
      env: { agentId: 'a1', token: 'tok', bridgeUrl: 'http://127.0.0.1:9', extra: { FLOTILLA_AGENT_ID: 'spoof', ANTHROPIC_MODEL: 'x' } },
    });
    assert.equal(launch.command, '/opt/claude');
    assert.deepEqual(launch.args, ['--settings', '/tmp/s.json', '--', '--fix the bug']);
    assert.deepEqual(launch.env, { ANTHROPIC_MODEL: 'x', FLOTILLA_AGENT_ID: 'a1', FLOTILLA_AGENT_TOKEN: 'tok', FLOTILLA_BRIDGE_URL: 'http://127.0.0.1:9' });
    assert.equal(launch.commandLine, "/opt/claude --settings /tmp/s.json -- '--fix the bug'");
  });

  it('without a prompt starts a bare interactive session', () => {
    const launch = claudeLaunch({ claudePath: 'claude', settingsFile: '/s.json', env: { agentId: 'a', token: 't', bridgeUrl: 'http://x' } });
    assert.deepEqual(launch.args, ['--settings', '/s.json']);
  });
});
