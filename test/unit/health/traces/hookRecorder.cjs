// Command hook of the trace recorder (record.ts): appends each hook payload Claude Code sends, with the time it
// arrived, to $TRACE_FILE; answers PreToolUse with allow, or deny when the call matches $TRACE_DENY (a regular
// expression over the tool input's JSON), as Flotilla's policy would.
const fs = require('node:fs');

let text = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => (text += c));
process.stdin.on('end', () => {
  const payload = JSON.parse(text);
  fs.appendFileSync(process.env.TRACE_FILE, `${JSON.stringify({ at: Date.now(), payload })}\n`);
  if (payload.hook_event_name !== 'PreToolUse') return;
  const deny = process.env.TRACE_DENY && new RegExp(process.env.TRACE_DENY).test(JSON.stringify(payload.tool_input));
  const decision = deny ? { permissionDecision: 'deny', permissionDecisionReason: 'prohibited by the recording policy' } : { permissionDecision: 'allow' };
  process.stdout.write(JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', ...decision } }));
});
