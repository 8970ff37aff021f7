'use strict';

/** One line at the very end of `npm test`: suites, tests and the wall time of the whole run. */
class TimingReporter {
  onRunComplete(_contexts, results) {
    const seconds = Math.round((Date.now() - results.startTime) / 1000);
    const failedSuites = results.numFailedTestSuites; // suites that could not run are among them
    const failures = failedSuites || results.numFailedTests ? ` (${failedSuites} suites, ${results.numFailedTests} tests failed)` : '';
    const line = `npm test: ${results.numTotalTestSuites} suites, ${results.numTotalTests} tests in ${seconds} s${failures}\n`;
    // Jest's own summary reporter always runs after custom ones; printing on exit puts this line
    // below it, on the same stream.
    process.once('exit', () => process.stderr.write(line));
  }
}

module.exports = TimingReporter;
