"""Run unittest suites and print one PASS:/FAIL: line per test.

A skipped test is reported as FAIL: a test that did not run proved nothing.
Usage: python3 tests/pyrunner.py DIR [PATTERN]
"""
import sys
import time
import unittest


class LineResult(unittest.TextTestResult):
    def _line(self, status, test, why=""):
        self.stream.write(f"{status}: {test.id()}{(' - ' + why) if why else ''}\n")
        self.stream.flush()

    def printErrors(self):
        # The details follow the one-line verdicts, under a prefix that the
        # counting in tests/run does not take for another verdict.
        for kind, errors in (("failure", self.failures), ("error", self.errors)):
            for test, text in errors:
                self.stream.write(f"--- {kind} in {test.id()}:\n{text}\n")

    def addSuccess(self, test):
        unittest.TestResult.addSuccess(self, test)
        self._line("PASS", test)

    def addFailure(self, test, err):
        unittest.TestResult.addFailure(self, test, err)
        self._line("FAIL", test, str(err[1]).splitlines()[0] if str(err[1]) else err[0].__name__)

    def addError(self, test, err):
        unittest.TestResult.addError(self, test, err)
        self._line("FAIL", test, f"{err[0].__name__}: {err[1]}".splitlines()[0])

    def addSkip(self, test, reason):
        unittest.TestResult.addSkip(self, test, reason)
        self._line("FAIL", test, "skipped: " + reason)

    def addUnexpectedSuccess(self, test):
        unittest.TestResult.addUnexpectedSuccess(self, test)
        self._line("FAIL", test, "unexpected success")

    def addExpectedFailure(self, test, err):
        unittest.TestResult.addExpectedFailure(self, test, err)
        self._line("FAIL", test, "expected failure is not allowed here")


def main():
    start = sys.argv[1]
    pattern = sys.argv[2] if len(sys.argv) > 2 else "test_*.py"
    suite = unittest.defaultTestLoader.discover(start, pattern=pattern, top_level_dir=start)
    runner = unittest.TextTestRunner(stream=sys.stdout, resultclass=LineResult, verbosity=0)
    t = time.time()
    res = runner.run(suite)
    bad = len(res.failures) + len(res.errors) + len(res.skipped)
    sys.stderr.write(f"{start}: {res.testsRun} tests, {bad} not passed, {time.time() - t:.1f}s\n")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
