// Walks a tree-sitter-bash syntax tree into the simple commands it runs: through lists, pipes, subshells,
// groups, $(...), backticks, <(...), bash -c, eval, here-documents fed to a shell, find -exec and wrappers
// (sudo, env, timeout, nice, xargs ...). Syntax the policy does not model is collected in `unmodeled`, and
// the commands inside it are still extracted so that a prohibited rule can match them.
import type { Node } from 'web-tree-sitter';
import type { ShellCommand, ShellRedirect } from './shellCommand';
import { simpleCommand } from './shellEmit';
import { parseBashTree } from './shellParser';
import { ERROR_SEPARATORS, FIND_EXEC, MAX_DEPTH, MAX_LENGTH, NOT_MODELED, ParseError, SEQUENCES, subshell, withoutHeredoc, WORDISH } from './shellScope';
import { envHazard } from './programs/envVars';
import type { Scope } from './shellScope';
import { displayWord, programName, substitutionsIn, wordValue } from './shellWords';
import { arithmeticHasEffects, hasExpansion, isBraceExpansion, joinContinuations, MAX_NODE_DEPTH, syntaxErrorOf } from './shellSyntax';
import { isAssignment, SHELLS, shellScript, unwrap, WRAPPERS } from './shellWrappers';

export class Walker {
  readonly commands: ShellCommand[] = [];
  readonly unmodeled = new Set<string>();
  readonly dynamic = new Set<string>();
  syntaxError: string | undefined;
  private nodeDepth = 0;

  /** Parses and walks a whole script; returns the commands it runs. */
  script(source: string, scope: Scope): ShellCommand[] {
    if (scope.depth > MAX_DEPTH) throw new ParseError('commands nested too deeply');
    if (source.length > MAX_LENGTH) throw new ParseError('the command is too long to inspect');
    const tree = parseBashTree(joinContinuations(source));
    if (!tree) throw new ParseError('shell parser not loaded');
    try {
      return this.root(tree.rootNode, scope);
    } finally {
      tree.delete();
    }
  }

  root(root: Node, scope: Scope): ShellCommand[] {
    const error = syntaxErrorOf(root);
    if (error) {
      this.syntaxError ??= error;
      this.unmodeled.add(`syntax error: ${error}`);
    }
    return this.statement(root, scope);
  }

  private enter(): void {
    if (++this.nodeDepth > MAX_NODE_DEPTH) throw new ParseError('commands nested too deeply');
  }

  private leave(): void {
    this.nodeDepth--;
  }

  /** The value of a word node; substitutions in it are walked and their commands added to `fed`. */
  word(node: Node, scope: Scope, fed: ShellCommand[]): string {
    if (isBraceExpansion(node)) this.unmodeled.add(`brace expansion ${node.text}`);
    for (const a of node.type === 'arithmetic_expansion' ? [node] : []) {
      if (arithmeticHasEffects(a.text)) this.unmodeled.add(`arithmetic with side effects ${a.text}`);
    }
    const value = wordValue(node, {
      substitution: (sub) => {
        fed.push(...this.substitution(sub, scope));
        const inner = sub.text.replace(/^(\$\(|`|<\(|>\()/, '').replace(/(\)|`)$/, '');
        return sub.type === 'process_substitution' ? `${sub.text.slice(0, 2)}${inner})` : `$(${inner})`;
      },
    });
    if (hasExpansion(node)) this.dynamic.add(value);
    return value;
  }

  private substitution(node: Node, scope: Scope): ShellCommand[] {
    const inner: Scope = { ...withoutHeredoc(subshell(scope)), feeders: [], redirects: [], stdinFed: false };
    const out: ShellCommand[] = [];
    for (const c of node.namedChildren) if (c) out.push(...this.statement(c, inner));
    return out;
  }

  /** Walks the substitutions inside any node (for values, test expressions, case patterns). */
  private substitutionsOf(node: Node, scope: Scope): ShellCommand[] {
    const out: ShellCommand[] = [];
    if (node.type === 'command_substitution' || node.type === 'process_substitution') return this.substitution(node, scope);
    for (const sub of substitutionsIn(node)) out.push(...this.substitution(sub, scope));
    return out;
  }

  statement(node: Node, scope: Scope): ShellCommand[] {
    this.enter();
    try {
      return this.statementInner(node, scope);
    } finally {
      this.leave();
    }
  }

  private statementInner(node: Node, scope: Scope): ShellCommand[] {
    const type = node.type;
    if (type === 'comment' || !node.isNamed) return [];
    if (type === 'command') return this.command(node, scope);
    if (type === 'pipeline') return this.pipeline(node.namedChildren.filter((c): c is Node => c !== null), scope);
    if (type === 'redirected_statement') return this.redirected(node, scope);
    if (type === 'variable_assignment' || type === 'variable_assignments') return this.assignments(node, scope);
    if (type === 'declaration_command' || type === 'unset_command') return this.declaration(node, scope);
    if (type === 'test_command') return this.test(node, scope);
    if (type === 'function_definition') {
      const name = node.childForFieldName('name')?.text ?? '';
      this.unmodeled.add(`function definition ${name}`);
      const body = node.childForFieldName('body');
      return body ? this.statement(body, subshell(scope)) : [];
    }
    if (type === 'compound_statement' && node.child(0)?.type === '((') {
      if (arithmeticHasEffects(node.text)) this.unmodeled.add(`arithmetic with side effects ${node.text}`);
      return this.substitutionsOf(node, scope);
    }
    if (WORDISH.has(type)) return this.substitutionsOf(node, scope);
    if (type === 'ERROR') {
      this.syntaxError ??= 'syntax error';
      this.unmodeled.add(`syntax error near ${JSON.stringify(node.text.slice(0, 30))}`);
      return this.errorFallback(node, scope);
    } else if (!SEQUENCES.has(type)) this.unmodeled.add(`${type.replace(/_/g, ' ')}`);
    const inner = type === 'subshell' ? subshell(scope) : scope;
    const out: ShellCommand[] = [];
    for (const c of node.namedChildren) if (c) out.push(...this.statement(c, inner));
    return out;
  }

  /**
   * Best effort inside a syntax error: the words between separators are taken as commands, so a prohibited
   * rule still sees `rm -rf ~` in `[ -d ~ ] && rm -rf ~` (which tree-sitter-bash cannot parse).
   */
  private errorFallback(node: Node, scope: Scope): ShellCommand[] {
    const out: ShellCommand[] = [];
    let words: string[] = [];
    let startsWithWord = false;
    const flush = (): void => {
      // Only a run that starts like a command (a word, not a stray quote or operator) is taken as one.
      if (words.length && startsWithWord) out.push(...this.emitWords(words, [], scope));
      words = [];
    };
    const start = (n: Node): void => {
      if (!words.length) startsWithWord = n.isNamed && (n.type === 'word' || n.type === 'command_name' || n.type === 'string' || n.type === 'raw_string' || n.type === 'concatenation');
    };
    const leaves = (n: Node): void => {
      if (WORDISH.has(n.type)) words.push(this.word(n, scope, out));
      else if (n.childCount === 0) words.push(n.text);
      else for (const c of n.children) if (c) leaves(c);
    };
    for (const c of node.children) {
      if (!c) continue;
      if (!c.isNamed && ERROR_SEPARATORS.has(c.type)) flush();
      else if (c.isNamed && (c.type === 'command' || c.type === 'pipeline' || c.type === 'list' || c.type === 'redirected_statement' || c.type === 'subshell' || c.type === 'compound_statement')) {
        flush();
        out.push(...this.statement(c, scope));
      } else if (c.type !== 'comment') {
        start(c);
        leaves(c);
      }
    }
    flush();
    return out;
  }

  private pipeline(stages: Node[], scope: Scope, first: ShellCommand[] = []): ShellCommand[] {
    const out = [...first];
    let feeders = [...scope.feeders, ...first];
    for (const stage of stages) {
      const done = this.statement(stage, { ...subshell(scope), feeders, stdinFed: true });
      out.push(...done);
      feeders = [...feeders, ...done];
    }
    return out;
  }

  /** Redirections of a statement; returns the redirects, here-document body, and commands their words run. */
  private redirects(nodes: Node[], scope: Scope, fed: ShellCommand[]): { redirects: ShellRedirect[]; heredoc?: string; stdin: boolean; after: Node[] } {
    const redirects: ShellRedirect[] = [];
    let heredoc: string | undefined;
    let stdin = false;
    const after: Node[] = [];
    for (const r of nodes) {
      if (r.type === 'file_redirect') {
        const op = r.children.find((c) => c && !c.isNamed && /[<>]/.test(c.type))?.type ?? '>';
        const dest = r.childrenForFieldName('destination').filter((c): c is Node => c !== null);
        if (!dest.length) continue;
        const target = dest.map((d) => this.word(d, scope, fed)).join(' ');
        if (op === '>&' || op === '<&' || op === '>&-' || op === '<&-') {
          if (/^(\d+|-)$/.test(target)) continue;
        }
        const access = op.startsWith('<') && op !== '<>' ? 'read' : 'write';
        if (access === 'read') stdin = true;
        redirects.push({ access, target });
      } else if (r.type === 'herestring_redirect') {
        stdin = true;
        // The here-string is the command's input: a shell reading it runs it as a script.
        const text = r.namedChildren.map((c) => (c ? this.word(c, scope, fed) : '')).join(' ');
        heredoc = `${text}\n`;
      } else if (r.type === 'heredoc_redirect') {
        stdin = true;
        const start = r.children.find((c) => c?.type === 'heredoc_start');
        const body = r.children.find((c) => c?.type === 'heredoc_body');
        const strip = r.children.some((c) => c?.type === '<<-');
        if (body) {
          let text = body.text;
          if (strip) text = text.replace(/^\t+/gm, '');
          heredoc = text;
          // An unquoted delimiter: $(...) and backticks in the body run before the command reads it.
          if (start && !/['"\\]/.test(start.text)) fed.push(...this.substitutionsOf(body, scope));
        }
        // tree-sitter-bash hangs the rest of the line (more redirects, `| next`, `&& next`) under the here-doc.
        for (let i = 0; i < r.childCount; i++) {
          const c = r.child(i);
          if (!c) continue;
          const field = r.fieldNameForChild(i);
          if (field === 'redirect') redirects.push(...this.redirects([c], scope, fed).redirects);
          else if (c.type === 'pipeline' || field === 'right') after.push(c);
        }
      }
    }
    return { redirects, ...(heredoc !== undefined ? { heredoc } : {}), stdin, after };
  }

  private redirected(node: Node, scope: Scope): ShellCommand[] {
    const fed: ShellCommand[] = [];
    const rs = node.childrenForFieldName('redirect').filter((c): c is Node => c !== null);
    const r = this.redirects(rs, scope, fed);
    const body = node.childForFieldName('body');
    const inner: Scope = {
      ...scope,
      feeders: [...scope.feeders, ...fed],
      redirects: [...scope.redirects, ...r.redirects],
      stdinFed: scope.stdinFed || r.stdin,
      ...(r.heredoc !== undefined ? { heredoc: r.heredoc } : {}),
    };
    const done = body ? this.statement(body, inner) : [];
    const out = [...fed, ...done];
    for (const next of r.after) {
      if (next.type === 'pipeline') out.push(...this.pipeline(next.namedChildren.filter((c): c is Node => c !== null), scope, done).slice(done.length));
      else out.push(...this.statement(next, scope));
    }
    return out;
  }

  private assignmentText(node: Node, scope: Scope, fed: ShellCommand[]): string {
    const name = node.childForFieldName('name')?.text ?? '';
    const value = node.childForFieldName('value');
    const op = node.text.slice(name.length).startsWith('+=') ? '+=' : '=';
    return `${name}${op}${value ? this.word(value, scope, fed) : ''}`;
  }

  private assignments(node: Node, scope: Scope): ShellCommand[] {
    const fed: ShellCommand[] = [];
    const list = node.type === 'variable_assignment' ? [node] : node.namedChildren.filter((c): c is Node => c?.type === 'variable_assignment');
    for (const a of list) {
      const text = this.assignmentText(a, scope, fed);
      // On its own the assignment changes the environment of every later command (PATH, GIT_DIR, ...).
      const hazard = envHazard(text);
      if (hazard) this.unmodeled.add(`assignment for later commands: ${hazard}`);
    }
    return fed;
  }

  private declaration(node: Node, scope: Scope): ShellCommand[] {
    const fed: ShellCommand[] = [];
    const keyword = node.child(0)?.text ?? 'export';
    const args: string[] = [];
    const rs: Node[] = [];
    for (const c of node.namedChildren) {
      if (!c) continue;
      if (c.type === 'variable_assignment') args.push(this.assignmentText(c, scope, fed));
      else if (c.type.endsWith('redirect')) rs.push(c);
      else args.push(this.word(c, scope, fed));
    }
    if ((keyword === 'declare' || keyword === 'typeset' || keyword === 'export') && args.some((a) => /^-\w*[fF]/.test(a))) {
      this.unmodeled.add(`${keyword} -f works on shell functions`);
    }
    const r = this.redirects(rs, scope, fed);
    const s: Scope = { ...scope, feeders: [...scope.feeders, ...fed], redirects: [...scope.redirects, ...r.redirects] };
    return [...fed, this.emit([keyword, ...args], [], s.via, s, scope.moreArgsUnknown)];
  }

  private test(node: Node, scope: Scope): ShellCommand[] {
    const fed: ShellCommand[] = [];
    const words: string[] = [];
    const collect = (n: Node): void => {
      for (const c of n.namedChildren) {
        if (!c) continue;
        if (WORDISH.has(c.type)) words.push(this.word(c, scope, fed));
        else collect(c);
      }
    };
    collect(node);
    const name = node.child(0)?.type === '[[' ? '[[' : '[';
    return [...fed, this.emit([name, ...words], [], scope.via, { ...scope, feeders: [...scope.feeders, ...fed] }, scope.moreArgsUnknown)];
  }

  private command(node: Node, scope: Scope): ShellCommand[] {
    const fed: ShellCommand[] = [];
    const assignments: string[] = [];
    const words: string[] = [];
    const rs: Node[] = [];
    let dynamicName = false;
    for (let i = 0; i < node.childCount; i++) {
      const c = node.child(i);
      if (!c || !c.isNamed) continue;
      const field = node.fieldNameForChild(i);
      if (c.type === 'variable_assignment') assignments.push(this.assignmentText(c, scope, fed));
      else if (field === 'redirect' || c.type.endsWith('_redirect')) rs.push(c);
      else if (c.type === 'command_name') {
        const inner = c.namedChild(0) ?? c;
        dynamicName = hasExpansion(inner);
        words.push(this.word(inner, scope, fed));
      } else if (c.type !== 'comment') words.push(this.word(c, scope, fed));
    }
    if (dynamicName) this.unmodeled.add(`command name computed at run time: ${words[0]}`);
    const r = this.redirects(rs, scope, fed);
    const s: Scope = {
      ...scope,
      feeders: [...scope.feeders, ...fed],
      redirects: [...scope.redirects, ...r.redirects],
      stdinFed: scope.stdinFed || r.stdin,
      ...(r.heredoc !== undefined ? { heredoc: r.heredoc } : {}),
    };
    const emitted = words.length ? this.emitWords(words, assignments, s) : [];
    if (!words.length) {
      for (const a of assignments) {
        const hazard = envHazard(a);
        if (hazard) this.unmodeled.add(`assignment for later commands: ${hazard}`);
      }
    }
    for (const c of emitted) {
      if ((c.name === 'cd' || c.name === 'pushd') && c.via.length === scope.via.length) {
        const target = c.operands[0] ?? '~';
        if (target === '-' || this.dynamic.has(target) || /[$`]/.test(target)) scope.cwd.dirUnknown = true;
        else scope.cwd.dirs.push(target);
      }
    }
    const out = [...fed, ...emitted];
    for (const next of r.after) out.push(...this.statement(next, scope));
    return out;
  }

  private nested(source: string, scope: Scope, via: string[], more: boolean): ShellCommand[] {
    return this.script(source, { ...subshell(scope), depth: scope.depth + 1, via, moreArgsUnknown: more });
  }

  /** Peels wrappers off one simple command's words and emits what actually runs. */
  private emitWords(input: string[], prefix: string[], scope: Scope): ShellCommand[] {
    let words = input;
    const assignments = [...prefix];
    const via = [...scope.via];
    let more = scope.moreArgsUnknown;
    for (;;) {
      while (words.length && isAssignment(words[0]!) && via.length > scope.via.length) assignments.push(words.shift()!);
      if (!words.length) return [];
      const name = programName(words[0]!);
      const extra: string[] = [];
      if (NOT_MODELED[name]) this.unmodeled.add(NOT_MODELED[name]);
      if (name === 'eval' || name === 'trap') {
        const script = name === 'eval' ? words.slice(1).join(' ') : (words[1] ?? '');
        if (words.slice(1).some((w) => this.dynamic.has(w))) this.unmodeled.add(`${name} of text built at run time`);
        this.unmodeled.add(name === 'eval' ? 'eval runs a string as a command' : NOT_MODELED.trap!);
        return this.nested(script, scope, [...via, name], more);
      }
      if ((name === 'source' || name === '.') && ['/dev/stdin', '-', '/proc/self/fd/0', '/dev/fd/0'].includes(words[1] ?? '') && scope.heredoc !== undefined) {
        return this.nested(scope.heredoc, withoutHeredoc(scope), [...via, name], more);
      }
      if (SHELLS.has(name)) {
        const { script, readsStdin } = shellScript(words);
        const inner: Scope = { ...scope, env: [...scope.env, ...assignments] };
        if (script !== null) {
          if (this.dynamic.has(script)) this.unmodeled.add(`${name} -c runs a script built at run time`);
          // Under xargs or find -exec the script (or its {} placeholder) comes from the input.
          if (more && (script.trim() === '' || script.includes('{}'))) this.unmodeled.add(`${name} -c runs text from its input`);
          return this.nested(script, inner, [...via, name], more);
        } else if (readsStdin && scope.heredoc !== undefined) {
          return this.nested(scope.heredoc, withoutHeredoc(inner), [...via, name], more);
        } else if (readsStdin && scope.stdinFed) extra.push(`${name} runs a script from its input`);
        return [this.emit(words, assignments, via, scope, more, extra)];
      }
      const spec = WRAPPERS[name];
      if (spec) {
        const u = unwrap(spec, words);
        if (u.rest === null) return [this.emit(words, assignments, via, scope, more)];
        assignments.push(...u.assignments);
        via.push(name);
        if (spec.appendsArgs) more = true;
        if (u.splitString !== undefined) {
          // env -S: a command line of its own.
          return this.nested([u.splitString, ...u.rest.map(displayWord)].join(' '), scope, via, more);
        }
        words = u.rest;
        continue;
      }
      if (name === 'find') {
        const out = [this.emit(words, assignments, via, scope, more)];
        for (let i = 1; i < words.length; i++) {
          if (!FIND_EXEC.has(words[i]!)) continue;
          let end = i + 1;
          while (end < words.length && words[end] !== ';' && words[end] !== '+') end++;
          out.push(...this.emitWords(words.slice(i + 1, end), [], { ...scope, via: [...via, 'find'], moreArgsUnknown: true }));
          i = end;
        }
        return out;
      }
      return [this.emit(words, assignments, via, scope, more, extra)];
    }
  }

  private emit(words: string[], assignments: string[], via: string[], scope: Scope, moreArgsUnknown: boolean, extraHazards: string[] = []): ShellCommand {
    const command = simpleCommand(words, assignments, via, scope, moreArgsUnknown, extraHazards, (w) => this.dynamic.has(w));
    this.commands.push(command);
    return command;
  }
}
