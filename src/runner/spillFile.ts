// The runner's disk journal for an agent's outbox past its memory bound: frames append to a JSON-lines file (0600) and
// are read back in order, a chunk at a time, as the supervisor acks what is in memory. Bounded in bytes; the file is
// emptied once everything in it was read back.
import { closeSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';

export class SpillFile<T> {
  private readonly fd: number;
  private writeAt = 0;
  private readAt = 0;
  /** Frames written and not read back yet. */
  count = 0;

  constructor(
    readonly path: string,
    private readonly maxBytes: number,
  ) {
    this.fd = openSync(path, 'w+', 0o600);
  }

  get bytes(): number {
    return this.writeAt - this.readAt;
  }

  /** False (nothing written) when the file would grow past its bound. */
  append(item: T): boolean {
    const line = Buffer.from(`${JSON.stringify(item)}\n`, 'utf8');
    if (this.writeAt + line.length > this.maxBytes) return false;
    writeSync(this.fd, line, 0, line.length, this.writeAt);
    this.writeAt += line.length;
    this.count++;
    return true;
  }

  /** Reads back up to `max` of the oldest frames (in the order written). */
  take(max: number): T[] {
    const items: T[] = [];
    const chunk = Buffer.alloc(256 * 1024);
    while (items.length < max && this.readAt < this.writeAt) {
      const n = readSync(this.fd, chunk, 0, Math.min(chunk.length, this.writeAt - this.readAt), this.readAt);
      let start = 0;
      for (let i = 0; i < n && items.length < max; i++) {
        if (chunk[i] !== 0x0a) continue;
        items.push(JSON.parse(chunk.toString('utf8', start, i)) as T);
        start = i + 1;
      }
      if (start === 0) {
        // A line longer than the chunk: read it whole.
        const end = this.lineEnd();
        const line = Buffer.alloc(end - this.readAt);
        readSync(this.fd, line, 0, line.length, this.readAt);
        items.push(JSON.parse(line.toString('utf8')) as T);
        this.readAt = end + 1;
        continue;
      }
      this.readAt += start;
    }
    this.count -= items.length;
    if (this.readAt === this.writeAt) {
      ftruncateSync(this.fd, 0);
      this.readAt = this.writeAt = 0;
    }
    return items;
  }

  close(): void {
    closeSync(this.fd);
  }

  private lineEnd(): number {
    const one = Buffer.alloc(64 * 1024);
    for (let at = this.readAt; at < this.writeAt; ) {
      const n = readSync(this.fd, one, 0, Math.min(one.length, this.writeAt - at), at);
      const i = one.subarray(0, n).indexOf(0x0a);
      if (i !== -1) return at + i;
      at += n;
    }
    return this.writeAt;
  }
}
