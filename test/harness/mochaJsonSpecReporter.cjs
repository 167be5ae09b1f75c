// A mocha reporter for the harness: prints like `spec` and also writes a JSON summary (passes, failures with
// titles and errors, pending) to --reporter-option output=<path>, which main.ts reads for the counts.
// CommonJS: mocha loads reporters with require() (eslint.config.mjs gives *.cjs Node's globals).
const { writeFileSync } = require('node:fs');
const Mocha = require('mocha');

class JsonSpecReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const output = options && options.reporterOption && options.reporterOption.output;
    const report = { passes: [], failures: [], pending: [] };
    runner.on('pass', (test) => report.passes.push({ title: test.fullTitle() }));
    runner.on('pending', (test) => report.pending.push({ title: test.fullTitle() }));
    runner.on('fail', (test, err) =>
      report.failures.push({ title: test.fullTitle(), error: (err && err.message) || String(err), stack: err && err.stack }),
    );
    runner.once('end', () => {
      if (output) writeFileSync(output, JSON.stringify(report, null, 2));
    });
  }
}

module.exports = JsonSpecReporter;
