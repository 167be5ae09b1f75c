// Wall-clock times in a named time zone (IANA, e.g. "Europe/Berlin") to epoch milliseconds and back, with the
// platform's own time-zone data (Intl): agents report reset times as "1:04pm (Europe/Berlin)".

export interface WallTime {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    } catch {
      return undefined; // not a zone this platform knows
    }
    formatters.set(zone, f);
  }
  return f;
}

/** The wall time in `zone` at `epochMs`; undefined for a zone the platform does not know. */
export function wallTimeIn(epochMs: number, zone: string): (WallTime & { readonly second: number }) | undefined {
  const f = formatter(zone);
  if (!f) return undefined;
  const parts = f.formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

function offsetMs(epochMs: number, zone: string): number | undefined {
  const w = wallTimeIn(epochMs, zone);
  if (!w) return undefined;
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(epochMs / 1000) * 1000;
}

/** The moment a wall time in `zone` names (the later offset wins in a DST gap); undefined for an unknown zone. */
export function epochOfWallTime(wall: WallTime, zone: string): number | undefined {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const first = offsetMs(asUtc, zone);
  if (first === undefined) return undefined;
  // The offset at the guessed instant may differ from the offset at the answer (a DST change in between): once more.
  const second = offsetMs(asUtc - first, zone) ?? first;
  return asUtc - second;
}
