// Reads an awk program far enough to know whether it only transforms text: no system(), no pipes to or from
// commands (`print | "sh"`, `"cmd" | getline`), no output redirection to files (`print > "f"`), no extension
// loading. It errs towards "may run something": a comparison with > inside a print statement counts.

export function awkProgramHazards(program: string): string[] {
  const hazards = new Set<string>();
  // Blank out string literals, regex literals and comments so their contents cannot look like code.
  let code = '';
  let prev = '';
  for (let i = 0; i < program.length; i++) {
    const ch = program[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < program.length && program[j] !== '"') j += program[j] === '\\' ? 2 : 1;
      code += ' "" ';
      i = j;
    } else if (ch === '#') {
      const end = program.indexOf('\n', i);
      i = end < 0 ? program.length : end - 1;
    } else if (ch === '/' && (prev === '' || /[(,~!&|{};\n]/.test(prev))) {
      let j = i + 1;
      while (j < program.length && program[j] !== '/' && program[j] !== '\n') j += program[j] === '\\' ? 2 : 1;
      code += ' // ';
      i = j;
    } else code += ch;
    if (!/\s/.test(ch)) prev = ch === '"' || ch === '/' ? 'x' : ch;
  }
  if (/\bsystem\s*\(/.test(code)) hazards.add('awk program runs a command (system)');
  if (/(^|[^|])\|(?!\|)/.test(code.replace(/\|\|/g, '  '))) hazards.add('awk program runs a command (|)');
  if (/@\s*load\b|@\s*include\b/.test(code)) hazards.add('awk program loads code (@load)');
  // Output redirection: > or >> after print/printf in the same statement.
  for (const statement of code.split(/[;{}\n]/)) {
    if (/\bprintf?\b[^]*>(?!=)/.test(statement)) hazards.add('awk program writes a file (print >)');
  }
  return [...hazards];
}
