// The getting-started walkthrough in package.json: every step has a button running a real command (one of
// Flotilla's, a view's generated focus command, or a named built-in), and the markdown and images it shows ship in media/.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    walkthroughs: { id: string; steps: { id: string; description: string; media: { markdown?: string; image?: string } }[] }[];
  };
};

const BUILT_IN = new Set(['workbench.action.openSettings']);

describe('getting-started walkthrough', () => {
  const walkthrough = pkg.contributes.walkthroughs.find((w) => w.id === 'gettingStarted');

  it('has the five steps, in order', () => {
    assert.deepEqual(walkthrough?.steps.map((s) => s.id), ['startAgent', 'policy', 'approve', 'diff', 'costs']);
  });

  it("each step's button runs a command that exists", () => {
    const ours = new Set(pkg.contributes.commands.map((c) => c.command));
    const focus = new Set(Object.values(pkg.contributes.views).flat().map((v) => `${v.id}.focus`));
    for (const step of walkthrough!.steps) {
      const buttons = [...step.description.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]!);
      assert.equal(buttons.length, 1, `${step.id}: one button`);
      for (const command of buttons) assert.ok(ours.has(command) || focus.has(command) || BUILT_IN.has(command), `${step.id}: ${command}`);
    }
  });

  it('its markdown and the images the markdown shows are in media/', () => {
    for (const step of walkthrough!.steps) {
      const file = step.media.markdown ?? step.media.image ?? '';
      assert.ok(file.startsWith('media/') && existsSync(join(root, file)), `${step.id}: ${file}`);
      if (!step.media.markdown) continue;
      for (const [, image] of readFileSync(join(root, file), 'utf8').matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) {
        assert.ok(existsSync(join(root, dirname(file), image!)), `${step.id}: image ${image}`);
      }
    }
  });
});
