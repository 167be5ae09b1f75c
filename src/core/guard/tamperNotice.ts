// The words of the tamper warning: which protected file changed (or how many), what changed, and which agents are
// now quarantined. File names and details come from the file system: hidden characters are shown as escapes.
import * as path from 'node:path';
import { clip } from '../../shared/protocol/issues';
import { visibleText } from '../../shared/visibleText';
import type { TamperResponse } from './tamperResponder';

const shown = (text: string, max: number): string => clip(visibleText(text).text, max);

/** `~/.bashrc` for a file in the home folder, the full path otherwise. */
export function displayPath(file: string, home: string | undefined): string {
  if (home) {
    const rel = path.relative(home, file);
    if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return `~/${rel}`;
  }
  return file;
}

/** One notification for the responses gathered in a short window. */
export function tamperNoticeText(responses: readonly TamperResponse[], home?: string): string {
  if (responses.length === 0) return '';
  const first = responses[0]!.event;
  const files = [...new Set(responses.map((r) => r.event.file))];
  const what =
    files.length === 1
      ? `${shown(displayPath(first.file, home), 200)} was ${first.kind} outside Flotilla (${shown(first.detail, 200)}).`
      : `${files.length} protected files were changed outside Flotilla: ${files.slice(0, 3).map((f) => shown(displayPath(f, home), 120)).join(', ')}${files.length > 3 ? ` and ${files.length - 3} more` : ''}.`;
  const names = [...new Set(responses.flatMap((r) => r.agents.map((a) => a.name)))];
  const who =
    names.length === 0
      ? 'No running agent works in that repository, so none was quarantined.'
      : `Quarantined: ${names.slice(0, 5).map((n) => shown(n, 60)).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}. Every tool call of ${names.length === 1 ? 'this agent' : 'these agents'} now needs your approval until you release ${names.length === 1 ? 'it' : 'them'}.`;
  return `Flotilla: ${what} ${who}`;
}
