// A sortable table of the Costs panel: column headers are buttons (Enter/Space sorts, again reverses; aria-sort
// says how), cells are text only. A row may bring secondary rows (an agent's subagents), shown right under it, kept
// with it by the sort and marked as belonging to it. Rebuilt whole on each report (hundreds of rows, a few ms).
import { el } from '../shared/dom';

export interface Column<R> {
  readonly key: string;
  readonly label: string;
  readonly numeric?: boolean;
  /** The cell's text. */
  text(row: R): string;
  /** What it sorts by (defaults to the text). */
  sort?(row: R): number | string;
  /** A tooltip (exact figures). */
  title?(row: R): string | undefined;
}

/** A row shown under its parent: its label in the first column, then texts by column key. */
export interface SecondaryRow {
  readonly label: string;
  readonly cells: Readonly<Record<string, string>>;
  readonly title?: string;
}

export interface SortState {
  key: string;
  desc: boolean;
}

export function renderTable<R>(caption: string, columns: readonly Column<R>[], rows: readonly R[], sort: SortState, onSort: (s: SortState) => void, testid: string, secondary?: (row: R) => readonly SecondaryRow[]): HTMLTableElement {
  const column = columns.find((c) => c.key === sort.key) ?? columns[0]!;
  const by = column.sort ?? column.text;
  const sorted = [...rows].sort((a, b) => {
    const x = by(a);
    const y = by(b);
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sort.desc ? -order : order;
  });
  const head = el(
    'tr',
    {},
    ...columns.map((c) => {
      const active = c.key === column.key;
      const button = el('button', { className: 'sort', text: c.label + (active ? (sort.desc ? ' ▼' : ' ▲') : ''), data: { sort: c.key } });
      button.addEventListener('click', () => onSort({ key: c.key, desc: active ? !sort.desc : Boolean(c.numeric) }));
      return el('th', { className: c.numeric ? 'num' : '', attrs: { scope: 'col', 'aria-sort': active ? (sort.desc ? 'descending' : 'ascending') : 'none' } }, button);
    }),
  );
  const body = el('tbody');
  for (const row of sorted) {
    body.appendChild(
      el(
        'tr',
        {},
        ...columns.map((c) => {
          const title = c.title?.(row);
          return el('td', { className: c.numeric ? 'num' : '', text: c.text(row), ...(title ? { attrs: { title } } : {}) });
        }),
      ),
    );
    for (const sub of secondary?.(row) ?? []) {
      body.appendChild(
        el(
          'tr',
          { className: 'secondary', data: { testid: 'secondary-row' } },
          ...columns.map((c, i) => el('td', { className: c.numeric ? 'num' : '', text: i === 0 ? sub.label : (sub.cells[c.key] ?? ''), ...(i === 0 && sub.title ? { attrs: { title: sub.title } } : {}) })),
        ),
      );
    }
  }
  return el('table', { className: 'costs', data: { testid } }, el('caption', { className: 'sr-only', text: caption }), el('thead', {}, head), body);
}
