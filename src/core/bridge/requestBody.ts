// Reads a request body for the bridge within a byte limit and a time limit. Only this reading phase is timed: what
// the route does with the body afterwards (wait minutes for a human) is not.
import type { IncomingMessage } from 'node:http';

export class BodyError extends Error {
  constructor(
    readonly status: 408 | 413 | 400,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

export function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(new BodyError(413, `body larger than ${maxBytes} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error: BodyError | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (error) {
        chunks.length = 0;
        // Stop reading: the refusal closes the connection, so nothing more of this body is wanted.
        req.pause();
        reject(error);
      } else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(new BodyError(413, `body larger than ${maxBytes} bytes`));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(undefined);
    const onError = (err: Error) => finish(new BodyError(400, `body could not be read (${err.message})`));
    const onClose = () => finish(new BodyError(400, 'the client closed the connection before the body ended'));
    const timer = setTimeout(() => {
      const seconds = Math.round(timeoutMs / 100) / 10;
      finish(new BodyError(408, `body not received within ${seconds} s`));
    }, timeoutMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
