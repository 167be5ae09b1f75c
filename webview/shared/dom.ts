// Building DOM without HTML strings: every text goes in as a text node, so agent-supplied text can never become markup.
type Child = Node | string | null | undefined | false;

export interface ElementProps {
  className?: string;
  /** data-* attributes, e.g. { testid: 'request' } -> data-testid="request". */
  data?: Record<string, string>;
  /** Plain attributes (never `on*` handlers, never `style`: the CSP forbids inline styles). */
  attrs?: Record<string, string | boolean | undefined>;
  text?: string;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.data) for (const [k, v] of Object.entries(props.data)) node.dataset[k] = v;
  if (props.attrs) {
    for (const [k, v] of Object.entries(props.attrs)) {
      if (v === true) node.setAttribute(k, '');
      else if (typeof v === 'string') node.setAttribute(k, v);
    }
  }
  if (props.text !== undefined) node.textContent = props.text;
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** A codicon glyph (from codicon.css), hidden from screen readers. */
export function codicon(name: string, extraClass = ''): HTMLSpanElement {
  return el('span', { className: `codicon codicon-${name}${extraClass ? ` ${extraClass}` : ''}`, attrs: { 'aria-hidden': 'true' } });
}

/** Sets text only when it changed (cheap to call on every refresh). */
export function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}
