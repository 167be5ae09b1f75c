// What the in-host test entry (test/host/index.ts) and the outer runner (hostTests.ts) agree on.

/** The JSON report the host writes to $FLOTILLA_TEST_REPORT. */
export interface HostReport {
  passes: { title: string }[];
  failures: { title: string; error: string; stack?: string }[];
  pending: { title: string }[];
}

/**
 * Marks the mocha reporter's lines among everything the workbench forwards to codeAutomationLog, so the runner
 * can echo the test output without the workbench's own chatter.
 */
export const REPORTER_LINE_PREFIX = '\u200b[flotilla-host] ';
