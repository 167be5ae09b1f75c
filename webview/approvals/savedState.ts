// What the panel keeps across a hide/re-show (the page is reloaded each time): selection, focus, open message
// drafts, scroll. Read back tolerantly: a state that does not parse is dropped, never trusted.
import * as z from 'zod';
import { vscodeApi } from '../shared/vscodeApi';

export const SavedStateSchema = z.object({
  selected: z.array(z.string()).default([]),
  activeId: z.string().optional(),
  hadFocus: z.boolean().default(false),
  /** Requests whose deny-with-message field is open, with what was typed. */
  drafts: z.array(z.tuple([z.string(), z.string()])).default([]),
  scrollTop: z.number().default(0),
});
export type SavedState = z.infer<typeof SavedStateSchema>;

export function loadState(): SavedState {
  const parsed = SavedStateSchema.safeParse(vscodeApi<unknown>().getState() ?? {});
  if (!parsed.success) console.warn('Flotilla webview: dropped saved panel state that does not parse', parsed.error.issues[0]);
  return parsed.success ? parsed.data : SavedStateSchema.parse({});
}

export function saveState(state: SavedState): void {
  vscodeApi<SavedState>().setState(state);
}
