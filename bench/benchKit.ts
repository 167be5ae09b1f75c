// Helpers the bench scripts share: percentiles, ms formatting, and a JSON POST on a given (keep-alive) agent.
import * as http from 'node:http';

/** Nearest-rank percentile of an ascending array. */
export const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
export const asc = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
export const ms = (n: number): string => `${n.toFixed(3)} ms`;

export interface Reply {
  status: number;
  body: string;
}

/** POSTs `body` with a bearer token; `beforeWrite` runs just before the request is written to the socket. */
export function postJson(agent: http.Agent, port: number, route: string, token: string, body: string, beforeWrite: () => void = () => undefined): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: route,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    beforeWrite();
    req.end(body);
  });
}
