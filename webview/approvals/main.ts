// Entry of the Approvals panel webview (bundled to dist/webview/approvals.js): builds the app, validates every
// host message, and says `ready` once it listens, so the host never sends into the void.
import '../shared/zodConfig';
import './components';
import './approvals.css';
import { parseHostMessage } from '../../src/shared/webview/approvalsProtocol';
import type { ApprovalsWebviewMessage } from '../../src/shared/webview/approvalsProtocol';
import { onHostMessage } from '../shared/hostMessages';
import { vscodeApi } from '../shared/vscodeApi';
import { ApprovalsApp } from './app';
import { bindInteractions } from './interactions';

const api = vscodeApi<unknown>();
const post = (message: ApprovalsWebviewMessage) => api.postMessage(message);
const prefix = Math.random().toString(36).slice(2, 8);
let nextRequest = 0;

const container = document.getElementById('root') ?? document.body;
const app = new ApprovalsApp(container, {
  decide(ids, decision, message) {
    const requestId = `${prefix}-${++nextRequest}`;
    post(message === undefined ? { type: 'decide', requestId, ids, decision } : { type: 'decide', requestId, ids, decision, message });
    return requestId;
  },
  alwaysAllow(id, scope) {
    const requestId = `${prefix}-${++nextRequest}`;
    post({ type: 'alwaysAllow', requestId, id, scope });
    return requestId;
  },
  openAgent(agentId) {
    post({ type: 'openAgent', agentId });
  },
});
bindInteractions(app, container);

onHostMessage(parseHostMessage, (message) => {
  if (message.type === 'state') app.onState(message);
  else app.onDecideResult(message);
});
post({ type: 'ready' });
