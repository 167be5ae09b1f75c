// Small human formats for durations, token counts and dollars, shared by every view.

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(2)}M`;
}

export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

/** A budget amount as set: "$7.50", "$10.00", "$0.075" — whole cents with two decimals, finer ones as they need (≤ 4). */
export function formatUsdAmount(usd: number): string {
  const cents = Math.round(usd * 100);
  if (Math.abs(cents / 100 - usd) < 1e-9) return `$${(cents / 100).toFixed(2)}`;
  return `$${String(Number(usd.toFixed(4)))}`;
}
