// The serve endpoint's secret: 256 random bits in a file only its owner can read, made on first start. Compared in
// constant time; the token itself is never logged or printed (only where it is).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface RunnerToken {
  readonly file: string;
  /** True when this start made the file. */
  readonly created: boolean;
  matches(candidate: string | undefined): boolean;
  /** For the local clients (ls, run, stop) that read the file themselves. */
  readonly value: string;
}

export function loadOrCreateToken(file: string): RunnerToken {
  let created = false;
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // 'wx': never overwrite a token another serve process just wrote.
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
      created = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  chmodSync(file, 0o600);
  const value = readFileSync(file, 'utf8').trim();
  if (value.length < 32) throw new Error(`${file}: the token is shorter than 32 characters; delete the file to make a new one`);
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  const expected = digest(value);
  return {
    file,
    created,
    value,
    matches: (candidate) => candidate !== undefined && timingSafeEqual(digest(candidate), expected),
  };
}

/** The bearer token of an Authorization header, if any. */
export function bearerOf(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}
