// Helpers for the protocol tests: copy an example frame and change one field by path.
import assert from 'node:assert/strict';
import { FRAME_EXAMPLES } from '../../../src/shared/protocol/examples';
import type { FrameType } from '../../../src/shared/protocol/frames';
import type { FrameError, ParseResult } from '../../../src/shared/protocol/parse';

export type Path = ReadonlyArray<string | number>;
type Bag = Record<string | number, unknown>;

export function example(type: FrameType): Record<string, unknown> {
  return structuredClone(FRAME_EXAMPLES[type]) as Record<string, unknown>;
}

function parentOf(root: Record<string, unknown>, path: Path): Bag {
  let node = root as Bag;
  for (const key of path.slice(0, -1)) node = node[key] as Bag;
  return node;
}

export function withField(type: FrameType, path: Path, value: unknown): Record<string, unknown> {
  const frame = example(type);
  parentOf(frame, path)[path[path.length - 1]!] = value;
  return frame;
}

export function withoutField(type: FrameType, path: Path): Record<string, unknown> {
  const frame = example(type);
  delete parentOf(frame, path)[path[path.length - 1]!];
  return frame;
}

export function expectError(result: ParseResult): FrameError {
  assert.equal(result.ok, false, `expected a refusal, got ${JSON.stringify(result)}`);
  return (result as { ok: false; error: FrameError }).error;
}
