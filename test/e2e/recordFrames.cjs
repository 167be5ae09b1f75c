// Preload (node --require) for the protocol example client in e2e tests: prints every frame the supervisor sends
// as one line `frame <json>` on stdout, so a test can see the control frames the client obeyed.
const WebSocket = require('ws');

const emit = WebSocket.prototype.emit;
WebSocket.prototype.emit = function (event, ...args) {
  if (event === 'message') process.stdout.write(`frame ${String(args[0])}\n`);
  return emit.call(this, event, ...args);
};
