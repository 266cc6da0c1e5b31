import type { Reporter, TestModule } from "vitest/node";

/**
 * Ends the run with one plain `N passed, N failed, N skipped` line that any CI can read. A test
 * file that fails outside its tests (an import, a beforeAll) counts as one failure, so the line
 * never says 0 failed for a red run.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of modules) {
      let failedTests = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") counts.passed += 1;
        else if (state === "failed") failedTests += 1;
        else counts.skipped += 1;
      }
      counts.failed += failedTests;
      if (module.state() === "failed" && failedTests === 0) counts.failed += 1;
    }
    process.stdout.write(
      `\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`,
    );
  }
}
