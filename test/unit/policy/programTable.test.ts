// The per-program table: which invocations of everyday programs are read-only, which options run code or
// write where the policy cannot see (hazards), and which files each command writes.
import assert from 'node:assert/strict';
import { parseShell } from '../../../src/core/policy/shellParse';
import type { ShellCommand } from '../../../src/core/policy/shellParse';
import { analyseSedScript } from '../../../src/core/policy/programs/sedScript';
import { awkProgramHazards } from '../../../src/core/policy/programs/awkProgram';
import { envHazard } from '../../../src/core/policy/programs/envVars';

/** The last command of a line (the one the row is about). */
function lastCommand(line: string): ShellCommand {
  const r = parseShell(line);
  assert.ok(r.ok, r.ok ? '' : r.error);
  const c = r.commands[r.commands.length - 1];
  assert.ok(c, `no command in ${line}`);
  return c;
}

const readOnly: string[] = [
  'ls -la src', '/bin/ls', '/usr/bin/ls -1', 'cat -n src/a.ts', 'head -20 f', 'tail -f log', 'grep -rn "x" src', 'rg -n foo',
  'wc -l f', 'sort -u f', 'sort -k2,2 -t, f', 'uniq -c', 'uniq f', 'cut -d: -f1 f', 'tr a-z A-Z', 'diff a b', 'stat f',
  'du -sh .', 'df -h', 'pwd', 'echo hi', 'printf "%s\\n" x', 'which node', 'date +%s', 'date -u', 'uname -a', 'jq .x f',
  "sed -n '1,20p' f", "sed -n '/start/,/end/p' f", "sed 's/a/b/g;s/c/d/' f", "sed -e 's|x|y|' -e '$d' f", "sed -n '$p' f",
  "awk '{print $1}' f", "awk -F: '$3 > 100 {print $1}' /etc/passwd", "awk 'BEGIN{FS=\",\"} {s+=$2} END{print s}' f",
  'xxd f', 'xxd -l 64 f', 'ps aux', 'ps -ef', 'ps -o pid,comm', 'git status', 'git -C sub log --oneline -5',
  'git --no-pager diff --stat', 'git show HEAD:src/a.ts', 'git grep -n foo', 'git blame f', 'find . -name "*.ts" -type f',
  'find src -maxdepth 2 -newer f -print0', 'less -R f', 'more f', 'tree -L 2', 'file f', 'hostname', 'command -v node',
  'printenv HOME', 'export NODE_ENV=test', 'npm --version', 'node -v', 'git --version',
];

const notReadOnly: [string, RegExp | null, string[]][] = [
  // [line, hazard (null: none, just not read-only), files written]
  ["sed 's/x/y/e' f", /sed script runs a command \(s\/\/\/e\)/, []],
  ["sed '1e id' f", /sed script runs a command \(e\)/, []],
  ["sed 's/x/y/w out' f", null, ['out']],
  ["sed -n '/x/w out' f", null, ['out']],
  ["sed -i 's/x/y/' f g", null, ['f', 'g']],
  ["sed -i '' 's/x/y/' f", null, ['f']],
  ['sed -f script.sed f', /from a file/, []],
  ["sed 'k' f", /not understood/, []],
  ['sed "$S" f', /built at run time/, []],
  ["awk 'BEGIN{system(\"id\")}'", /system/, []],
  ["awk '{print | \"sh\"}' f", /\(\|\)/, []],
  ["awk '\"id\" | getline x'", /\(\|\)/, []],
  ["awk '{print > \"out\"}' f", /writes a file/, []],
  ['awk -f prog.awk f', /not checked/, []],
  ['sort -o out f', null, ['out']],
  ['sort --output=out f', null, ['out']],
  ['sort --compress-program=./x f', /compress-program/, []],
  ['uniq in out', null, ['out']],
  ['xxd -r dump bin', null, ['bin']],
  ['xxd f out', null, ['out']],
  ['ps eww', /environments/, []],
  ['ps auxe', /environments/, []],
  ['ps -o pid,environ', /environments/, []],
  ['ps -Eax', /environments/, []],
  ['find . -delete', null, ['.']],
  ['find . -fprint out', null, ['out']],
  ['find . -exec rm {} ;', null, ['{}']],
  ['less +!id f', null, []],
  ['less -o log f', null, []],
  ['date -s 2020-01-01', null, []],
  ['hostname evil', null, []],
  ['tree -o out', null, ['out']],
  ['rg --pre ./x foo', /--pre runs a program/, []],
  ['fd -x rm', /fd -x runs a command/, []],
  ['env', null, []],
  ['printenv', null, []],
  ['printenv GITHUB_TOKEN', null, []],
  ['git -c core.pager=./x log', /git -c sets configuration \(core\.pager\)/, []],
  ['git --config-env=core.pager=X log', /--config-env/, []],
  ['git --exec-path=/tmp/x status', /exec-path/, []],
  ['git --git-dir=/tmp/x/.git log', /another repository/, []],
  ['git -p log', null, []],
  ['git log --output=out', null, ['out']],
  ['git diff --output out', null, ['out']],
  ['git diff --ext-diff', /--ext-diff runs a program/, []],
  ['git grep -O foo', /-O runs a program/, []],
  ['git grep --open-files-in-pager=vim foo', /--open-files-in-pager runs a program/, []],
  ['git config user.name x', null, ['.git/config']],
  ['git config --global core.fsmonitor ./x', /core\.fsmonitor, which runs a program/, ['~/.gitconfig']],
  ['git apply x.diff', /git apply writes/, []],
  ['git rebase -x ./x main', /runs a program/, []],
  ['git submodule foreach ./x', /foreach runs a command/, []],
  ['git clone https://x/r.git dir', null, ['dir']],
  ['tar -xzf a.tgz', /tar extracts files it does not name/, []],
  ['tar xzf a.tgz', /tar extracts files it does not name/, []],
  ['tar -xzf a.tgz -C build', null, ['build']],
  ['tar czf out.tgz src', null, ['out.tgz']],
  ['tar -cf - src --to-command=sh', /--to-command runs a program/, []],
  ['tar -I ./x -xf a -C d', /tar -I runs a program/, ['d']],
  ['unzip a.zip', /unzip writes/, []],
  ['unzip a.zip -d out', null, ['out']],
  ['patch -p1', /patch writes/, []],
  ['patch f x.diff', null, ['f']],
  ['cp a b c/', null, ['c/']],
  ['cp -t dest a b', null, ['dest']],
  ['mv a b', null, ['a', 'b']],
  ['ln -s target', null, ['target']],
  ['ln -s /etc/passwd link', null, ['link']],
  ['rm -rf a b', null, ['a', 'b']],
  ['chmod -R 755 dir', null, ['dir']],
  ['chown user:group f', null, ['f']],
  ['touch -d yesterday f', null, ['f']],
  ['mkdir -p -m 700 a/b', null, ['a/b']],
  ['tee -a out', null, ['out']],
  ['dd if=/dev/zero of=disk.img', null, ['disk.img']],
  ['curl -o out https://x', null, ['out']],
  ['python3 -c "import os"', /python3 runs inline code \(-c\)/, []],
  ['python3', /python3 runs code read from its input/, []],
  ['perl -e "unlink 1"', /perl runs inline code \(-e\)/, []],
  ['perl -lne "print" f', /perl runs inline code \(-e\)/, []],
  ['perl -pi.bak -e s/a/b/ f', /perl -i edits files in place/, ['f']],
  ['node -e "1"', /node runs inline code \(-e\)/, []],
  ['node --eval=1', /node runs inline code \(--eval\)/, []],
  ['node -p process.env', /node runs inline code \(-p\)/, []],
  ['ruby -e 1', /ruby runs inline code/, []],
  ['php -r "echo 1;"', /php runs inline code/, []],
  ['deno eval 1', /deno eval/, []],
  ['make SHELL=./x', /SHELL changes how recipes run/, []],
  ['npm test --script-shell=./x', /--script-shell/, []],
  ['zip -TT ./x a.zip f', /zip -TT runs a program/, ['a.zip']],
  ['./ls', /program named by a path: \.\/ls/, []],
  ['bin/ls', /program named by a path: bin\/ls/, []],
  ['~/ls', /program named by a path/, []],
  ['PAGER=./x git log', /PAGER names a program to run/, []],
  ['GIT_EXTERNAL_DIFF=./x git diff', /GIT_EXTERNAL_DIFF runs a program/, []],
  ['GIT_CONFIG_COUNT=1 git log', /GIT_CONFIG_COUNT sets git configuration/, []],
  ['LD_PRELOAD=./x.so ls', /LD_PRELOAD loads code/, []],
  ['LESSOPEN="|./x %s" less f', /LESSOPEN makes less run a program/, []],
  ['BASH_ENV=./x bash -c ls', /BASH_ENV makes a shell run commands/, []],
  ['export PATH=/tmp:$PATH', /PATH changes which files/, []],
  ['find . | xargs grep -l foo', null, []],
  ['env FOO=1 ls', /FOO is set/, []],
];

describe('program table', () => {
  for (const line of readOnly) {
    it(`${JSON.stringify(line)} is read-only`, () => {
      const c = lastCommand(line);
      assert.equal(c.readOnly, true, `hazards: ${c.hazards.join('; ')}`);
      assert.deepEqual(c.hazards, []);
      assert.deepEqual(c.writes, []);
    });
  }

  for (const [line, hazard, writes] of notReadOnly) {
    it(`${JSON.stringify(line)} is not read-only${hazard ? ` (${hazard.source})` : ''}${writes.length ? `, writes ${writes.join(' ')}` : ''}`, () => {
      const c = lastCommand(line);
      assert.equal(c.readOnly, false);
      if (hazard) assert.ok(c.hazards.some((h) => hazard.test(h)), `hazards: ${c.hazards.join('; ') || 'none'}`);
      else assert.deepEqual(c.hazards, []);
      assert.deepEqual([...c.writes], writes);
    });
  }

  it('never lets a write-capable command be read-only when xargs adds its arguments', () => {
    for (const line of ['ls | xargs sort', 'ls | xargs sed -n p', 'ls | xargs cat']) assert.equal(lastCommand(line).readOnly, false, line);
  });

  it('reads sed scripts: addresses, blocks, labels, y, a/i/c text, and w to /dev/stdout', () => {
    assert.deepEqual(analyseSedScript('/a/,/b/{s/x/y/g;p};:l;N;bl'), { hazards: [], writes: [] });
    assert.deepEqual(analyseSedScript('y/abc/xyz/;$!d'), { hazards: [], writes: [] });
    assert.deepEqual(analyseSedScript('1i\\\nheader\n2w /dev/stdout'), { hazards: [], writes: [] });
    assert.deepEqual(analyseSedScript('s/a/b/gw out.txt').writes, ['out.txt']);
    assert.match(analyseSedScript('s/a/b/ge').hazards.join(), /s\/\/\/e/);
  });

  it('reads awk programs: strings and regexes do not count, pipes and system do', () => {
    assert.deepEqual(awkProgramHazards('/a|b/ {print "x|y > z"}'), []);
    assert.deepEqual(awkProgramHazards('$1 > 3 || $2 < 1'), []);
    assert.ok(awkProgramHazards('{ printf "%s", $1 > "/tmp/x" }').length > 0);
    assert.ok(awkProgramHazards('BEGIN { while (("ls" | getline l) > 0) print l }').length > 0);
  });

  it('allows only harmless environment assignments', () => {
    for (const ok of ['CI=1', 'NODE_ENV=test', 'LC_ALL=C', 'FORCE_COLOR=0', 'PAGER=cat', 'GIT_PAGER=', 'myvar=1']) assert.equal(envHazard(ok), null, ok);
    for (const bad of ['GIT_DIR=x', 'GIT_SSH_COMMAND=x', 'LD_PRELOAD=x', 'EDITOR=x', 'PYTHONPATH=x', 'NODE_OPTIONS=x', 'IFS=x', 'PS4=x', 'PERL5OPT=x', 'RUBYOPT=x', 'PROMPT_COMMAND=x', 'SOMETHING=x']) {
      assert.notEqual(envHazard(bad), null, bad);
    }
  });
});
