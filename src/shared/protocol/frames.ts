// The frame union of protocol v1: which frame types exist, their schemas by type, and who may send each.
import { z } from 'zod';
import { AckFrameSchema } from './ack';
import { ApprovalDecisionFrameSchema } from './approvalDecision';
import { ApprovalRequestFrameSchema } from './approvalRequest';
import { ControlFrameSchema } from './control';
import { ErrorFrameSchema } from './error';
import { EventFrameSchema } from './event';
import { HeartbeatFrameSchema } from './heartbeat';
import { HelloFrameSchema } from './hello';
import { SpanFrameSchema } from './span';
import { WelcomeFrameSchema } from './welcome';

/** Every frame schema by its `type`; parse looks the schema up here before validating. */
export const FRAME_SCHEMAS = {
  hello: HelloFrameSchema,
  welcome: WelcomeFrameSchema,
  heartbeat: HeartbeatFrameSchema,
  span: SpanFrameSchema,
  event: EventFrameSchema,
  approval_request: ApprovalRequestFrameSchema,
  approval_decision: ApprovalDecisionFrameSchema,
  control: ControlFrameSchema,
  ack: AckFrameSchema,
  error: ErrorFrameSchema,
} as const;

export type FrameType = keyof typeof FRAME_SCHEMAS;
export const FRAME_TYPES = Object.keys(FRAME_SCHEMAS) as FrameType[];

export const FrameSchema = z
  .discriminatedUnion('type', [
    HelloFrameSchema,
    WelcomeFrameSchema,
    HeartbeatFrameSchema,
    SpanFrameSchema,
    EventFrameSchema,
    ApprovalRequestFrameSchema,
    ApprovalDecisionFrameSchema,
    ControlFrameSchema,
    AckFrameSchema,
    ErrorFrameSchema,
  ])
  .meta({ id: 'Frame', title: 'Flotilla protocol v1 frame' });

export type Frame = z.infer<typeof FrameSchema>;
export type FrameOf<T extends FrameType> = Extract<Frame, { type: T }>;
/** A frame before its sender numbers it (distributes over the union, unlike a plain Omit). */
export type FrameDraft<F extends Frame = Frame> = F extends unknown ? Omit<F, 'seq'> : never;

export type FrameSender = 'agent' | 'supervisor';

export const AGENT_FRAME_TYPES = ['hello', 'heartbeat', 'span', 'event', 'approval_request', 'ack', 'error'] as const;
export const SUPERVISOR_FRAME_TYPES = ['welcome', 'approval_decision', 'control', 'ack', 'error'] as const;

export type AgentFrame = FrameOf<(typeof AGENT_FRAME_TYPES)[number]>;
export type SupervisorFrame = FrameOf<(typeof SUPERVISOR_FRAME_TYPES)[number]>;

export function isFrameType(type: string): type is FrameType {
  return Object.prototype.hasOwnProperty.call(FRAME_SCHEMAS, type);
}

export function mayBeSentBy(type: FrameType, sender: FrameSender): boolean {
  const allowed: readonly FrameType[] = sender === 'agent' ? AGENT_FRAME_TYPES : SUPERVISOR_FRAME_TYPES;
  return allowed.includes(type);
}
