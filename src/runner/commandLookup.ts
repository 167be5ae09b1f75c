// Whether an agent's command can run on this machine before it is started: a start request for a program that is not
// installed gets a clear refusal ("'claude' is not on this runner's PATH") instead of an agent that exits at once.
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Why `program` cannot be run from `cwd` with this PATH, or undefined when it can. */
export function commandProblem(program: string, cwd: string, pathEnv: string | undefined): string | undefined {
  if (program.includes('/')) {
    return executable(path.resolve(cwd, program)) ? undefined : `'${program}' is not an executable file on this runner`;
  }
  const dirs = (pathEnv ?? '').split(path.delimiter).filter(Boolean);
  return dirs.some((dir) => executable(path.join(dir, program))) ? undefined : `command not found: '${program}' is not on this runner's PATH`;
}
