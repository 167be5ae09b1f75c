// The per-program table the policy judges shell commands by: a command is read-only only when its program
// is known and every option and operand it was given is in that program's read-only table; hazards say what
// in it may run code or write where the policy cannot see; writes list every file it may write.
import { envHazard } from './programs/envVars';
import type { ProgramFacts, ProgramInput } from './programs/facts';
import { notReadOnly, readOnlyFacts } from './programs/facts';
import { gitFacts } from './programs/gitProgram';
import { buildToolFacts, interpreterFacts, isVersionQuery } from './programs/interpreters';
import { HARMLESS, READERS } from './programs/readers';
import { writerFacts } from './programs/writers';

export type { ProgramFacts, ProgramInput } from './programs/facts';

/** Shell builtins that declare variables; their assignments are judged like `NAME=value cmd`. */
export const DECLARATIONS = new Set(['export', 'local', 'declare', 'typeset', 'readonly']);

function declarationFacts(input: ProgramInput): ProgramFacts {
  const facts = readOnlyFacts();
  for (const a of input.args) {
    if (a.startsWith('-') || a.startsWith('+')) {
      if (/f/.test(a)) facts.readOnly = false;
      continue;
    }
    const hazard = envHazard(a.includes('=') ? a : `${a}=`);
    if (hazard) facts.hazards.push(hazard);
    if (input.isDynamic(a)) facts.readOnly = false;
  }
  if (facts.hazards.length) facts.readOnly = false;
  return facts;
}

/** What the table knows about one program run with these arguments. */
export function programFacts(input: ProgramInput): ProgramFacts {
  const { name } = input;
  if (name.includes('/') || input.isDynamic(name)) return notReadOnly();
  if (isVersionQuery(name, input.args)) return readOnlyFacts();
  if (name === 'git') return gitFacts(input.args);
  if (DECLARATIONS.has(name)) return declarationFacts(input);
  const reader = READERS[name];
  if (reader) return reader(input);
  if (HARMLESS.has(name)) return input.moreArgsUnknown && name === 'cd' ? notReadOnly() : readOnlyFacts();
  return writerFacts(name, input) ?? interpreterFacts(name, input) ?? buildToolFacts(name, input) ?? notReadOnly();
}
