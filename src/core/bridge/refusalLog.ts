// Logs the bridge's refusals without letting a flood of hostile requests flood the log: the first refusal of each
// status in a minute is a warning, the others are debug lines, and the next warning says how many there were.

const WINDOW_MS = 60_000;

interface Logger {
  warn(message: string): void;
  debug(message: string): void;
}

export class RefusalLog {
  private readonly windows = new Map<number, { start: number; quiet: number }>();

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  note(status: number, message: string): void {
    const now = this.now();
    const window = this.windows.get(status);
    if (window && now - window.start < WINDOW_MS) {
      window.quiet++;
      this.log.debug(message);
      return;
    }
    const more = window && window.quiet > 0 ? ` (and ${window.quiet} more ${status} refusals in the minute before)` : '';
    this.windows.set(status, { start: now, quiet: 0 });
    this.log.warn(`${message}${more}`);
  }
}
