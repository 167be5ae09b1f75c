// Receives the host's messages on window 'message', validates each with the shared schemas, logs and ignores a bad one.
import type { ParsedMessage } from '../../src/shared/webview/messages';

export function onHostMessage<M>(parse: (raw: unknown) => ParsedMessage<M>, handle: (message: M) => void): () => void {
  const listener = (event: MessageEvent) => {
    const parsed = parse(event.data);
    if (!parsed.ok) {
      console.warn(`Flotilla webview: ignored a message from the host: ${parsed.error.message}`);
      return;
    }
    try {
      handle(parsed.message);
    } catch (err) {
      console.error('Flotilla webview: a host message could not be handled', err);
    }
  };
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}
