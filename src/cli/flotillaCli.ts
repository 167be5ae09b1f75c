#!/usr/bin/env node
// The `flotilla` program (bundled to dist/flotilla.js, the package's bin): `flotilla policy check` judges a tool call
// with the approval policy. The Bash grammar's WASM files sit next to the bundle in dist/.
import * as path from 'node:path';
import { runCli } from './cliMain';

const write = (stream: NodeJS.WriteStream, text: string): Promise<void> =>
  new Promise((resolve) => {
    stream.write(text, () => resolve());
  });

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

runCli(process.argv.slice(2), {
  cwd: path.resolve(process.cwd()),
  stdinIsTty: process.stdin.isTTY === true,
  readStdin,
  writeStdout: (text) => write(process.stdout, text),
  writeStderr: (text) => write(process.stderr, text),
}).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`flotilla: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(70);
  },
);
