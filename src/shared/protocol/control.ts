// control (supervisor -> agent): the user steers the agent: pause, resume, stop, or a message to it.
import { z } from 'zod';
import { frameHeader, IdSchema, TextSchema } from './fields';

export const CONTROL_ACTIONS = ['pause', 'resume', 'stop', 'message'] as const;
export const ControlActionSchema = z.enum(CONTROL_ACTIONS);
export type ControlAction = z.infer<typeof ControlActionSchema>;

export const ControlFrameSchema = z
  .strictObject({
    ...frameHeader('control'),
    action: ControlActionSchema,
    agent_id: IdSchema.optional().describe("Target agent; defaults to hello's agent_id"),
    text: TextSchema.min(1).optional().describe("The message; required when action is 'message', absent otherwise"),
  })
  .refine((frame) => (frame.action === 'message') === (frame.text !== undefined), {
    message: "text is required when action is 'message' and not allowed otherwise",
    path: ['text'],
  })
  .meta({ id: 'ControlFrame', title: 'control', description: 'Supervisor -> agent: pause, resume, stop or message' });

export type ControlFrame = z.infer<typeof ControlFrameSchema>;
