// Writes the protocol's JSON Schemas to docs/protocol/ (one per frame type plus frame.json, the union).
// Run after changing src/shared/protocol: `npx tsx scripts/exportProtocolSchemas.ts`; a unit test fails while they are stale.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { protocolJsonSchemaFiles } from '../src/shared/protocol/jsonSchemas';

const outDir = resolve(__dirname, '..', 'docs', 'protocol');
const files = protocolJsonSchemaFiles();

mkdirSync(outDir, { recursive: true });
// A frame type that was removed must not leave its old schema behind.
for (const name of readdirSync(outDir)) {
  if (name.endsWith('.json') && !files.has(name)) rmSync(join(outDir, name));
}
for (const [name, text] of files) writeFileSync(join(outDir, name), text);
console.log(`wrote ${files.size} schemas to ${outDir}`);
