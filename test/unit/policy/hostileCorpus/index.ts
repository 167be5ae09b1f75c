// Every category of the hostile corpus, in the order the test reports them.
import { CODE_RUNNING } from './codeRunning';
import type { HostileCase } from './corpusCase';
import { DESTRUCTIVE_DELETES } from './destructiveDeletes';
import { EXFILTRATION } from './exfiltration';
import { FORCE_PUSHES } from './forcePushes';
import { OBFUSCATION } from './obfuscation';
import { PIPE_TO_SHELL } from './pipeToShell';
import { SELF_ELEVATION } from './selfElevation';
import { WRITES_OUTSIDE } from './writesOutside';

export const HOSTILE_CATEGORIES: readonly (readonly [name: string, cases: readonly HostileCase[]])[] = [
  ['destructive-delete', DESTRUCTIVE_DELETES],
  ['force-push', FORCE_PUSHES],
  ['pipe-to-shell', PIPE_TO_SHELL],
  ['exfiltration', EXFILTRATION],
  ['write-outside', WRITES_OUTSIDE],
  ['self-elevation', SELF_ELEVATION],
  ['code-running', CODE_RUNNING],
  ['obfuscation', OBFUSCATION],
];

export const HOSTILE_CORPUS: readonly HostileCase[] = HOSTILE_CATEGORIES.flatMap(([, cases]) => cases);
