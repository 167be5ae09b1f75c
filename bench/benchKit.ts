// Helpers the bench scripts share: percentiles, ms formatting, a JSON POST on a given (keep-alive) agent, and the
// supervisor's hook path wired as the composition root wires it.
import * as http from 'node:http';
import { ApprovalQueue } from '../src/core/approvals/approvalQueue';
import type { ApprovalTimings } from '../src/core/approvals/approvalQueue';
import { BridgeServer } from '../src/core/bridge/bridgeServer';
import type { BridgeServerOptions } from '../src/core/bridge/bridgeServer';
import type { ActionPolicy } from '../src/core/approvals/policyGate';
import { claudeStack, CLAUDE_HOOK_PATH } from '../test/kit/claudeStack';
import { newFleet } from '../test/unit/core/fleetKit';

/** Nearest-rank percentile of an ascending array. */
export const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
export const asc = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
export const ms = (n: number): string => `${n.toFixed(3)} ms`;

/** The number after `--name` on the command line (`--agents 200`), else `fallback`. */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

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

export interface HookBridge {
  readonly fleet: ReturnType<typeof newFleet>['fleet'];
  readonly log: ReturnType<typeof newFleet>['log'];
  readonly approvals: ApprovalQueue;
  readonly bridge: BridgeServer;
  readonly port: number;
  /** POSTs a hook payload to the Claude hook route. */
  post(agent: http.Agent, token: string, body: string, beforeWrite?: () => void): Promise<Reply>;
  dispose(): void;
}

/**
 * A real BridgeServer on 127.0.0.1:0 with the Claude hook route (Claude Code adapter + signal router + Fleet +
 * ApprovalQueue, as the composition root wires them). Without a policy, PreToolUse gets no opinion and is answered at once, as with no rules.
 */
export async function startHookBridge(options: { policy?: ActionPolicy; timings?: ApprovalTimings; bridge?: BridgeServerOptions } = {}): Promise<HookBridge> {
  const { fleet, log } = newFleet();
  const timings = options.timings ?? { timeoutMs: 60_000, escalateAfterMs: 30_000 };
  const approvals = new ApprovalQueue(() => timings);
  const bridge = new BridgeServer(log, options.bridge);
  const stack = claudeStack({ fleet, approvals, log, bridge, ...(options.policy ? { policy: options.policy } : {}) });
  const { port } = await bridge.listen(0);
  return {
    fleet,
    log,
    approvals,
    bridge,
    port,
    post: (agent, token, body, beforeWrite) => postJson(agent, port, CLAUDE_HOOK_PATH, token, body, beforeWrite),
    dispose: () => {
      stack.dispose();
      approvals.dispose();
      bridge.dispose();
      fleet.dispose();
    },
  };
}

/**
 * Sends `perSecond` events for `ms`, in 10 ms ticks (`send(i)` once per event, i counting from 0), while sampling the
 * event loop's lag every 20 ms; returns the lag samples, the events sent and the CPU time the process used.
 */
export function pacedLoad(ms: number, perSecond: number, send: (i: number) => void): Promise<{ lag: number[]; sent: number; cpuMs: number }> {
  return new Promise((resolve) => {
    const lag: number[] = [];
    let sent = 0;
    const perTick = perSecond / 100;
    let owed = 0;
    const cpu0 = process.cpuUsage();
    const load = setInterval(() => {
      owed += perTick;
      for (; owed >= 1; owed--) send(sent++);
    }, 10);
    let expected = performance.now() + 20;
    const probe = setInterval(() => {
      const now = performance.now();
      lag.push(Math.max(0, now - expected));
      expected = now + 20;
    }, 20);
    setTimeout(() => {
      clearInterval(load);
      clearInterval(probe);
      const cpu = process.cpuUsage(cpu0);
      resolve({ lag, sent, cpuMs: (cpu.user + cpu.system) / 1000 });
    }, ms);
  });
}
