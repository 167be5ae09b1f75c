// End to end in a real workbench: a user opens the Flotilla view container, sees the Agents welcome view with
// its buttons, and opens Flotilla's log from the command palette. Takes the README screenshot.
import * as assert from 'node:assert/strict';
import { e2eSession, useFreshWorkbench } from '../harness/e2eSession';

describe('Flotilla in the workbench', () => {
  // The welcome view shows only while there are no agents: other files may have started some.
  useFreshWorkbench();

  it('shows the Agents welcome view with New Agent and Connect Remote Agent', async () => {
    const { workbench } = e2eSession();
    await workbench.openViewContainer('Flotilla');
    // The welcome content appears once the extension has activated (its `when` is flotilla.ready).
    const newAgent = workbench.welcomeButton('Agents', 'New Agent');
    await newAgent.waitFor({ state: 'visible' });
    assert.equal(await workbench.welcomeButton('Agents', 'Connect Remote Agent').isVisible(), true);
    assert.match(await workbench.welcomeView('Agents').innerText(), /No agents yet/);
    await workbench.dismissHovers();
    await workbench.screenshot('readme.png');
  });

  it('shows the Flotilla log from the command palette', async () => {
    const { workbench, page } = e2eSession();
    await workbench.runCommand('Flotilla: Show Log');
    const output = page.locator('.part.panel .output-view[aria-label^="Flotilla"]');
    await output.waitFor({ state: 'visible' });
    const channel = page.locator('.part.panel select[aria-label="Switch Output"]').filter({ visible: true }).locator('option:checked');
    assert.equal((await channel.textContent())?.trim(), 'Flotilla');
    await output.locator('.view-lines', { hasText: /Flotilla\s+activated/ }).waitFor({ state: 'visible' });
    await workbench.screenshot('show-log.png');
  });
});
