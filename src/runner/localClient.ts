// `flotilla-agent run / ls / stop`: requests to the local serve process on its loopback port (from serve.json in the
// state folder), with the serve token read from the token file.
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { SERVE_STATE_FILE } from './runnerServe';
import type { ServeState } from './runnerServe';

export interface LocalTarget {
  readonly stateDir: string;
  readonly tokenFile: string;
}

export async function localRequest(target: LocalTarget, method: 'GET' | 'POST', urlPath: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  let state: ServeState;
  let token: string;
  try {
    state = JSON.parse(readFileSync(path.join(target.stateDir, SERVE_STATE_FILE), 'utf8')) as ServeState;
    token = readFileSync(target.tokenFile, 'utf8').trim();
  } catch {
    throw new Error(`no serve process found (${path.join(target.stateDir, SERVE_STATE_FILE)}): start 'flotilla-agent serve' first`);
  }
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: state.localPort,
        method,
        path: urlPath,
        headers: { authorization: `Bearer ${token}`, ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
          } catch {
            resolve({ status: res.statusCode ?? 0, body: text });
          }
        });
      },
    );
    req.on('error', (err) => reject(new Error(`the serve process (pid ${state.pid}) does not answer on 127.0.0.1:${state.localPort}: ${err.message}`)));
    req.end(payload);
  });
}
