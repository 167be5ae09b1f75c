// JSON columns: strict on write (a value that cannot be serialised is refused, naming the column), tolerant on
// read (bad JSON on disk is logged and replaced by a default, never a crash).
import type { StoreLog } from './connection';

export type JsonObject = Record<string, unknown>;

export function writeJson(value: unknown, column: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new TypeError(`${column}: value cannot be stored as JSON (${(err as Error).message})`);
  }
  return text ?? 'null';
}

export function readJson(text: unknown, fallback: unknown, where: string, log: StoreLog): unknown {
  if (typeof text !== 'string') {
    log('warn', `${where}: expected JSON text, found ${text === null ? 'NULL' : typeof text}; using ${JSON.stringify(fallback)}`);
    return fallback;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    log('warn', `${where}: bad JSON (${(err as Error).message}); using ${JSON.stringify(fallback)}`);
    return fallback;
  }
}

export function readJsonObject(text: unknown, where: string, log: StoreLog): JsonObject {
  const value = readJson(text, {}, where, log);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
  log('warn', `${where}: expected a JSON object, found ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}; using {}`);
  return {};
}
