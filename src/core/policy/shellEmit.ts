// One simple command as the policy sees it: its program, flags and operands, the facts the program table knows
// (read-only, writes, code it runs), and the hazards of its environment, wrappers and path.
import { programFacts } from './programTable';
import { envHazard } from './programs/envVars';
import type { ShellCommand } from './shellCommand';
import { PAGERS } from './shellScope';
import type { Scope } from './shellScope';
import { displayWord, programName, splitArgs } from './shellWords';

export function simpleCommand(words: string[], assignments: string[], via: string[], scope: Scope, moreArgsUnknown: boolean, extraHazards: readonly string[], isDynamic: (word: string) => boolean): ShellCommand {
  const [program, ...args] = words as [string, ...string[]];
  const name = programName(program);
  const { flags, operands } = splitArgs(name, args);
  const facts = programFacts({ name, args, moreArgsUnknown, stdinFed: scope.stdinFed, isDynamic: isDynamic });
  const hazards = [...extraHazards];
  if (name.includes('/') && !isDynamic(program)) hazards.push(`program named by a path: ${program}`);
  for (const a of [...scope.env, ...assignments]) {
    const h = envHazard(a);
    if (h) hazards.push(h);
  }
  hazards.push(...facts.hazards);
  const command: ShellCommand = {
    name,
    program,
    args,
    flags,
    operands,
    assignments: [...assignments],
    via,
    redirects: scope.redirects,
    pipedFrom: scope.feeders,
    dirs: [...scope.cwd.dirs, ...(facts.dirs ?? [])],
    dirUnknown: scope.cwd.dirUnknown,
    moreArgsUnknown,
    // Through env or xargs, the program gets an environment or arguments the table has not seen; a pager
    // given any environment may be told to run an input filter.
    readOnly: facts.readOnly && hazards.length === 0 && !via.includes('env') && !via.includes('xargs') && !(PAGERS.has(name) && assignments.length > 0),
    hazards: [...new Set(hazards)],
    writes: facts.writes,
    code: facts.code ?? [],
    text: [...words.map(displayWord), ...scope.redirects.map((r) => `${r.access === 'read' ? '<' : '>'} ${displayWord(r.target)}`)].join(' '),
  };
  return command;
}
