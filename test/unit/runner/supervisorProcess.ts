// A supervisor as its own process, for fault injection (the test SIGKILLs it): the real store file (a fleet persisted
// in it, the remote frame journal), the core wired as the composition root wires it (remoteKit.startRemoteCore), and
// one RunnerConnection dialling a runner. Usage: tsx supervisorProcess.ts <db file> <runner url> <token file>.
import * as http from 'node:http';
import { readFileSync } from 'node:fs';
import { ApprovalQueue } from '../../../src/core/approvals/approvalQueue';
import { Fleet } from '../../../src/core/fleet/fleet';
import { StoreFleetPersistence } from '../../../src/core/fleet/storePersistence';
import type { Logger } from '../../../src/core/log';
import { openStore } from '../../../src/core/store/openDatabase';
import { RunnerConnection } from '../../../src/adapters/remote/runnerConnection';
import { runnerFleetAgent } from '../../../src/adapters/remote/runnerFleetAgents';
import { startRemoteCore } from '../remote/remoteKit';

const [dbPath, url, tokenFile] = process.argv.slice(2);
if (!dbPath || !url || !tokenFile) throw new Error('usage: supervisorProcess <db file> <runner url> <token file>');

const log: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: (m) => process.stderr.write(`info: ${m}\n`),
  warn: (m) => process.stderr.write(`warn: ${m}\n`),
  error: (m) => process.stderr.write(`error: ${String(m)}\n`),
};
// As the extension opens it: checkpoints in a worker thread (the SIGKILL below lands while they run).
const { store } = openStore(dbPath, { backgroundCheckpoints: true });
const fleet = new Fleet(new StoreFleetPersistence(store, 'fault-test', log), log);
const approvals = new ApprovalQueue(() => ({ escalateAfterMs: 60_000, timeoutMs: 60_000 }));
const core = startRemoteCore(http.createServer(), {
  fleet,
  approvals,
  log,
  journal: store.remoteFrames,
  frameRate: { burst: 1_000_000, perSecond: 1_000_000, maxRefused: 1000 },
});
const connection = new RunnerConnection({
  name: 'box',
  url,
  token: readFileSync(tokenFile, 'utf8').trim(),
  accept: (socket, remote, id) => core.adapter.acceptDialed(socket, remote, id),
  resolveAgent: (name, agent, host) => runnerFleetAgent(fleet, name, agent, host),
  log,
  initialDelayMs: 100,
  maxDelayMs: 500,
});
connection.onDidChangeState((state) => process.stdout.write(`state ${state.phase}\n`));
core.adapter.onDidChangeConnection((change) => process.stdout.write(`agent ${change.agentId} ${change.connected ? 'connected' : 'disconnected'}\n`));
process.on('SIGTERM', () => {
  connection.dispose();
  core.dispose();
  store.close();
  process.exit(0);
});
