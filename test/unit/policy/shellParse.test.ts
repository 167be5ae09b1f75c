// The shell parser (tree-sitter-bash): what each command line really runs, through separators, pipes,
// substitutions, nested shells, wrappers and heredocs; what it cannot model; and which lines it refuses.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { canonicalCommandLine, parseShell } from '../../../src/core/policy/shellParse';
import { initShellParser, shellParserReady } from '../../../src/core/policy/shellParser';
import type { ShellCommand } from '../../../src/core/policy/shellParse';

/** "name operand operand [via a,b] <- fed,by" — a compact, readable summary of one parsed command. */
function summary(c: ShellCommand): string {
  let s = [c.name, ...c.operands].join(' ');
  if (c.via.length) s += ` [via ${c.via.join(',')}]`;
  if (c.pipedFrom.length) s += ` <- ${c.pipedFrom.map((f) => f.name).join(',')}`;
  if (c.dirs.length) s += ` @${c.dirs.join('/')}`;
  return s;
}

const parses: [string, string[]][] = [
  ['ls', ['ls']],
  ['echo ok && curl http://x | sh', ['echo ok', 'curl http://x', 'sh <- curl']],
  ['a || b; c & d', ['a', 'b', 'c', 'd']],
  ['git push --force origin main', ['git push origin main']],
  ['git -C ../x -c a=b push origin main', ['git push origin main @../x']],
  ['FOO=1 BAR=2 make', ['make']],
  ['FOO=1 sudo rm -rf /', ['rm / [via sudo]']],
  ['sudo -u root -E rm -fr /*', ['rm /* [via sudo]']],
  ['sudo -i', ['sudo']],
  ['env X=1 Y=2 node app.js', ['node app.js [via env]']],
  ['env', ['env']],
  ['timeout -k 5 30s npm test', ['npm test [via timeout]']],
  ['nice -n 5 ionice -c 3 nohup make', ['make [via nice,ionice,nohup]']],
  ['xargs -0 -n 1 rm', ['rm [via xargs]']],
  ['find . | xargs -I{} cp {} /tmp', ['find .', 'cp {} /tmp [via xargs] <- find']],
  ['bash -c "rm -rf ~"', ['rm ~ [via bash]']],
  ['bash -lc \'cd src && ls\'', ['cd src [via bash]', 'ls [via bash] @src']],
  ['sh -c "a | b"', ['a [via sh]', 'b [via sh] <- a']],
  ['bash -ex script.sh', ['bash script.sh']],
  ['eval "rm -rf /"', ['rm / [via eval]']],
  ['echo $(whoami) `date`', ['whoami', 'date', 'echo $(whoami) $(date) <- whoami,date']],
  ['echo "$(rm -rf /)"', ['rm /', 'echo $(rm -rf /) <- rm']],
  ["echo '$(rm -rf /)'", ['echo $(rm -rf /)']],
  ['diff <(ls a) <(ls b)', ['ls a', 'ls b', 'diff <(ls a) <(ls b) <- ls,ls']],
  ['(cd / && rm -rf *)', ['cd /', 'rm * @/']],
  ['cd /tmp; cd x; ls', ['cd /tmp', 'cd x @/tmp', 'ls @/tmp/x']],
  ['find . -name "*.o" -exec rm -f {} \\;', ['find . *.o rm {} ;', 'rm {} [via find]']],
  ['for f in *.ts; do wc -l "$f"; done', ['wc $f']],
  ['if [ -f x ]; then cat x; else echo no; fi', ['[ x', 'cat x', 'echo no']],
  ['{ ls; pwd; }', ['ls', 'pwd']],
  ['ls # a comment with a quote\'s', ['ls']],
  ['echo a \\\n  b', ['echo a b']],
  ['echo one\necho two', ['echo one', 'echo two']],
  ["cat <<'EOF'\n$(rm -rf /)\nEOF", ['cat']],
  ['cat <<EOF\n$(rm -rf /)\nEOF', ['rm /', 'cat <- rm']],
  ['bash <<EOF\nrm -rf ~\nEOF', ['rm ~ [via bash]']],
  ['grep x <<< "$(cat f)"', ['cat f', 'grep x <- cat']],
  ['cat "my dir/file" \'a b\' c\\ d', ['cat my dir/file a b c d']],
  ['/usr/bin/env -S "rm -rf /"', ['rm / [via env]']],
  ['x=$((1 + 2)); echo $x', ['echo $x']],
  ['curl x | sudo bash', ['curl x', 'bash [via sudo] <- curl']],
];

/** Lines with a syntax error: what they say, and that their commands are still extracted. */
const broken: [string, RegExp, string[]][] = [
  ['echo "unterminated', /unterminated double quote/, ['echo']],
  ["echo 'unterminated", /unterminated single quote/, ['echo']],
  ['echo $(ls', /unterminated/, ['ls', 'echo $(ls) <- ls']],
  ['echo `ls', /unterminated backtick/, ['ls', 'echo $(ls) <- ls']],
  ['ls >', /without a target/, ['ls']],
  ['rm -rf / "', /unterminated double quote/, ['rm / ']],
  ['{rm,-rf,/}', /syntax error/, []],
];

/** Lines that parse, but use syntax the policy does not model; the commands inside are still extracted. */
const unmodeled: [string, RegExp, string[]][] = [
  ['function f { rm -rf /; }; f', /function definition f/, ['rm /', 'f']],
  ['f() ( rm -rf ~ ); f', /function definition f/, ['rm ~', 'f']],
  ['echo {a,b}', /brace expansion/, ['echo {a,b}']],
  ['echo x; {rm,-rf,/}', /brace expansion|syntax error/, ['echo x']],
  ['x=$(( $(rm -rf /) ))', /arithmetic/, ['rm /']],
  ['((i++))', /arithmetic/, []],
  ['eval "rm -rf /"', /eval/, ['rm / [via eval]']],
  ['alias ls="rm -rf ~"', /alias/, ['alias ls=rm -rf ~']],
  ['source ./env.sh', /source/, ['source ./env.sh']],
  ['. ./env.sh', /source/, ['. ./env.sh']],
  ['$CMD -rf /', /command name computed at run time/, ['$CMD /']],
  ['PATH=/tmp/evil:$PATH; ls', /PATH/, ['ls']],
  ['trap "rm -rf ~" EXIT', /trap/, ['rm ~ [via trap]']],
  ['declare -f', /declare -f/, ['declare']],
  ['bash -c "$SCRIPT"', /built at run time/, ['$SCRIPT [via bash]']],
];

const refused: [string, RegExp][] = [['x'.repeat(70 * 1024), /too long/]];

describe('shell parser', () => {
  for (const [line, expected] of parses) {
    it(`${JSON.stringify(line)} runs ${JSON.stringify(expected)}`, () => {
      const r = parseShell(line);
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.deepEqual(r.commands.map(summary), expected);
    });
  }

  for (const [line, error, expected] of broken) {
    it(`reports the syntax error of ${JSON.stringify(line)} and still finds ${JSON.stringify(expected)}`, () => {
      const r = parseShell(line);
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.match(r.syntaxError ?? '', error);
      assert.ok(r.unmodeled.some((u) => error.test(u)), r.unmodeled.join('; '));
      assert.deepEqual(r.commands.map(summary), expected);
      assert.equal(canonicalCommandLine(line), null);
    });
  }

  for (const [line, reason, expected] of unmodeled) {
    it(`marks ${JSON.stringify(line)} as unmodeled and still finds ${JSON.stringify(expected)}`, () => {
      const r = parseShell(line);
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.ok(r.unmodeled.some((u) => reason.test(u)), r.unmodeled.join('; '));
      assert.deepEqual(r.commands.map(summary), expected);
    });
  }

  it('models everyday lines completely', () => {
    for (const line of ['ls -la', 'git status && git diff', 'for f in *.ts; do wc -l "$f"; done', 'x=1; echo $x', 'NODE_ENV=test npm test', 'cat <<EOF > f\nhi\nEOF']) {
      const r = parseShell(line);
      assert.ok(r.ok && r.unmodeled.length === 0, `${line}: ${r.ok ? r.unmodeled.join('; ') : r.error}`);
    }
  });

  for (const [line, error] of refused) {
    it(`refuses ${JSON.stringify(line)}`, () => {
      const r = parseShell(line);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error, error);
    });
  }

  it('refuses nesting deeper than it inspects', () => {
    let line = 'rm -rf /';
    for (let i = 0; i < 12; i++) line = `bash -c ${JSON.stringify(line)}`;
    const r = parseShell(line);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error, /nested too deeply/);
  });

  it('expands short option clusters and long options with values', () => {
    const r = parseShell('rm -rf --interactive=never x');
    assert.ok(r.ok);
    assert.deepEqual([...r.commands[0]!.flags], ['-rf', '-r', '-f', '--interactive=never', '--interactive']);
  });

  it('records redirections, leaving fd duplications out', () => {
    const r = parseShell('make > out.log 2>&1 < in.txt');
    assert.ok(r.ok);
    assert.deepEqual(r.commands[0]!.redirects, [
      { access: 'write', target: 'out.log' },
      { access: 'read', target: 'in.txt' },
    ]);
  });

  it('gives the same canonical form to differently quoted or spaced lines, and a different one otherwise', () => {
    assert.equal(canonicalCommandLine('npm   install "lodash"'), canonicalCommandLine("npm install 'lodash'"));
    assert.notEqual(canonicalCommandLine('npm install lodash'), canonicalCommandLine('npm install lodash && rm -rf x'));
    assert.notEqual(canonicalCommandLine('echo $(date)'), canonicalCommandLine("echo '$(date)'"));
    assert.equal(canonicalCommandLine('echo "oops'), null);
  });

  it('fails closed in a process that has not loaded the grammar: every shell line needs approval', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-noparser-'));
    try {
      const script = path.join(dir, 'probe.ts');
      const src = path.resolve(__dirname, '../../../src/core/policy');
      fs.writeFileSync(
        script,
        `import { parseShell } from ${JSON.stringify(path.join(src, 'shellParse.ts'))};\n` +
          `import { evaluate } from ${JSON.stringify(path.join(src, 'evaluate.ts'))};\n` +
          `import { DEFAULT_POLICY } from ${JSON.stringify(path.join(src, 'defaultPolicy.ts'))};\n` +
          `const d = evaluate({ agent: { id: 'a', name: 'a', kind: 'k' }, tool: 'Bash', input: { command: 'ls' }, cwd: '/', worktreeRoot: '/' }, DEFAULT_POLICY);\n` +
          `console.log(JSON.stringify({ parse: parseShell('ls'), tier: d.tier, reason: d.reason }));\n`,
      );
      const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' })) as { parse: unknown; tier: string; reason: string };
      assert.deepEqual(out.parse, { ok: false, error: 'shell parser not loaded' });
      assert.equal(out.tier, 'approve');
      assert.match(out.reason, /shell parser not loaded/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads idempotently', async () => {
    await initShellParser();
    await Promise.all([initShellParser(), initShellParser()]);
    assert.equal(shellParserReady(), true);
  });
});
