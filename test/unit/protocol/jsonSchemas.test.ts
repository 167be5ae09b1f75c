// docs/protocol/*.json must be what scripts/exportProtocolSchemas.ts would write from the current schemas.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FRAME_TYPES } from '../../../src/shared/protocol/frames';
import { protocolJsonSchemaFiles } from '../../../src/shared/protocol/jsonSchemas';

const docsDir = resolve(__dirname, '..', '..', '..', 'docs', 'protocol');
const regenerate = 'run `npx tsx scripts/exportProtocolSchemas.ts` and commit docs/protocol';

describe('protocol JSON Schemas in docs/protocol', () => {
  const expected = protocolJsonSchemaFiles();

  it('has one schema per frame type plus the union', () => {
    assert.deepEqual([...expected.keys()].sort(), [...FRAME_TYPES.map((t) => `${t}.json`), 'frame.json'].sort());
  });

  it(`matches the schemas byte for byte (otherwise ${regenerate})`, () => {
    const onDisk = readdirSync(docsDir).filter((name) => name.endsWith('.json')).sort();
    assert.deepEqual(onDisk, [...expected.keys()].sort(), `stale or missing files: ${regenerate}`);
    for (const [name, text] of expected) {
      assert.equal(readFileSync(join(docsDir, name), 'utf8'), text, `docs/protocol/${name} is out of date: ${regenerate}`);
    }
  });

  it('is deterministic', () => {
    assert.deepEqual(protocolJsonSchemaFiles(), expected);
  });

  it('states the limits and strictness readers rely on', () => {
    const heartbeat = JSON.parse(expected.get('heartbeat.json')!) as Record<string, unknown>;
    assert.equal(heartbeat.additionalProperties, false);
    assert.deepEqual(heartbeat.required, ['type', 'seq', 'elapsed_ms']);
    const properties = heartbeat.properties as Record<string, { maxLength?: number; $ref?: string }>;
    assert.equal(properties.task_id?.maxLength, 128);
    const union = JSON.parse(expected.get('frame.json')!) as { oneOf: unknown[]; examples: unknown[] };
    assert.equal(union.oneOf.length, FRAME_TYPES.length);
    assert.equal(union.examples.length, FRAME_TYPES.length);
  });
});
