// The stand-in tree provider activate() registers the views with: the root waits for the real provider (VS Code
// shows its progress bar meanwhile) and gets the real rows, changes are passed on, and a fleet that cannot start
// leaves the tree empty so the "could not start" welcome text shows.
import * as assert from 'node:assert/strict';
import type { TreeDataProvider, TreeItem } from 'vscode';
import { Emitter } from '../../../src/core/events';
import { DeferredTreeProvider } from '../../../src/vscode/deferredTree';

class Rows implements TreeDataProvider<string> {
  private readonly changed = new Emitter<string | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  constructor(private readonly rows: string[]) {}
  getChildren(element?: string): string[] {
    return element ? [] : this.rows;
  }
  getTreeItem(element: string): TreeItem {
    return { label: element.toUpperCase() };
  }
  getParent(): undefined {
    return undefined;
  }
  change(row?: string): void {
    this.changed.fire(row);
  }
}

describe('DeferredTreeProvider', () => {
  it('answers the root asked before the fleet with the real rows once they exist', async () => {
    const tree = new DeferredTreeProvider<string>();
    const root = Promise.resolve(tree.getChildren());
    const rows = new Rows(['a', 'b']);
    tree.resolve(rows);
    assert.deepEqual(await root, ['a', 'b']);
    assert.deepEqual(tree.getChildren(), ['a', 'b'], 'after that, straight from the real provider');
    assert.deepEqual(tree.getTreeItem('a'), { label: 'A' });
  });

  it("passes the real provider's changes on", () => {
    const tree = new DeferredTreeProvider<string>();
    const seen: unknown[] = [];
    tree.onDidChangeTreeData((e) => seen.push(e));
    const rows = new Rows(['a']);
    tree.resolve(rows);
    rows.change('a');
    rows.change();
    assert.deepEqual(seen, ['a', undefined]);
    tree.dispose();
    rows.change('a');
    assert.equal(seen.length, 2, 'nothing after dispose');
  });

  it('has an empty root when the fleet could not start', async () => {
    const tree = new DeferredTreeProvider<string>();
    const root = Promise.resolve(tree.getChildren());
    tree.fail();
    assert.deepEqual(await root, []);
  });

  it('takes one provider only', () => {
    const tree = new DeferredTreeProvider<string>();
    tree.resolve(new Rows([]));
    assert.throws(() => tree.resolve(new Rows([])), /already has its provider/);
  });
});
