// Real core services for tests, with an in-memory persistence standing in for the store (the store has its own tests).
import { Fleet } from '../../../src/core/fleet/fleet';
import type { AgentRecord, FleetPersistence } from '../../../src/core/fleet/fleet';
import type { Logger } from '../../../src/core/log';

export class MemoryPersistence implements FleetPersistence {
  readonly saved = new Map<string, AgentRecord>();
  loadAgents(): AgentRecord[] {
    return [...this.saved.values()];
  }
  saveAgent(record: AgentRecord): void {
    this.saved.set(record.snapshot.id, record);
  }
  deleteAgent(id: string): void {
    this.saved.delete(id);
  }
}

export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string | Error) => void lines.push(`${level}: ${String(m)}`);
  return { lines, trace: push('trace'), debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

export function newFleet(persistence = new MemoryPersistence()): { fleet: Fleet; persistence: MemoryPersistence; log: ReturnType<typeof memoryLogger> } {
  const log = memoryLogger();
  return { fleet: new Fleet(persistence, log), persistence, log };
}
