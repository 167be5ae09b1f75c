// The panel's buttons: one place for how they look. A disabled button drops the primary (accent) look as well as
// dimming, so a disabled "Allow selected" never reads as the button to press.
import { el } from '../shared/dom';

export type PanelButton = HTMLElementTagNameMap['vscode-button'];

export function panelButton(label: string, action: string, testid: string, primary: boolean, title?: string): PanelButton {
  const b = el('vscode-button', { data: { action, testid, primary: String(primary) }, attrs: { title } }, label);
  b.secondary = !primary;
  return b;
}

/** Enables or disables a button; a primary button looks secondary while disabled. */
export function setEnabled(b: PanelButton, enabled: boolean): void {
  if (b.disabled === !enabled && b.secondary === (!enabled || b.dataset.primary !== 'true')) return;
  b.disabled = !enabled;
  b.secondary = !enabled || b.dataset.primary !== 'true';
  b.setAttribute('aria-disabled', String(!enabled));
}
