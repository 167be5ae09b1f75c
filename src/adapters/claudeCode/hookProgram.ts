// The fallback command hook (bundled to dist/hook.js): Claude Code runs it once per hook event, with the payload
// on stdin. It always exits 0; on any failure it prints nothing so Claude Code uses its own permission prompt.
import { runHookProgram } from './hookForwarder';

const write = (stream: NodeJS.WriteStream, text: string): Promise<void> =>
  new Promise((resolve) => {
    stream.write(text, () => resolve());
  });

void runHookProgram({
  stdin: process.stdin,
  env: process.env,
  argv: process.argv.slice(2),
  writeStdout: (text) => write(process.stdout, text),
  writeStderr: (text) => write(process.stderr, text),
}).finally(() => process.exit(0));
