// Entry of the Costs panel webview (bundled to dist/webview/costs.js): validates every host message, shows the fleet's
// spending for 7 or 30 days — a summary with the fleet budget, spend per local day (chart and Days table), and
// sortable tables per agent, group, model and credential with budgets beside their scope — all as text. The period,
// table and sort survive a reload (webview state); `ready` carries the period so the host answers with it.
import '../shared/zodConfig';
import 'uplot/dist/uPlot.min.css';
import './costs.css';
import { parseCostsHostMessage } from '../../src/shared/webview/costsProtocol';
import type { CostAgentRow, CostCredentialRow, CostGroupRow, CostModelRow, CostPeriod, CostReport, CostsWebviewMessage } from '../../src/shared/webview/costsProtocol';
import { el, setText } from '../shared/dom';
import { onHostMessage } from '../shared/hostMessages';
import { vscodeApi } from '../shared/vscodeApi';
import { SpendChart } from './chart';
import { budgetUse, exactMoney, money, tokens } from './format';
import { renderTable } from './table';
import type { Column, SecondaryRow, SortState } from './table';

type Tab = 'agents' | 'groups' | 'models' | 'credentials' | 'days';
interface SavedState {
  days?: CostPeriod;
  tab?: Tab;
  sort?: Partial<Record<Tab, SortState>>;
}

const api = vscodeApi<SavedState>();
const post = (m: CostsWebviewMessage) => api.postMessage(m);
const state: SavedState = { ...(api.getState() ?? {}) };
let report: CostReport | undefined;
const save = () => api.setState(state);

const title = el('h1', { className: 'title', text: 'Costs' });
const periodButtons = ([7, 30] as const).map((days) => {
  const b = el('button', { className: 'period', text: `${days} days`, data: { days: String(days) } });
  b.addEventListener('click', () => {
    state.days = days;
    save();
    post({ type: 'period', days });
    renderPeriod();
  });
  return b;
});
const summary = el('p', { className: 'summary', data: { testid: 'summary' }, attrs: { 'aria-live': 'polite' }, text: 'Loading costs…' });
const chartHost = el('div', { className: 'chart', data: { testid: 'chart' }, attrs: { role: 'img', 'aria-label': 'Fleet spend per day' } });
const tabsBar = el('div', { className: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Costs by' } });
const TABS: readonly { id: Tab; label: string }[] = [
  { id: 'agents', label: 'Agents' },
  { id: 'groups', label: 'Groups' },
  { id: 'models', label: 'Models' },
  { id: 'credentials', label: 'Credentials' },
  { id: 'days', label: 'Days' },
];
const tabButtons = TABS.map(({ id, label }) => {
  const b = el('button', { className: 'tab', text: label, data: { tab: id }, attrs: { role: 'tab', id: `tab-${id}`, 'aria-controls': 'table' } });
  b.addEventListener('click', () => selectTab(id));
  b.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const i = TABS.findIndex((t) => t.id === id);
    const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!.id;
    selectTab(next);
    tabButtons.find((t) => t.dataset.tab === next)?.focus();
  });
  return b;
});
tabsBar.append(...tabButtons);
const tablePanel = el('div', { className: 'table-panel', attrs: { role: 'tabpanel', id: 'table' } });
const note = el('p', { className: 'note', data: { testid: 'note' } });
document.getElementById('root')!.append(el('header', { className: 'toolbar' }, title, el('div', { className: 'periods', attrs: { role: 'group', 'aria-label': 'Period' } }, ...periodButtons), summary), chartHost, tabsBar, tablePanel, note);
const chart = new SpendChart(chartHost);

function selectTab(tab: Tab): void {
  state.tab = tab;
  save();
  renderTable_();
}

function renderPeriod(): void {
  const days = state.days ?? report?.days ?? 30;
  for (const b of periodButtons) b.setAttribute('aria-pressed', String(b.dataset.days === String(days)));
}

const agentColumns: Column<CostAgentRow>[] = [
  { key: 'name', label: 'Agent', text: (a) => a.name + (a.partialHistory ? ' *' : ''), sort: (a) => a.name.toLowerCase(), title: (a) => (a.partialHistory ? 'Part of its usage came before requests were stored one by one: it is in the total, in no day.' : undefined) },
  { key: 'group', label: 'Group', text: (a) => a.group ?? '' },
  { key: 'status', label: 'Status', text: (a) => a.status },
  { key: 'period', label: 'Period', numeric: true, text: (a) => money(a.periodUsd) + (a.unpriced.length ? ' +?' : ''), sort: (a) => a.periodUsd, title: (a) => exactMoney(a.periodUsd) + (a.unpriced.length ? `; no price for ${a.unpriced.join(', ')} (add an override in flotilla.pricing.overrides)` : '') },
  { key: 'total', label: 'Since start', numeric: true, text: (a) => money(a.totalUsd), sort: (a) => a.totalUsd, title: (a) => exactMoney(a.totalUsd) },
  { key: 'budget', label: 'Budget', text: (a) => budgetUse(a.totalUsd, a.budget), sort: (a) => (a.budget?.usd ? a.totalUsd / a.budget.usd : -1) },
  { key: 'requests', label: 'Requests', numeric: true, text: (a) => String(a.requests), sort: (a) => a.requests },
  { key: 'tokens', label: 'Tokens in / out / cache', numeric: true, text: (a) => `${tokens(a.tokens.input)} / ${tokens(a.tokens.output)} / ${tokens(a.tokens.cacheRead + a.tokens.cacheWrite)}`, sort: (a) => a.tokens.input + a.tokens.output + a.tokens.cacheRead + a.tokens.cacheWrite },
];
/** "↳ Explore subagent · $0.12": each subagent under its agent (its cost is already in the agent's). */
const subagentRows = (a: CostAgentRow): SecondaryRow[] =>
  (a.subagents ?? []).map((s) => {
    const cost = money(s.periodUsd) + (s.unpriced ? ' +?' : '');
    return {
      label: `↳ ${s.type ?? s.id.slice(0, 8)} subagent · ${cost}`,
      cells: { period: cost, requests: String(s.requests) },
      title: `subagent ${s.id}${s.type ? ` (${s.type})` : ''}: ${exactMoney(s.periodUsd)} in the period, ${s.requests} requests; included in the agent's figures`,
    };
  });
const groupColumns: Column<CostGroupRow>[] = [
  { key: 'group', label: 'Group', text: (g) => g.group ?? '(no group)' },
  { key: 'agents', label: 'Agents', numeric: true, text: (g) => String(g.agents), sort: (g) => g.agents },
  { key: 'period', label: 'Period', numeric: true, text: (g) => money(g.periodUsd), sort: (g) => g.periodUsd, title: (g) => exactMoney(g.periodUsd) },
  { key: 'total', label: 'Since start', numeric: true, text: (g) => money(g.totalUsd), sort: (g) => g.totalUsd, title: (g) => exactMoney(g.totalUsd) },
  { key: 'budget', label: 'Budget', text: (g) => budgetUse(g.totalUsd, g.budget), sort: (g) => (g.budget?.usd ? g.totalUsd / g.budget.usd : -1) },
];
const modelColumns: Column<CostModelRow>[] = [
  { key: 'model', label: 'Model', text: (m) => m.model },
  { key: 'period', label: 'Period', numeric: true, text: (m) => (m.unpriced ? 'no price' : money(m.periodUsd)), sort: (m) => m.periodUsd, title: (m) => m.unpriced ?? exactMoney(m.periodUsd) },
  { key: 'requests', label: 'Requests', numeric: true, text: (m) => String(m.requests), sort: (m) => m.requests },
  { key: 'input', label: 'Input', numeric: true, text: (m) => tokens(m.tokens.input), sort: (m) => m.tokens.input },
  { key: 'output', label: 'Output', numeric: true, text: (m) => tokens(m.tokens.output), sort: (m) => m.tokens.output },
  { key: 'cacheRead', label: 'Cache read', numeric: true, text: (m) => tokens(m.tokens.cacheRead), sort: (m) => m.tokens.cacheRead },
  { key: 'cacheWrite', label: 'Cache write', numeric: true, text: (m) => tokens(m.tokens.cacheWrite), sort: (m) => m.tokens.cacheWrite },
];
const credentialColumns: Column<CostCredentialRow>[] = [
  { key: 'name', label: 'Credential', text: (c) => c.name },
  { key: 'scope', label: 'Scope', text: (c) => c.scope },
  { key: 'agents', label: 'Agents', numeric: true, text: (c) => String(c.agents), sort: (c) => c.agents },
  { key: 'total', label: 'Since start', numeric: true, text: (c) => money(c.totalUsd), sort: (c) => c.totalUsd, title: (c) => exactMoney(c.totalUsd) },
];
interface DayRow {
  label: string;
  start: number;
  usd: number;
}
const dayColumns: Column<DayRow>[] = [
  { key: 'day', label: 'Day', text: (d) => d.label, sort: (d) => d.start },
  { key: 'usd', label: 'Fleet', numeric: true, text: (d) => money(d.usd), sort: (d) => d.usd, title: (d) => exactMoney(d.usd) },
];
const DEFAULT_SORT: Record<Tab, SortState> = { agents: { key: 'period', desc: true }, groups: { key: 'period', desc: true }, models: { key: 'period', desc: true }, credentials: { key: 'total', desc: true }, days: { key: 'day', desc: true } };

function renderTable_(): void {
  const tab = state.tab ?? 'agents';
  for (const b of tabButtons) {
    const on = b.dataset.tab === tab;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
  }
  tablePanel.setAttribute('aria-labelledby', `tab-${tab}`);
  if (!report) return;
  const sort = state.sort?.[tab] ?? DEFAULT_SORT[tab];
  const onSort = (s: SortState) => {
    state.sort = { ...state.sort, [tab]: s };
    save();
    renderTable_();
  };
  const r = report;
  const caption = `Costs by ${tab}`;
  const table =
    tab === 'agents'
      ? renderTable(caption, agentColumns, r.agents, sort, onSort, 'agents-table', subagentRows)
      : tab === 'groups'
        ? renderTable(caption, groupColumns, r.groups, sort, onSort, 'groups-table')
        : tab === 'models'
          ? renderTable(caption, modelColumns, r.models, sort, onSort, 'models-table')
          : tab === 'credentials'
            ? renderTable(caption, credentialColumns, r.credentials, sort, onSort, 'credentials-table')
            : renderTable(caption, dayColumns, r.dayLabels.map((label, i) => ({ label, start: r.dayStarts[i]!, usd: r.fleet.byDay[i]! })), sort, onSort, 'days-table');
  const focused = document.activeElement instanceof HTMLElement && tablePanel.contains(document.activeElement) ? document.activeElement.dataset.sort : undefined;
  tablePanel.replaceChildren(table);
  if (focused) table.querySelector<HTMLElement>(`button[data-sort="${CSS.escape(focused)}"]`)?.focus();
}

function render(r: CostReport): void {
  report = r;
  if (state.days === undefined) state.days = r.days;
  renderPeriod();
  const f = r.fleet;
  const budget = f.budget ? ` · fleet budget ${budgetUse(f.totalUsd, f.budget)}` : '';
  setText(summary, `Fleet: ${money(f.periodUsd)} in the last ${r.days} days (${f.requests} requests) · ${money(f.totalUsd)} since start${budget}`);
  summary.title = `${exactMoney(f.periodUsd)} in the period; ${exactMoney(f.totalUsd)} since start`;
  chart.show(r.dayStarts, f.byDay, 'Fleet');
  const partial = r.agents.filter((a) => a.partialHistory).length;
  setText(note, `Days in ${r.timeZone}. Prices as of now (overrides included).${partial ? ` * ${partial} agent${partial === 1 ? '' : 's'} with usage from before requests were stored: in the totals, in no day.` : ''}`);
  renderTable_();
  document.body.dataset.reported = String(r.generatedAt);
}

onHostMessage(parseCostsHostMessage, (m) => {
  if (m.type === 'report') render(m.report);
  else setText(summary, m.message);
});
renderPeriod();
renderTable_();
post({ type: 'ready', ...(state.days ? { days: state.days } : {}) });
