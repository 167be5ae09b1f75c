// Re-pricing at startup after a price catalog upgrade: agents' costs are kept as figures (in their snapshots), priced
// when their requests came in; a new Flotilla may bring a new @pydantic/genai-prices catalog. The store remembers the
// catalog the figures were last computed with (store_meta, schema 6); when the catalog in force differs, every agent
// whose stored requests hold all its tokens is re-priced from them (repriceFleet.ts: SQLite's sums per agent, model
// and price tier, ~0.6 s for 150 000 requests where pricing each one took ~4 s) and the log says so.
import { createHash } from 'node:crypto';
import { findProvider } from '@pydantic/genai-prices';
import type { Fleet } from '../fleet/fleet';
import type { PriceBook } from '../pricing/priceBook';
import type { CostHistory } from './costReport';
import { repriceFleetFromStore } from './repriceFleet';

export const CATALOG_FACT = 'price-catalog';

/** The providers whose models Flotilla's agents use (Claude Code: Anthropic; Codex: OpenAI); others are not watched. */
const WATCHED_PROVIDERS = ['anthropic', 'openai', 'google'];

/** A fingerprint of the catalog's data for the watched providers: changes with any of their prices or models. */
export function priceCatalogKey(): string {
  const hash = createHash('sha256');
  for (const id of WATCHED_PROVIDERS) hash.update(`${id}:${JSON.stringify(findProvider({ providerId: id }) ?? null)}\n`);
  return `genai-prices#${hash.digest('hex').slice(0, 16)}`;
}

export interface CatalogRepriceDeps {
  readonly fleet: Fleet;
  readonly store: Pick<CostHistory, 'usageRequestInputRanges' | 'usageRequestSums' | 'usageRequestTokensPerAgent'> & { storeFact(key: string): string | undefined; setStoreFact(key: string, value: string): void };
  readonly book: Pick<PriceBook, 'price'>;
  /** The catalog in force (priceCatalogKey(); tests give their own). */
  readonly catalogKey: string;
  readonly log: { info(message: string): void };
}

/** Re-prices the fleet if the catalog changed since the figures were computed; returns the agents it changed. */
export function repriceAfterCatalogChange(deps: CatalogRepriceDeps): string[] {
  const previous = deps.store.storeFact(CATALOG_FACT);
  if (previous === deps.catalogKey) return [];
  const changed = repriceFleetFromStore(deps.fleet, deps.store, deps.book);
  const was = previous === undefined ? 'not recorded before' : `was ${previous}`;
  deps.log.info(`price catalog ${deps.catalogKey} (${was}): ${changed.length} agent(s) re-priced from their stored requests`);
  deps.store.setStoreFact(CATALOG_FACT, deps.catalogKey);
  return changed;
}
