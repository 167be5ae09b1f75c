// Preload for the fleet-load bench (NODE_OPTIONS=--require on the bench's code-server only, see below): inside
// the extension host, and nowhere else, measures event-loop delay (perf_hooks.monitorEventLoopDelay) and RSS per
// phase. The bench names the phase in $FLOTILLA_BENCH_PROBE_DIR/phase; when it changes, the figures of the phase
// that ended are written to result-<phase>.json and the histogram starts again. Every other process ignores it.
const fs = require('node:fs');
const path = require('node:path');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const dir = process.env.FLOTILLA_BENCH_PROBE_DIR;
// The server strips NODE_OPTIONS from the extension host's environment but forks it with its own execArgv: pass
// the preload on that way.
if (dir && !process.execArgv.includes(__filename)) process.execArgv.push('--require', __filename);
if (dir && process.argv.includes('--type=extensionHost')) {
  const RESOLUTION_MS = 10;
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let phase = '';
  let rss = [];
  // The histogram records the whole time between its timer's runs: the lag is what exceeds the timer's period.
  const ms = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  const timer = setInterval(() => {
    rss.push(process.memoryUsage.rss());
    let next = phase;
    try {
      next = fs.readFileSync(path.join(dir, 'phase'), 'utf8').trim();
    } catch {
      // no phase yet
    }
    if (next === phase) return;
    if (phase) {
      const result = {
        pid: process.pid,
        samples: histogram.count,
        p50: ms(histogram.percentile(50)),
        p90: ms(histogram.percentile(90)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
        mean: ms(histogram.mean),
        resolutionMs: RESOLUTION_MS,
        rssStart: rss[0],
        rssEnd: rss[rss.length - 1],
        rssPeak: Math.max(...rss),
      };
      fs.writeFileSync(path.join(dir, `result-${phase}.json`), JSON.stringify(result));
    }
    phase = next;
    histogram.reset();
    rss = [process.memoryUsage.rss()];
  }, 200);
  timer.unref();
  fs.writeFileSync(path.join(dir, `ready-${process.pid}`), String(process.pid));
}
