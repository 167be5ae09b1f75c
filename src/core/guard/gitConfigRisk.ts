// Which git configuration keys run a program or send git elsewhere. git rewrites `.git/config` legitimately
// (`push -u`, `remote add`, `branch --set-upstream-to`), so tamper detection compares only these keys.

/** Exact keys (lower case, as `git config --list` prints section and key names). */
const EXACT = new Set([
  'core.hookspath',
  'core.fsmonitor',
  'core.pager',
  'core.editor',
  'core.sshcommand',
  'core.askpass',
  'core.gitproxy',
  'core.worktree',
  'core.attributesfile',
  'diff.external',
  'sequence.editor',
  'gpg.program',
  'credential.helper',
  'interactive.difffilter',
  'web.browser',
  'ssh.variant',
  'http.proxy',
  'http.sslverify',
  'http.sslcainfo',
  'https.proxy',
]);

/** Whole sections where any key runs a program, redirects git or pulls in more configuration. */
const SECTIONS = new Set(['filter', 'alias', 'include', 'includeif', 'uploadpack', 'receive', 'protocol', 'pager', 'browser', 'man', 'sendemail']);

/** Last names that run a program or redirect git whatever the section (`diff.<driver>.textconv`, `merge.<driver>.driver`...). */
const LAST = new Set([
  'command',
  'cmd',
  'textconv',
  'driver',
  'program',
  'helper',
  'sshcommand',
  'hookspath',
  'insteadof',
  'pushinsteadof',
  'receivepack',
  'uploadpack',
  'proxy',
  'proxycommand',
  'sslverify',
  'sslcainfo',
  'fsmonitor',
  'askpass',
  'editor',
  'pager',
]);

/** True for a key (as `git config --list` prints it) whose value can run code or redirect git. */
export function isRiskyGitConfigKey(key: string): boolean {
  const lower = key.toLowerCase();
  if (EXACT.has(lower)) return true;
  const first = lower.indexOf('.');
  const last = lower.lastIndexOf('.');
  if (first < 0) return false;
  if (SECTIONS.has(lower.slice(0, first))) return true;
  // `submodule.<name>.update = !command` runs the command on `git submodule update`.
  if (lower.startsWith('submodule.') && lower.endsWith('.update')) return true;
  return LAST.has(lower.slice(last + 1));
}

/** The risky entries of `git config --list --null` output, as sorted `key=value` lines. */
export function riskyEntries(listNull: string): string[] {
  const entries: string[] = [];
  for (const record of listNull.split('\0')) {
    if (record === '') continue;
    const newline = record.indexOf('\n');
    const key = newline < 0 ? record : record.slice(0, newline);
    const value = newline < 0 ? '' : record.slice(newline + 1);
    if (isRiskyGitConfigKey(key)) entries.push(`${key}=${value}`);
  }
  return entries.sort();
}

/** What changed between two risky entry lists, for the tamper message: "+core.hookspath=x; -alias.st=status". */
export function describeEntryChanges(before: readonly string[], after: readonly string[]): string {
  const was = new Set(before);
  const now = new Set(after);
  const added = after.filter((e) => !was.has(e)).map((e) => `+${e}`);
  const removed = before.filter((e) => !now.has(e)).map((e) => `-${e}`);
  return [...added, ...removed].join('; ');
}
