// Secrets out of trace text before it is stored or shown: API keys (OpenAI/Anthropic sk-, GitHub, AWS, Slack),
// bearer tokens, passwords in env assignments and URLs (user:pass@), private key blocks. Extra patterns come from
// `flotilla.traces.redactPatterns` (regular expression sources); a bad one is reported by index and skipped.

export const REDACTED = '[REDACTED]';

interface Rule {
  readonly name: string;
  readonly pattern: RegExp;
  /** The replacement (may keep a prefix group such as the variable name). */
  readonly replace: string;
}

const SECRET_WORDS = 'PASSWORD|PASSWD|PASS|PWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH';

const BUILT_IN: readonly Rule[] = [
  {
    name: 'private key block',
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    replace: REDACTED,
  },
  { name: 'url credentials', pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^@\s/]+@/gi, replace: `$1${REDACTED}@` },
  { name: 'bearer token', pattern: /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, replace: `$1${REDACTED}` },
  { name: 'sk- api key', pattern: /\bsk-[A-Za-z0-9_-]{16,}/g, replace: REDACTED },
  { name: 'github token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, replace: REDACTED },
  { name: 'aws access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replace: REDACTED },
  { name: 'slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replace: REDACTED },
  {
    // FOO_PASSWORD=..., export API_KEY="...", --password=...
    name: 'secret assignment',
    pattern: new RegExp(`((?:\\b|--)[A-Za-z0-9_]*(?:${SECRET_WORDS})[A-Za-z0-9_]*=)("[^"]*"|'[^']*'|[^\\s"';&|]+)`, 'gi'),
    replace: `$1${REDACTED}`,
  },
  {
    // "password": "..." in JSON-ish text.
    name: 'secret json field',
    pattern: new RegExp(`("[A-Za-z0-9_]*(?:${SECRET_WORDS})[A-Za-z0-9_]*"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'),
    replace: `$1"${REDACTED}"`,
  },
];

export interface RedactorProblem {
  readonly index: number;
  readonly message: string;
}

export class Redactor {
  private readonly rules: readonly Rule[];
  /** Configured patterns that could not be compiled (the setting's index and why). */
  readonly problems: readonly RedactorProblem[];

  constructor(extraPatterns: readonly string[] = []) {
    const problems: RedactorProblem[] = [];
    const extra: Rule[] = [];
    extraPatterns.forEach((source, index) => {
      if (typeof source !== 'string' || source.length === 0) {
        problems.push({ index, message: `flotilla.traces.redactPatterns[${index}]: expected a non-empty regular expression` });
        return;
      }
      try {
        extra.push({ name: `flotilla.traces.redactPatterns[${index}]`, pattern: new RegExp(source, 'g'), replace: REDACTED });
      } catch (err) {
        problems.push({ index, message: `flotilla.traces.redactPatterns[${index}]: ${err instanceof Error ? err.message : String(err)}` });
      }
    });
    this.rules = [...BUILT_IN, ...extra];
    this.problems = problems;
  }

  /** The text with every secret replaced by [REDACTED]. */
  redact(text: string): string {
    let out = text;
    for (const rule of this.rules) {
      rule.pattern.lastIndex = 0;
      out = out.replace(rule.pattern, rule.replace);
    }
    return out;
  }

  /** A deep copy of a JSON-like value with every string redacted (object keys are kept). */
  redactValue(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (depth > 32 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.redactValue(v, depth + 1);
    return out;
  }
}
