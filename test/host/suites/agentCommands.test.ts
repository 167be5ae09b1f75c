// The everyday agent commands in a real extension host, through the running extension: three agents started with
// New Agent (custom command), then Send Prompt, Rename, Go to Agent and Stop All act on them by command id, and the
// extension's API shows the result. (The palette and its picker are driven by the e2e tier.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FlotillaApi } from '../../../src/vscode/api';

async function until<T>(what: string, get: () => T | undefined | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('agent commands', function () {
  this.timeout(90_000);
  let api: FlotillaApi;
  const names = ['cmd-a', 'cmd-b', 'cmd-c'];

  before(async () => {
    const ext = vscode.extensions.getExtension<FlotillaApi>('flotilla.flotilla');
    assert.ok(ext, 'extension not loaded');
    api = await ext.activate();
    for (const name of names) {
      await vscode.commands.executeCommand('flotilla.newAgent', { kind: 'custom', name, where: 'workspace', command: 'sleep 300' });
    }
  });

  const byName = (name: string) => api.agents().find((a) => a.name === name);

  it('sends a prompt to an agent by id (through its terminal), and renames it', async () => {
    const a = await until('cmd-a', () => byName('cmd-a'));
    assert.equal(await vscode.commands.executeCommand('flotilla.sendPrompt', a.id, undefined, 'hello'), 1);
    assert.equal(await vscode.commands.executeCommand('flotilla.renameAgent', a.id, undefined, 'cmd-a2'), 'cmd-a2');
    assert.equal(api.agents().find((x) => x.id === a.id)?.name, 'cmd-a2');
    names[0] = 'cmd-a2';
    // A name taken by another agent is refused and nothing changes.
    assert.equal(await vscode.commands.executeCommand('flotilla.renameAgent', a.id, undefined, 'cmd-b'), undefined);
    assert.equal(api.agents().find((x) => x.id === a.id)?.name, 'cmd-a2');
  });

  it('goes to an agent (reveals its row) without error', async () => {
    const b = await until('cmd-b', () => byName('cmd-b'));
    await vscode.commands.executeCommand('flotilla.goToAgent', b.id);
  });

  it('Stop All stops every running agent', async () => {
    const live = () => names.map(byName).filter((a) => a && !['done', 'failed', 'stopped'].includes(a.status));
    await until('three live agents', () => live().length === 3);
    const stopped = await vscode.commands.executeCommand('flotilla.stopAll', { confirmed: true });
    assert.ok(typeof stopped === 'number' && stopped >= 3, `stopped ${String(stopped)}`);
    await until('every agent stopped', () => names.every((n) => byName(n)?.status === 'stopped'));
  });
});
