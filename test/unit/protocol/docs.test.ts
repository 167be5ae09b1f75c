// docs/protocol.md must agree with the schemas: every example parses, every frame's field table lists exactly
// the schema's fields, every error code is explained, and the example client is the tested file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ERROR_CODES } from '../../../src/shared/protocol/error';
import { FRAME_SCHEMAS, FRAME_TYPES } from '../../../src/shared/protocol/frames';
import {
  FRAME_BURST,
  FRAME_RATE_PER_SECOND,
  HELLO_TIMEOUT_MS,
  MAX_FRAME_BYTES,
  MAX_FRAME_NODES,
  MAX_ID_LENGTH,
  MAX_JSON_DEPTH,
  MAX_LABEL_LENGTH,
  MAX_PENDING_APPROVALS,
  MAX_RATE_LIMITED_FRAMES,
  MAX_TEXT_LENGTH,
  MAX_UNREAD_BYTES,
} from '../../../src/shared/protocol/limits';
import { BRIDGE_DEFAULTS } from '../../../src/core/bridge/bridgeServer';
import { parseFrame } from '../../../src/shared/protocol/parse';

const root = resolve(__dirname, '..', '..', '..');
const doc = readFileSync(resolve(root, 'docs', 'protocol.md'), 'utf8');

function section(heading: string): string {
  const start = doc.indexOf(`\n${heading}\n`);
  assert.notEqual(start, -1, `docs/protocol.md has no section '${heading}'`);
  const next = doc.slice(start + heading.length + 2).search(/\n#{2,3} /);
  return next === -1 ? doc.slice(start) : doc.slice(start, start + heading.length + 2 + next);
}

function fences(text: string, lang: string): string[] {
  return [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

/** First-column names of the markdown table rows in `text`, e.g. | `agent_id` | ... -> agent_id. */
function tableNames(text: string): string[] {
  return [...text.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]!);
}

describe('docs/protocol.md', () => {
  it('has only JSON examples that are valid frames', () => {
    const blocks = fences(doc, 'json');
    assert.ok(blocks.length >= FRAME_TYPES.length, `found ${blocks.length} JSON blocks`);
    for (const block of blocks) {
      const result = parseFrame(JSON.parse(block));
      assert.equal(result.ok, true, `${block}\n-> ${JSON.stringify(result)}`);
    }
  });

  for (const type of FRAME_TYPES) {
    it(`documents every field of ${type}, and nothing else, with an example`, () => {
      const text = section(`### \`${type}\``);
      assert.deepEqual(tableNames(text).sort(), Object.keys(FRAME_SCHEMAS[type].shape).sort());
      const [example] = fences(text, 'json');
      assert.ok(example, `no JSON example under ${type}`);
      assert.equal((JSON.parse(example) as { type: string }).type, type);
    });
  }

  it('explains every error code', () => {
    assert.deepEqual(tableNames(section('## Error codes')).sort(), [...ERROR_CODES].sort());
  });

  it('states the main limits', () => {
    const limits = section('## Limits');
    const grouped = (n: number) => n.toLocaleString('en-US').replace(/,/g, ' ');
    for (const needle of [grouped(MAX_FRAME_BYTES), `1..${MAX_ID_LENGTH}`, `1..${MAX_LABEL_LENGTH}`, grouped(MAX_TEXT_LENGTH)]) {
      assert.ok(limits.includes(needle), `Limits section lacks '${needle}'`);
    }
  });

  it('states the flood, nesting and connection limits the supervisor enforces', () => {
    const limits = section('## Limits');
    const grouped = (n: number) => n.toLocaleString('en-US').replace(/,/g, ' ');
    const needles = [
      `${grouped(FRAME_BURST)} frames, then ${FRAME_RATE_PER_SECOND} per second`,
      `per connection | ${MAX_PENDING_APPROVALS};`,
      `${MAX_JSON_DEPTH} levels below the frame object; ${grouped(MAX_FRAME_NODES)} values`,
      `(${grouped(MAX_UNREAD_BYTES)} bytes)`,
    ];
    for (const needle of needles) assert.ok(limits.includes(needle), `Limits section lacks '${needle}'`);
    assert.ok(section('## Error codes').includes(`after ${grouped(MAX_RATE_LIMITED_FRAMES)} refused without a pause`));
    const transport = section('## Transport');
    assert.ok(transport.includes(`(${BRIDGE_DEFAULTS.maxConnections} per supervisor`));
    assert.ok(transport.includes(`within ${HELLO_TIMEOUT_MS / 1000} s`));
  });

  it('shows the example client exactly as in docs/protocol/exampleClient.mjs', () => {
    const client = readFileSync(resolve(root, 'docs', 'protocol', 'exampleClient.mjs'), 'utf8');
    assert.deepEqual(fences(section('## Example client'), 'js'), [client]);
  });
});
