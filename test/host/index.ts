// Entry of the in-host tier: the extension host loads this module (extensionTestsPath) and calls run(), as
// @vscode/test-electron expects. It runs every bundled suite found in ./suites with mocha and writes a JSON
// report to $FLOTILLA_TEST_REPORT for the outer runner.
import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { REPORTER_LINE_PREFIX } from '../harness/hostProtocol';
import type { HostReport } from '../harness/hostProtocol';

function writeReport(report: HostReport): void {
  const path = process.env.FLOTILLA_TEST_REPORT;
  if (path) writeFileSync(path, JSON.stringify(report, null, 2));
}

export function run(): Promise<void> {
  const report: HostReport = { passes: [], failures: [], pending: [] };
  // Tag the reporter's lines so the runner can tell them from the workbench's own log output.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(REPORTER_LINE_PREFIX + format(...args));
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const suitesDir = join(__dirname, 'suites');
  const suites = readdirSync(suitesDir).filter((name) => name.endsWith('.test.js')).sort();
  if (suites.length === 0) {
    report.failures.push({ title: 'load suites', error: `no *.test.js suite in ${suitesDir}` });
    writeReport(report);
    return Promise.reject(new Error(`no suites in ${suitesDir}`));
  }
  for (const name of suites) mocha.addFile(join(suitesDir, name));
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        writeReport(report);
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else resolve();
      });
      runner.on('pass', (test) => report.passes.push({ title: test.fullTitle() }));
      runner.on('pending', (test) => report.pending.push({ title: test.fullTitle() }));
      runner.on('fail', (test, err: Error) => report.failures.push({ title: test.fullTitle(), error: err.message, stack: err.stack }));
    } catch (err) {
      // A suite that throws while loading never reaches the runner.
      const error = err instanceof Error ? err : new Error(String(err));
      report.failures.push({ title: 'load suites', error: error.message, stack: error.stack });
      writeReport(report);
      reject(error);
    }
  });
}
