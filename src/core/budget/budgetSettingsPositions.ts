// Where a budget setting's problem sits: the settings file (folder, workspace, user: the first that has the entry),
// line and column, like policy errors ("/home/me/.vscode/settings.json:12:5 flotilla.budget.groups.backend.usd: …").
// Settings files are JSON with comments; keys are flat ("flotilla.budget.groups"), and a .code-workspace file has
// them under "settings". A file that does not parse, or has no such entry, gives no position (the message stays).
import { lineColumn, nodeAt, parseJsonWithPositions } from '../policy/jsonPositions';
import type { BudgetSettingProblem } from './budgetSettings';

export interface SettingsFileText {
  /** How the message names the file (a path). */
  readonly label: string;
  readonly text: string;
  /** A .code-workspace file: settings live under "settings". */
  readonly workspaceFile?: boolean;
}

export interface LocatedProblem extends BudgetSettingProblem {
  /** "<file>:<line>:<column> <message>", or the message alone when no file has the entry. */
  readonly text: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

/** Locates each problem in the first of `files` (most specific first) that holds its setting and path. */
export function locateProblems(problems: readonly BudgetSettingProblem[], files: readonly SettingsFileText[], section = 'flotilla'): LocatedProblem[] {
  const parsed = files.map((f) => ({ file: f, json: parseJsonWithPositions(f.text) }));
  return problems.map((p) => {
    const path = [`${section}.${p.setting}`, ...p.path];
    // Object settings merge across files: the file with the whole path first, else the first with the setting.
    const found = parsed.flatMap(({ file, json }) => {
      const root = json.ok ? (file.workspaceFile ? json.root.children?.get('settings') : json.root) : undefined;
      return root?.children?.has(path[0]!) ? [{ file, at: nodeAt(root, path) }] : [];
    });
    const hit = found.find((f) => f.at.exact) ?? found[0];
    if (!hit) return { ...p, text: p.message };
    // A bad field points at its key; a missing one at its object.
    const { line, column } = lineColumn(hit.file.text, hit.at.node.keyOffset ?? hit.at.node.offset);
    return { ...p, text: `${hit.file.label}:${line}:${column} ${p.message}`, file: hit.file.label, line, column };
  });
}
