// Cost of model usage in USD: price overrides from settings first (per-million-token rates by model glob), then
// the @pydantic/genai-prices catalog. An unknown model has no cost and says why; it is never priced at 0.
import { calcPrice } from '@pydantic/genai-prices';
import { z } from 'zod';
import type { ModelGlob } from './modelGlob';
import { bestGlobMatch, compileModelGlob } from './modelGlob';
import { CLAUDE_CODE_ALIASES, isClaudeModel, normalizeModelId } from './modelIds';

/** Token counts as the Anthropic API reports them: `input` excludes the cached tokens. */
export interface PricedUsage {
  readonly input: number;
  readonly output: number;
  readonly cacheRead?: number;
  /** Cache creation (writes). */
  readonly cacheWrite?: number;
}

/** USD per million tokens. */
export interface ModelRates {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
}

export type PriceResult =
  | {
      readonly ok: true;
      readonly costUsd: number;
      readonly source: 'override' | 'catalog';
      /** The override glob, or the catalog's model id. */
      readonly matched: string;
      /** Base rates (before any long-context tier). */
      readonly rates: ModelRates;
    }
  | { readonly ok: false; readonly costUsd: undefined; readonly reason: string };

const Rate = z.number().nonnegative().max(1_000_000);
const RatesSchema = z.strictObject({
  input: Rate,
  output: Rate,
  cacheRead: Rate.optional(),
  cacheWrite: Rate.optional(),
});
/** Setting `flotilla.pricing.overrides`: { "model-glob": { input, output, cacheRead?, cacheWrite? } } in USD per million tokens. */
export const PriceOverridesSchema = z.record(z.string().min(1).max(256), RatesSchema);
export type PriceOverrides = z.infer<typeof PriceOverridesSchema>;

interface Override extends ModelGlob {
  readonly rates: ModelRates;
}

const COUNT = z.number().int().nonnegative();
const UsageSchema = z.strictObject({ input: COUNT, output: COUNT, cacheRead: COUNT.optional(), cacheWrite: COUNT.optional() });

function baseRate(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object' && typeof (value as { base?: unknown }).base === 'number') return (value as { base: number }).base;
  return 0;
}

export class PriceBook {
  private compiledFrom: unknown = Symbol('none');
  private overrides: Override[] = [];
  private errors: string[] = [];

  /** `overrides` may be a function, read at each call, so settings changes apply without rebuilding the book. */
  constructor(private readonly overridesSource: unknown | (() => unknown) = {}) {}

  /** Problems found in the override settings (entries with them are ignored). */
  get overrideErrors(): readonly string[] {
    this.refresh();
    return this.errors;
  }

  price(model: string, usage: PricedUsage): PriceResult {
    const checked = UsageSchema.safeParse(usage);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return { ok: false, costUsd: undefined, reason: `usage.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
    }
    const counts = { cacheRead: 0, cacheWrite: 0, ...checked.data };
    this.refresh();
    const normalized = normalizeModelId(model);
    const override = bestGlobMatch(this.overrides, model) ?? bestGlobMatch(this.overrides, normalized);
    if (override) {
      const r = override.rates;
      const cost = (counts.input * r.input + counts.output * r.output + counts.cacheRead * r.cacheRead + counts.cacheWrite * r.cacheWrite) / 1e6;
      return { ok: true, costUsd: cost, source: 'override', matched: override.pattern, rates: r };
    }
    if (CLAUDE_CODE_ALIASES.has(model.trim().toLowerCase())) {
      return { ok: false, costUsd: undefined, reason: `'${model}' is a Claude Code alias, not a model id: price the id the transcript reports, or add an override` };
    }
    let found;
    try {
      // genai-prices counts input_tokens as the total, cached tokens included.
      found = calcPrice(
        {
          input_tokens: counts.input + counts.cacheRead + counts.cacheWrite,
          output_tokens: counts.output,
          cache_read_tokens: counts.cacheRead,
          cache_write_tokens: counts.cacheWrite,
        },
        normalized,
        isClaudeModel(normalized) ? { providerId: 'anthropic' } : {},
      );
    } catch (err) {
      return { ok: false, costUsd: undefined, reason: `price catalog failed for '${model}': ${err instanceof Error ? err.message : String(err)}` };
    }
    if (!found) {
      return { ok: false, costUsd: undefined, reason: `no price known for model '${model}': add an override in flotilla.pricing.overrides` };
    }
    const p = found.model_price;
    const rates: ModelRates = {
      input: baseRate(p.input_mtok),
      output: baseRate(p.output_mtok),
      cacheRead: baseRate(p.cache_read_mtok ?? p.input_mtok),
      cacheWrite: baseRate(p.cache_write_mtok ?? p.input_mtok),
    };
    return { ok: true, costUsd: found.total_price, source: 'catalog', matched: found.model.id, rates };
  }

  private refresh(): void {
    const raw = typeof this.overridesSource === 'function' ? (this.overridesSource as () => unknown)() : this.overridesSource;
    if (raw === this.compiledFrom) return;
    this.compiledFrom = raw;
    this.overrides = [];
    this.errors = [];
    if (raw === undefined || raw === null) return;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      this.errors.push('pricing overrides: expected an object of { "model-glob": { input, output, cacheRead, cacheWrite } }');
      return;
    }
    // Entry by entry, so one typo does not disable the others.
    for (const [pattern, value] of Object.entries(raw as Record<string, unknown>)) {
      const parsed = PriceOverridesSchema.safeParse({ [pattern]: value });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        this.errors.push(`pricing overrides: ${[...(issue?.path ?? [pattern])].join('.')}: ${issue?.message ?? 'invalid'}`);
        continue;
      }
      const r = parsed.data[pattern]!;
      // Without cache rates, cached tokens cost the plain input rate: an overestimate, never a silent 0.
      const rates: ModelRates = { input: r.input, output: r.output, cacheRead: r.cacheRead ?? r.input, cacheWrite: r.cacheWrite ?? r.input };
      this.overrides.push({ ...compileModelGlob(pattern), rates });
    }
  }
}
