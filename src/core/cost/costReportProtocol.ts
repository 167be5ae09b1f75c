// Messages between the extension host and the Costs report worker (costReportWorker.ts). The worker checks what it
// receives (a job's shape, loosely: the report builder reads only plain data); the host trusts the worker's replies'
// structure (same bundle) but checks their type.
import * as z from 'zod';
import type { CostReport } from '../../shared/webview/costsProtocol';
import { DRIVER_NAMES } from '../store/driver';
import type { DriverName } from '../store/driver';
import type { CostReportJob } from './costReportJob';

export const CostWorkerDataSchema = z.object({
  dbPath: z.string().min(1),
  driver: z.enum(DRIVER_NAMES as [DriverName, ...DriverName[]]),
  /** Int32Array[1] over a SharedArrayBuffer: the id of the newest job the host asked for. */
  latest: z.instanceof(SharedArrayBuffer),
});
export type CostWorkerData = z.infer<typeof CostWorkerDataSchema>;

export const CostWorkerRequestSchema = z.object({
  type: z.literal('job'),
  id: z.number().int().positive(),
  job: z.custom<CostReportJob>((j) => typeof j === 'object' && j !== null && Array.isArray((j as { agents?: unknown }).agents) && ((j as { days?: unknown }).days === 7 || (j as { days?: unknown }).days === 30), 'job: expected { days: 7 | 30, agents: [...], ... }'),
});
export type CostWorkerRequest = z.infer<typeof CostWorkerRequestSchema>;

export type CostWorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly reason: string }
  | { readonly type: 'report'; readonly id: number; readonly report: CostReport }
  | { readonly type: 'superseded'; readonly id: number }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
