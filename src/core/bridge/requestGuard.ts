// Who may talk to the bridge at all, judged from the request line's headers before anything else is read: only
// clients that address the bridge by its loopback name and port (no DNS rebinding) and that are not web pages
// (browsers send `Origin` on every cross-origin fetch and WebSocket; Claude Code and agent runners do not).
import type { IncomingHttpHeaders } from 'node:http';

export interface GuardRefusal {
  readonly status: 403 | 421;
  readonly error: string;
}

/** The Host values the bridge answers to on `port` (it listens on 127.0.0.1 only). */
export function allowedHosts(port: number): readonly string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** Why this request must be refused, or undefined when it may go on (to authentication). */
export function refuseForeignRequest(headers: IncomingHttpHeaders, port: number | undefined): GuardRefusal | undefined {
  if (headers.origin !== undefined) {
    return { status: 403, error: 'requests with an Origin header (web pages) are not accepted' };
  }
  const host = headers.host?.toLowerCase();
  if (port === undefined || host === undefined || !allowedHosts(port).includes(host)) {
    return { status: 421, error: `Host must be 127.0.0.1:${port ?? 'PORT'} or localhost:${port ?? 'PORT'}` };
  }
  return undefined;
}
