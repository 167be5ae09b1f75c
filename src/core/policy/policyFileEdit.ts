// Adds one rule to `.flotilla/policy.json` without losing anything the human wrote there. The file is JSON with
// comments, so it is edited as text (the rule spliced into the `rules` array) rather than parsed and re-serialised,
// which would drop comments and reorder keys. An invalid file is never touched: the human's half-edit wins.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { PolicyRule } from '../../shared/policy';
import { lineColumn, nodeAt, parseJsonWithPositions } from './jsonPositions';
import type { JsonNode } from './jsonPositions';
import { formatPolicyError, loadPolicyFile } from './loadPolicy';

export type AddRuleResult =
  | { ok: true; text: string; replaced: boolean; /** 1-based line of the rule's `"id"` in `text`. */ idLine: number }
  | { ok: false; reason: string };

/** The file Flotilla creates when there is none. */
export function newPolicyText(rule: PolicyRule): string {
  return `${JSON.stringify({ version: 1, rules: [rule] }, null, 2)}\n`;
}

/** The leading whitespace of the line `offset` is on. */
function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** The rule as JSON indented by `step`, its continuation lines starting at `indent`. */
function ruleText(rule: PolicyRule, indent: string, step: string): string {
  return JSON.stringify(rule, null, step).replace(/\n/g, `\n${indent}`);
}

/** The file's own indentation step (that of its first indented key), two spaces when it has none. */
function indentStep(text: string): string {
  return /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
}

/** Splices `rule` into the document: replaces a rule with its id, or appends it, creating `rules` if needed. */
function splice(text: string, root: JsonNode, rulesNode: JsonNode | undefined, index: number, rule: PolicyRule): string {
  const step = indentStep(text);
  if (index >= 0) {
    const old = rulesNode!.children!.get(index)!;
    return text.slice(0, old.offset) + ruleText(rule, indentAt(text, old.offset), step) + text.slice(old.end);
  }
  if (rulesNode && rulesNode.children!.size > 0) {
    const last = rulesNode.children!.get(rulesNode.children!.size - 1)!;
    const indent = indentAt(text, last.offset);
    return `${text.slice(0, last.end)},\n${indent}${ruleText(rule, indent, step)}${text.slice(last.end)}`;
  }
  if (rulesNode) {
    // `"rules": []`: open it up, one level deeper than the line it is on.
    const outer = indentAt(text, rulesNode.offset);
    const inner = outer + step;
    return `${text.slice(0, rulesNode.offset)}[\n${inner}${ruleText(rule, inner, step)}\n${outer}]${text.slice(rulesNode.end)}`;
  }
  // No `rules` yet: a new last member of the top-level object.
  const members = [...root.children!.values()];
  const rulesMember = (indent: string) => `"rules": [\n${indent}${step}${ruleText(rule, indent + step, step)}\n${indent}]`;
  if (members.length === 0) {
    return `${text.slice(0, root.offset)}{\n${step}${rulesMember(step)}\n}${text.slice(root.end)}`;
  }
  const last = members[members.length - 1]!;
  const indent = indentAt(text, last.keyOffset ?? last.offset);
  return `${text.slice(0, last.end)},\n${indent}${rulesMember(indent)}${text.slice(last.end)}`;
}

/**
 * The policy file text with `rule` added (or replacing the rule with the same id). `text` undefined or blank: a new
 * file. Refuses, with the file, line and field, when the current text is not a valid policy.
 */
export function addRuleToPolicyText(text: string | undefined, rule: PolicyRule, fileName: string): AddRuleResult {
  const edited = text === undefined || text.trim() === '' ? { text: newPolicyText(rule), replaced: false } : edit(text, rule, fileName);
  if ('ok' in edited) return edited;
  // What is written is checked as strictly as what is read: the new text must load and hold exactly this rule.
  const reloaded = loadPolicyFile(edited.text, fileName);
  const rules = reloaded.ok ? (reloaded.policy.rules ?? []) : [];
  const at = rules.findIndex((r) => r.id === rule.id);
  if (!reloaded.ok || at < 0 || !isDeepStrictEqual(rules[at], rule)) {
    const why = reloaded.ok ? 'the rule did not read back the same' : formatPolicyError(reloaded.errors[0]!);
    return { ok: false, reason: `${fileName} could not be updated safely (${why}), so Flotilla left it as it is.` };
  }
  const parsed = parseJsonWithPositions(edited.text);
  const root = parsed.ok ? parsed.root : { offset: 0, end: 0 };
  const { node } = nodeAt(root, parsed.ok && Array.isArray(parsed.value) ? [at, 'id'] : ['rules', at, 'id']);
  return { ok: true, text: edited.text, replaced: edited.replaced, idLine: lineColumn(edited.text, node.keyOffset ?? node.offset).line };
}

function edit(text: string, rule: PolicyRule, fileName: string): { text: string; replaced: boolean } | { ok: false; reason: string } {
  const loaded = loadPolicyFile(text, fileName);
  if (!loaded.ok) {
    const more = loaded.errors.length > 1 ? ` (and ${loaded.errors.length - 1} more)` : '';
    return { ok: false, reason: `${fileName} is not a valid policy, so Flotilla did not change it: ${formatPolicyError(loaded.errors[0]!)}${more}. Fix the file, then try again.` };
  }
  const parsed = parseJsonWithPositions(text);
  if (!parsed.ok) return { ok: false, reason: `${fileName} could not be read: ${parsed.message}` };
  // The file may be a bare array of rules (the short form).
  const rulesNode = Array.isArray(parsed.value) ? parsed.root : parsed.root.children?.get('rules');
  const index = (loaded.policy.rules ?? []).findIndex((r) => r.id === rule.id);
  return { text: splice(text, parsed.root, rulesNode, index, rule), replaced: index >= 0 };
}

/** Writes `text` to `file` by a temporary file in the same folder and a rename, so a reader never sees half of it. */
export function writeFileAtomic(file: string, text: string): void {
  // Through a symlink the link stays and its target is updated.
  const target = fs.existsSync(file) ? fs.realpathSync(file) : file;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    const mode = fs.existsSync(target) ? fs.statSync(target).mode & 0o777 : undefined;
    fs.writeFileSync(temp, text, { encoding: 'utf8', mode });
    fs.renameSync(temp, target);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}

export type AddRuleToFileResult = { ok: true; file: string; replaced: boolean; idLine: number } | { ok: false; reason: string };

/**
 * Adds `rule` to the policy file at `file` (created with its folder when absent). `label` names it in messages.
 * `write` lets the caller announce the exact text first (tamper detection must not take Flotilla's write for an agent's).
 */
export function addRuleToPolicyFile(file: string, rule: PolicyRule, label: string, write: (file: string, text: string) => void = writeFileAtomic): AddRuleToFileResult {
  let text: string | undefined;
  try {
    text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  } catch (err) {
    return { ok: false, reason: `${label} could not be read: ${err instanceof Error ? err.message : String(err)}` };
  }
  const result = addRuleToPolicyText(text, rule, label);
  if (!result.ok) return result;
  try {
    write(file, result.text);
  } catch (err) {
    return { ok: false, reason: `${label} could not be written: ${err instanceof Error ? err.message : String(err)}` };
  }
  return { ok: true, file, replaced: result.replaced, idLine: result.idLine };
}
