// Waiting in host suites: polls `check` until it gives a value, or fails naming what it waited for and what it saw.
export async function until<T>(what: string, check: () => T | undefined, seen: () => string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; seen: ${seen()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
