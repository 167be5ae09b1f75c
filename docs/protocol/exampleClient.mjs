// A minimal Flotilla agent in plain Node (npm install ws). It says hello, reports progress, asks before
// running a risky command, and obeys pause/resume/stop/message from the supervisor.
// Usage: FLOTILLA_URL=ws://HOST:PORT/v1/agents FLOTILLA_TOKEN=... node exampleClient.mjs
import os from 'node:os';
import WebSocket from 'ws';

const url = process.env.FLOTILLA_URL;
const token = process.env.FLOTILLA_TOKEN;
if (!url || !token) {
  console.error('set FLOTILLA_URL (ws://HOST:PORT/v1/agents) and FLOTILLA_TOKEN');
  process.exit(2);
}
const agentId = process.env.FLOTILLA_AGENT_ID ?? `example-${process.pid}`;
const FATAL = new Set(['unsupported_version', 'unauthorized', 'not_ready']);

let seq = 0; // our own frame counter: 0, 1, 2, ...
let paused = false;
let heartbeatTimer;
const startedAt = Date.now();
const ws = new WebSocket(url);

function send(frame) {
  ws.send(JSON.stringify({ ...frame, seq: seq++ }));
}

function heartbeat() {
  send({
    type: 'heartbeat',
    task_id: 'demo',
    step: { k: 1, n: 2, label: paused ? 'paused' : 'waiting for approval' },
    elapsed_ms: Date.now() - startedAt,
    blockers: paused ? ['paused by the user'] : [],
    status: paused ? 'idle' : 'working',
  });
}

ws.on('open', () => {
  send({
    type: 'hello',
    v: 1,
    agent_id: agentId,
    name: 'Example agent',
    kind: 'custom',
    host: os.hostname(),
    pid: process.pid,
    token,
    capabilities: ['heartbeats', 'spans', 'events', 'approvals', 'control'],
  });
});

ws.on('message', (data) => {
  const frame = JSON.parse(data.toString());
  // Acknowledge everything but acks, so the supervisor can forget what we have processed.
  if (frame.type !== 'ack') send({ type: 'ack', ack_seq: frame.seq });

  switch (frame.type) {
    case 'welcome':
      heartbeat();
      heartbeatTimer = setInterval(heartbeat, frame.heartbeat_interval_ms);
      send({
        type: 'span',
        task_id: 'demo',
        span_id: 'plan',
        kind: 'model',
        name: 'plan the change',
        status: 'ok',
        started_at: startedAt,
        ended_at: Date.now(),
        model: 'example-model',
        tokens_in: 1200,
        tokens_out: 80,
        cost_usd: 0.002,
      });
      send({
        type: 'approval_request',
        request_id: 'r1',
        tool: 'Bash',
        input: { command: 'npm test' },
        cwd: process.cwd(),
        summary: 'Run the test suite',
      });
      break;
    case 'approval_decision': {
      const allowed = frame.decision === 'allow';
      send({
        type: 'span',
        task_id: 'demo',
        span_id: 'run-tests',
        kind: 'tool',
        name: 'Bash',
        status: allowed ? 'ok' : 'error',
        started_at: Date.now(),
        duration_ms: 0,
        attrs: { decision: frame.decision, decided_by: frame.decided_by },
        ...(allowed ? {} : { message: `not run: ${frame.reason ?? frame.decision}` }),
      });
      break;
    }
    case 'control':
      if (frame.action === 'pause') paused = true;
      if (frame.action === 'resume') paused = false;
      if (frame.action === 'message') {
        send({ type: 'event', kind: 'agent', name: 'message received', ts: Date.now(), message: frame.text });
      }
      if (frame.action === 'stop') {
        send({ type: 'event', kind: 'agent', name: 'stopping', ts: Date.now(), level: 'info' });
        ws.close(1000, 'stopped');
      }
      break;
    case 'error':
      console.error(`supervisor refused frame ${frame.ref_seq ?? '?'}: ${frame.code}: ${frame.message}`);
      if (FATAL.has(frame.code)) ws.close();
      break;
  }
});

ws.on('close', () => clearInterval(heartbeatTimer));
ws.on('error', (error) => {
  console.error(`connection failed: ${error.message}`);
  process.exitCode = 1;
});
