'use strict';
// Writes jest's aggregated result to $JEST_JSON_OUTPUT, so .ci/run can print "N passed, N failed" from it.
const { writeFileSync } = require('node:fs');

class JsonResultReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.JEST_JSON_OUTPUT;
    if (file) writeFileSync(file, JSON.stringify({
      numPassedTests: results.numPassedTests,
      numFailedTests: results.numFailedTests,
      numPendingTests: results.numPendingTests,
      numTodoTests: results.numTodoTests,
      numRuntimeErrorTestSuites: results.numRuntimeErrorTestSuites,
      success: results.success,
    }));
  }
}
module.exports = JsonResultReporter;
