// One step of a multi-step QuickInput flow with a Back button (New Agent, New Agent from Template): an input box or a
// pick that resolves to the answer, BACK when the title bar's Back button is pressed, or undefined when the user
// cancels (Escape, focus elsewhere is ignored).
import * as vscode from 'vscode';

export const BACK = Symbol('back');
export type StepResult<T> = T | typeof BACK | undefined;

/** The step's place in the flow: "New Agent (2/5): name", and whether there is a step to go back to. */
export interface StepFrame {
  readonly title: string;
  readonly step: number;
  readonly total: number;
}

const titleOf = (f: StepFrame): string => `${f.title} (${f.step}/${f.total})`;

export interface InputStepOptions {
  readonly label: string;
  readonly value?: string;
  readonly prompt: string;
  readonly placeholder?: string;
  readonly validate?: (value: string) => string | undefined;
}

export function inputStep(frame: StepFrame, o: InputStepOptions): Promise<StepResult<string>> {
  const box = vscode.window.createInputBox();
  box.title = `${titleOf(frame)}: ${o.label}`;
  box.value = o.value ?? '';
  box.prompt = o.prompt;
  box.placeholder = o.placeholder;
  box.ignoreFocusOut = true;
  box.buttons = frame.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  return run(box, (resolve) => [
    box.onDidChangeValue((v) => (box.validationMessage = o.validate?.(v))),
    box.onDidAccept(() => {
      const problem = o.validate?.(box.value);
      if (problem) box.validationMessage = problem;
      else resolve(box.value);
    }),
  ]);
}

export interface PickStepOptions<T extends vscode.QuickPickItem> {
  readonly label: string;
  readonly items: readonly T[];
  readonly placeholder?: string;
  /** The item to start on (the earlier answer, when the user came back). */
  readonly active?: (item: T) => boolean;
  /** Items that change with what is typed (the typed text is then read from `value` on accept). */
  readonly onValue?: (value: string, pick: vscode.QuickPick<T>) => void;
  readonly value?: string;
  /** Enter with no item highlighted answers with the typed text; otherwise it does nothing (nothing matched). */
  readonly acceptValue?: boolean;
  /** A button on an item (e.g. "edit in an editor"): resolves the step with what the handler returns. */
  readonly onItemButton?: (item: T, button: vscode.QuickInputButton) => StepPick<T> | undefined;
}

/** A pick's answer: the item and the text typed in the box at that moment. */
export interface StepPick<T> {
  readonly item: T | undefined;
  readonly value: string;
  readonly button?: vscode.QuickInputButton;
}

export function pickStep<T extends vscode.QuickPickItem>(frame: StepFrame, o: PickStepOptions<T>): Promise<StepResult<StepPick<T>>> {
  const pick = vscode.window.createQuickPick<T>();
  pick.title = `${titleOf(frame)}: ${o.label}`;
  pick.placeholder = o.placeholder;
  pick.ignoreFocusOut = true;
  pick.matchOnDescription = false;
  pick.buttons = frame.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  pick.items = o.items;
  if (o.value) pick.value = o.value;
  o.onValue?.(pick.value, pick);
  const active = o.active && o.items.find(o.active);
  if (active) pick.activeItems = [active];
  return run(pick, (resolve) => [
    pick.onDidChangeValue((v) => o.onValue?.(v, pick)),
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0] ?? pick.activeItems[0];
      if (item || o.acceptValue) resolve({ item, value: pick.value });
    }),
    pick.onDidTriggerItemButton((e) => {
      const answer = o.onItemButton?.(e.item, e.button);
      if (answer) resolve(answer);
    }),
  ]);
}

/** Shows the input, resolves once: with the answer, BACK, or undefined when hidden. */
function run<R>(input: vscode.QuickInput & { onDidTriggerButton: vscode.Event<vscode.QuickInputButton> }, wire: (resolve: (r: R) => void) => vscode.Disposable[]): Promise<StepResult<R>> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: StepResult<R>) => {
      if (done) return;
      done = true;
      resolve(r);
      for (const d of disposables) d.dispose();
      input.dispose();
    };
    const disposables = [
      ...wire((r) => finish(r)),
      input.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) finish(BACK);
      }),
      input.onDidHide(() => finish(undefined)),
    ];
    input.show();
  });
}
