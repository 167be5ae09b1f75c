// The policy Flotilla ships: reading and editing inside the worktree and everyday read-only commands run
// silently, local changes are reported, network, installs, pushes and privilege ask a human, and a few
// actions that cannot be taken back are prohibited. Anything no rule covers asks a human (defaultTier).
import type { CommandPattern, PolicyFile, PolicyRule } from '../../shared/policy';
import { READ_TOOLS, SHELL_TOOLS, WRITE_TOOLS } from './requestUnits';

const shell = [...SHELL_TOOLS];

/**
 * Commands that only read, print or move the shell around, when the program table agrees for the options
 * given (`readOnly: true`): `sort -o f`, `sed 's/x/y/w f'`, `ps e` or `find -delete` are not read-only.
 */
const READ_ONLY_COMMANDS = [
  'ls', 'll', 'dir', 'cat', 'head', 'tail', 'less', 'more', 'grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack', 'fd', 'find',
  'wc', 'sort', 'uniq', 'cut', 'tr', 'diff', 'cmp', 'comm', 'file', 'stat', 'du', 'df', 'pwd', 'echo', 'printf',
  'true', 'false', 'test', '[', '[[', 'which', 'type', 'whereis', 'whoami', 'id', 'date', 'uname', 'hostname',
  'printenv', 'env', 'basename', 'dirname', 'realpath', 'readlink', 'tree', 'jq', 'sed', 'xxd', 'hexdump', 'od',
  'md5sum', 'sha1sum', 'sha256sum', 'sha512sum', 'shasum', 'cksum', 'seq', 'sleep', 'cd', 'pushd', 'popd', 'column',
  'nl', 'tac', 'rev', 'paste', 'join', 'fold', 'expand', 'unexpand', 'fmt', 'strings', 'nproc', 'free', 'uptime',
  'ps', 'export', 'set', 'unset', 'local', 'read', 'shift', 'wait', 'exit', 'return', ':', 'cal', 'locale', 'tput',
  'command', 'hash', 'history', 'awk', 'gawk', 'mawk', 'nawk', 'declare', 'typeset', 'readonly', 'groups', 'arch',
  'getconf', 'logname', 'tty', 'users', 'who', 'w', 'lsb_release', 'sw_vers', 'look', 'numfmt', 'base32', 'base64',
  'basenc', 'factor', 'expr', 'tsort', 'pr', 'iconv', 'lscpu', 'lsblk', 'vmstat', 'pgrep', 'vdir', 'dirs', 'sum', 'b2sum',
  'sha224sum', 'sha384sum',
  // Toolchains, read-only only as a bare version query (`npm --version`).
  'node', 'npm', 'npx', 'pnpm', 'yarn', 'bun', 'deno', 'python', 'python3', 'pip', 'pip3', 'ruby', 'perl', 'php', 'go',
  'cargo', 'rustc', 'rustup', 'java', 'javac', 'gcc', 'g++', 'clang', 'make', 'cmake', 'tsc', 'docker', 'kubectl',
  'terraform', 'uv', 'poetry', 'dotnet', 'swift', 'gradle', 'mvn',
];

/** git subcommands that only read the repository. */
const GIT_READ = [
  'status', 'diff', 'log', 'show', 'blame', 'grep', 'ls-files', 'ls-tree', 'rev-parse', 'describe', 'shortlog',
  'reflog', 'cat-file', 'rev-list', 'merge-base', 'name-rev', 'whatchanged', 'help', 'version', 'check-ignore',
  'for-each-ref', 'show-ref', 'var', 'count-objects', 'diff-tree', 'diff-files', 'diff-index', 'range-diff',
];

/** git subcommands that change the local repository or worktree, or fetch from its remotes. */
const GIT_LOCAL = [
  'add', 'commit', 'checkout', 'switch', 'restore', 'stash', 'merge', 'rebase', 'cherry-pick', 'revert', 'tag',
  'branch', 'mv', 'rm', 'worktree', 'fetch', 'pull', 'init', 'am', 'apply', 'notes', 'config', 'remote', 'reset',
  'submodule', 'sparse-checkout', 'bisect', 'format-patch', 'ls-remote',
];

/** Commands that change files in place or run the project's own code. */
const LOCAL_COMMANDS = [
  'mkdir', 'touch', 'cp', 'mv', 'rm', 'rmdir', 'ln', 'chmod', 'tee', 'patch', 'tar', 'unzip', 'zip',
  'gzip', 'gunzip', 'node', 'deno', 'python', 'python3', 'ruby', 'perl', 'php', 'make', 'cmake', 'ninja', 'gcc',
  'g++', 'cc', 'clang', 'rustc', 'javac', 'java', 'tsc', 'tsx', 'ts-node', 'eslint', 'prettier', 'mocha', 'jest',
  'vitest', 'pytest', 'esbuild', 'vite', 'webpack', 'kill', 'code', 'shellcheck', 'black', 'ruff', 'mypy',
];

const PACKAGE_INSTALLS: CommandPattern[] = [
  { command: ['npm', 'pnpm', 'yarn', 'bun'], args: ['{install,i,in,ins,inst,add,ci,update,up,upgrade,dlx,x,exec,create,init}'] },
  'npx',
  'pnpx',
  'bunx',
  { command: ['pip', 'pip3', 'pipx', 'uv', 'poetry', 'conda', 'mamba'], args: ['{install,add,sync,update,upgrade}'] },
  { command: 'uv', args: ['pip', 'install'] },
  { command: 'python*', flags: [['-m']], args: ['pip', '{install,download}'] },
  { command: ['apt', 'apt-get', 'aptitude', 'dnf', 'yum', 'apk', 'pacman', 'zypper', 'snap', 'port'] },
  { command: 'brew', args: ['{install,upgrade,reinstall,tap,update}'] },
  { command: 'gem', args: ['{install,update}'] },
  { command: 'cargo', args: ['{install,add,update}'] },
  { command: 'go', args: ['{install,get}'] },
  { command: ['dpkg', 'rpm'], flags: [['-i', '--install', '-U']] },
];

const NETWORK_COMMANDS = ['curl', 'wget', 'ssh', 'scp', 'sftp', 'rsync', 'nc', 'ncat', 'netcat', 'telnet', 'ftp', 'socat', 'http', 'https', 'aria2c', 'lftp'];
const DOWNLOADERS = ['curl', 'wget', 'fetch', 'http', 'https', 'aria2c', 'lftp', 'nc', 'ncat'];

/** A refspec or branch argument that names the default branch (main or master) as the destination. */
const DEFAULT_BRANCH_REF = '{*:,}{refs/heads/,}{main,master}';

const rules: PolicyRule[] = [
  // ---- autonomous
  { id: 'default.read-in-worktree', tier: 'autonomous', description: 'Read files inside the worktree', tool: [...READ_TOOLS], path: { insideWorktree: true } },
  { id: 'default.edit-in-worktree', tier: 'autonomous', description: 'Edit files inside the worktree', tool: [...WRITE_TOOLS], path: { insideWorktree: true } },
  {
    id: 'default.agent-bookkeeping',
    tier: 'autonomous',
    description: "The agent's own bookkeeping tools",
    // Claude Code 2.1.x keeps its plan with TaskCreate/TaskUpdate/TaskList/TaskGet (TodoWrite before); TaskOutput and
    // TaskStop read and stop its background shells (BashOutput, KillShell before).
    tool: ['TodoWrite', 'TodoRead', 'Task', 'Agent', 'ExitPlanMode', 'BashOutput', 'KillShell', 'KillBash', 'update_plan', 'TaskCreate', 'TaskUpdate', 'TaskList', 'TaskGet', 'TaskOutput', 'TaskStop'],
  },
  // The rule also lets a read-only command's output be redirected into the worktree (`echo hi > out.txt`; stricter
  // rules catch writes elsewhere): its label says so, since audit entries and notifications show it.
  { id: 'default.read-only-commands', tier: 'autonomous', description: 'Read-only shell commands, and writing their output to files inside the worktree', tool: shell, command: { command: READ_ONLY_COMMANDS, readOnly: true } },
  { id: 'default.git-read', tier: 'autonomous', description: 'git commands that only read', tool: shell, command: { command: 'git', args: [`{${GIT_READ.join(',')}}`], readOnly: true } },

  // ---- notify
  { id: 'default.read-outside-worktree', tier: 'notify', description: 'Read files outside the worktree', tool: [...READ_TOOLS], path: { outsideWorktree: true } },
  { id: 'default.web-search', tier: 'notify', description: 'Web search', tool: ['WebSearch', 'web_search'] },
  { id: 'default.local-commands', tier: 'notify', description: 'Commands that change files or run project code', tool: shell, command: { command: LOCAL_COMMANDS } },
  { id: 'default.sed-in-place', tier: 'notify', description: 'sed editing files in place', tool: shell, command: { command: 'sed', flags: [['-i*', '--in-place*']] } },
  { id: 'default.find-delete', tier: 'notify', description: 'find deleting what it finds', tool: shell, command: { command: 'find', flags: [['-delete', '-fprint*', '-fls']] } },
  { id: 'default.git-local', tier: 'notify', description: 'git commands that change the local repository', tool: shell, command: { command: 'git', args: [`{${GIT_LOCAL.join(',')}}`] } },
  {
    id: 'default.package-scripts',
    tier: 'notify',
    description: "Running the project's scripts",
    tool: shell,
    command: [
      { command: ['npm', 'pnpm', 'yarn', 'bun'], args: ['{run,run-script,test,t,start,stop,restart,build,lint,ls,list,ll,why,explain,pack,prefix,root,bin,help,outdated,view,info,audit}'] },
      { command: 'cargo', args: ['{build,test,run,check,fmt,clippy,doc,bench,tree,metadata}'] },
      { command: 'go', args: ['{build,test,run,vet,fmt,mod,list,env,version,doc}'] },
      { command: ['pip', 'pip3'], args: ['{list,show,freeze,check}'] },
    ],
  },
  { id: 'default.shell-outside-worktree', tier: 'notify', description: 'Shell commands naming paths outside the worktree', tool: shell, path: { outsideWorktree: true } },

  // ---- approve
  { id: 'default.network-commands', tier: 'approve', description: 'Network access from the shell', tool: shell, command: { command: NETWORK_COMMANDS } },
  { id: 'default.web-fetch', tier: 'approve', description: 'Fetching a web page', tool: ['WebFetch', 'web_fetch'] },
  { id: 'default.package-installs', tier: 'approve', description: 'Installing packages', tool: shell, command: PACKAGE_INSTALLS },
  { id: 'default.git-push', tier: 'approve', description: 'Pushing to a remote', tool: shell, command: 'git push' },
  {
    id: 'default.git-remotes',
    tier: 'approve',
    description: 'Cloning a repository, or changing where a remote points',
    tool: shell,
    command: [{ command: 'git', args: ['clone'] }, { command: 'git', args: ['remote', '{add,set-url,rename}'] }],
  },
  {
    id: 'default.git-discard',
    tier: 'approve',
    description: 'git commands that throw away uncommitted work',
    tool: shell,
    command: [
      { command: 'git', args: ['reset'], flags: [['--hard', '--merge', '--keep']] },
      { command: 'git', args: ['clean'], flags: [['-f', '--force']] },
      { command: 'git', args: ['{checkout,restore}'], anyArg: ['.', ':/'] },
      { command: 'git', args: ['stash', '{drop,clear}'] },
      { command: 'git', args: ['{filter-branch,filter-repo,gc,prune,update-ref,replace}'] },
    ],
  },
  {
    id: 'default.privilege',
    tier: 'approve',
    description: 'Running as another user (sudo, doas, su)',
    tool: shell,
    command: [{ command: '*', via: ['sudo', 'doas'] }, { command: ['sudo', 'doas', 'su', 'pkexec'] }],
  },
  {
    id: 'default.changes-outside-worktree',
    tier: 'approve',
    description: 'Changing files outside the worktree from the shell',
    tool: shell,
    command: {
      command: ['rm', 'rmdir', 'mv', 'cp', 'ln', 'chmod', 'chown', 'chgrp', 'touch', 'mkdir', 'tee', 'truncate', 'dd', 'install', 'unlink', 'shred', 'find', 'sed', 'tar', 'unzip', 'patch'],
      argPaths: { outsideWorktree: true },
    },
  },
  {
    id: 'default.shell-writes-outside-worktree',
    tier: 'approve',
    description: 'Shell commands writing files outside the worktree (redirections, destinations, operands of rm, sort -o ...)',
    tool: shell,
    access: 'write',
    path: { outsideWorktree: true },
  },
  {
    id: 'default.protected-files',
    tier: 'approve',
    description: "Changing Flotilla's policy or git's internals",
    path: ['.flotilla/**', '.git', '.git/**'],
    access: 'write',
  },
  {
    id: 'default.protected-files-shell',
    tier: 'approve',
    description: "Changing Flotilla's policy or git's internals from the shell",
    tool: shell,
    command: { command: ['rm', 'rmdir', 'mv', 'cp', 'ln', 'chmod', 'tee', 'truncate', 'sed', 'touch'], argPaths: ['.flotilla', '.flotilla/**', '.git', '.git/**'] },
  },
  {
    id: 'default.secrets',
    tier: 'approve',
    description: 'Credentials and keys in the home directory',
    path: ['~/.claude', '~/.claude/**', '~/.codex', '~/.codex/**', '~/.ssh/**', '~/.aws/**', '~/.gnupg/**', '~/.config/gh/**', '~/.netrc', '~/.npmrc', '~/.pypirc', '~/.docker/config.json', '~/.kube/**', '~/.git-credentials'],
  },
  { id: 'default.mcp-tools', tier: 'approve', description: 'MCP tools', tool: 'mcp__*' },

  // ---- prohibited
  {
    id: 'default.rm-root-or-home',
    tier: 'prohibited',
    description: 'Recursive delete of the root, a top-level directory or the home directory',
    reason: 'Deleting / or ~ recursively cannot be undone',
    tool: shell,
    command: { command: ['rm', 'shred'], flags: [['-r', '-R', '--recursive']], argPaths: ['/', '/*', '~', '~/\\*', '~/.\\*'] },
  },
  {
    id: 'default.destroy-filesystem',
    tier: 'prohibited',
    description: 'Recursive change or delete of the whole filesystem or home directory',
    reason: 'This would damage the whole machine',
    tool: shell,
    command: [
      { command: ['chmod', 'chown', 'chgrp'], flags: [['-R', '--recursive']], argPaths: ['/', '/*', '~'] },
      { command: 'find', flags: [['-delete']], argPaths: ['/', '/*', '~'] },
      { command: 'mkfs*' },
      { command: 'dd', anyArg: 'of=/dev/*' },
    ],
  },
  {
    id: 'default.force-push-default-branch',
    tier: 'prohibited',
    description: 'Force-push to (or delete) the default branch (main/master)',
    reason: 'Force-pushing main or master rewrites shared history',
    tool: shell,
    command: [
      { command: 'git', args: ['push'], flags: [['--force', '-f', '--force-with-lease*', '--force-if-includes', '--mirror', '--delete', '-d']], anyArg: DEFAULT_BRANCH_REF },
      { command: 'git', args: ['push'], anyArg: [`+${DEFAULT_BRANCH_REF}`, ':{refs/heads/,}{main,master}'] },
    ],
  },
  {
    id: 'default.download-into-shell',
    tier: 'prohibited',
    description: 'Piping a download into a shell or interpreter',
    reason: 'Running a script straight from the network skips any review of it',
    tool: shell,
    command: [
      { command: ['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'source', '.', '$*'], pipedFrom: { command: DOWNLOADERS } },
      { command: 'python*', withoutFlags: ['-c', '-m'], pipedFrom: { command: DOWNLOADERS } },
      { command: ['node', 'perl', 'ruby', 'php', 'deno', 'bun'], withoutFlags: ['-e', '-E', '-p', '-r', '--eval', '--print'], pipedFrom: { command: DOWNLOADERS } },
    ],
  },
  {
    id: 'default.write-outside-worktree',
    tier: 'prohibited',
    description: 'Writing or editing files outside the worktree',
    reason: "Agents edit only their own worktree; files outside it belong to someone else",
    tool: [...WRITE_TOOLS],
    path: { outsideWorktree: true },
  },
];

/** The shipped policy: the first layer under the user's settings and the workspace's .flotilla/policy.json. */
export const DEFAULT_POLICY: PolicyFile = {
  version: 1,
  defaultTier: 'approve',
  rules,
};
