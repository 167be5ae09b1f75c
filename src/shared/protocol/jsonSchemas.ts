// JSON Schema (draft 2020-12) documents of the protocol, one per frame type plus the union, for people who
// build agents in other languages. Pure: scripts/exportProtocolSchemas.ts writes them, a test checks they are current.
import { z } from 'zod';
import { FRAME_EXAMPLES } from './examples';
import { FRAME_SCHEMAS, FRAME_TYPES, FrameSchema } from './frames';

type JsonObject = { [key: string]: unknown };

/** Rewrites every `{"$ref": from}` below `node` to `{"$ref": to}`. */
function retarget(node: unknown, from: string, to: string): unknown {
  if (Array.isArray(node)) return node.map((item) => retarget(item, from, to));
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === '$ref' && value === from ? to : retarget(value, from, to);
  return out;
}

/**
 * zod puts a schema that has an id under $defs and leaves a bare $ref at the root; readers expect the frame's
 * own shape at the root, so move it up (references to it become '#').
 */
function hoistRoot(json: JsonObject): JsonObject {
  const ref = json.$ref;
  const defs = json.$defs as JsonObject | undefined;
  if (typeof ref !== 'string' || !ref.startsWith('#/$defs/') || defs === undefined) return json;
  const name = ref.slice('#/$defs/'.length);
  const { [name]: root, ...rest } = defs;
  const hoisted: JsonObject = { $schema: json.$schema, ...(root as JsonObject) };
  if (Object.keys(rest).length > 0) hoisted.$defs = rest;
  return retarget(hoisted, ref, '#') as JsonObject;
}

function render(schema: z.ZodType, examples: unknown[]): string {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'throw', cycles: 'ref' });
  return `${JSON.stringify({ ...hoistRoot(json as JsonObject), examples }, null, 2)}\n`;
}

/** File name -> file text, for docs/protocol/. Deterministic: same schemas, same bytes. */
export function protocolJsonSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const type of FRAME_TYPES) files.set(`${type}.json`, render(FRAME_SCHEMAS[type], [FRAME_EXAMPLES[type]]));
  files.set('frame.json', render(FrameSchema, FRAME_TYPES.map((type) => FRAME_EXAMPLES[type])));
  return files;
}
