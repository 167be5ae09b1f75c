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
  /** Cache creation (writes), 5-minute and 1-hour together. */
  readonly cacheWrite?: number;
  /** Of `cacheWrite`, the tokens written to the 1-hour cache (`usage.cache_creation.ephemeral_1h_input_tokens`). */
  readonly cacheWrite1h?: number;
}

/** USD per million tokens. */
export interface ModelRates {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  /** 5-minute cache writes. */
  readonly cacheWrite: number;
  readonly cacheWrite1h: number;
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
  cacheWrite1h: Rate.optional(),
});
/**
 * Setting `flotilla.pricing.overrides`: { "model-glob": { input, output, cacheRead?, cacheWrite?, cacheWrite1h? } } in
 * USD per million tokens, flat (an override has no long-context tier: it is the price of every request).
 */
export const PriceOverridesSchema = z.record(z.string().min(1).max(256), RatesSchema);
export type PriceOverrides = z.infer<typeof PriceOverridesSchema>;

interface Override extends ModelGlob {
  readonly rates: ModelRates;
}

const COUNT = z.number().int().nonnegative();
const UsageSchema = z
  .strictObject({ input: COUNT, output: COUNT, cacheRead: COUNT.optional(), cacheWrite: COUNT.optional(), cacheWrite1h: COUNT.optional() })
  .refine((u) => (u.cacheWrite1h ?? 0) <= (u.cacheWrite ?? 0), { message: 'is part of cacheWrite, so it cannot exceed it', path: ['cacheWrite1h'] });

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

  /**
   * The price of ONE model request: its long-context tier is chosen by its own input (cached tokens included), so
   * a session is priced request by request and the costs added, never from summed tokens.
   */
  price(model: string, usage: PricedUsage): PriceResult {
    const checked = UsageSchema.safeParse(usage);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return { ok: false, costUsd: undefined, reason: `usage.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
    }
    const counts = { cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, ...checked.data };
    const cacheWrite5m = counts.cacheWrite - counts.cacheWrite1h;
    this.refresh();
    const normalized = normalizeModelId(model);
    const override = bestGlobMatch(this.overrides, model) ?? bestGlobMatch(this.overrides, normalized);
    if (override) {
      const r = override.rates;
      const cost = (counts.input * r.input + counts.output * r.output + counts.cacheRead * r.cacheRead + cacheWrite5m * r.cacheWrite + counts.cacheWrite1h * r.cacheWrite1h) / 1e6;
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
          cache_write_1h_tokens: counts.cacheWrite1h,
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
      cacheWrite1h: baseRate(p.cache_write_1h_mtok ?? p.cache_write_mtok ?? p.input_mtok),
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
      // Without cache rates, cached tokens cost the plain input rate (an overestimate, never a silent 0); a 1-hour
      // write costs twice the input rate, Anthropic's rule for every model that has one.
      const rates: ModelRates = {
        input: r.input,
        output: r.output,
        cacheRead: r.cacheRead ?? r.input,
        cacheWrite: r.cacheWrite ?? r.input,
        cacheWrite1h: r.cacheWrite1h ?? 2 * r.input,
      };
      this.overrides.push({ ...compileModelGlob(pattern), rates });
    }
  }
}
