"""Run unittest suites and print one PASS:/FAIL: line per test.

A skipped test is reported as FAIL: a test that did not run proved nothing.
Usage: python3 tests/pyrunner.py DIR [PATTERN] [--jobs N]

The slowest tests (PYRUNNER_SLOWEST of them, default 5) go to stderr with
the totals, so that a suite's time has names.

--jobs N runs the test modules in N processes at once (most PAM tests wait
on a timeout or a slow server, not on a core). A module's lines are shown
together when it ends. A module may say:
  PYRUNNER_SHARDS = k   its tests are dealt to k processes (by name, in turn)
  PYRUNNER_ALONE = True it changes what the others rely on (local accounts):
                        it runs after the others, with nothing beside it
The longest work starts first: by the times of the last run, kept in the
file PYRUNNER_TIMES names (when set), else by the number of tests.
"""
import json
import os
import selectors
import subprocess
import sys
import time
import unittest


class LineResult(unittest.TextTestResult):
    # Per test, the time since the previous one ended: class and module
    # fixtures count with the test they came before.
    durations = {}
    last = time.monotonic()

    def stopTest(self, test):
        super().stopTest(test)
        now = time.monotonic()
        LineResult.durations[test.id()] = now - LineResult.last
        LineResult.last = now

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

    def addSubTest(self, test, subtest, err):
        # A failed subTest: its own line (the test then gets no PASS line).
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._line("FAIL", subtest, str(err[1]).splitlines()[0] if str(err[1]) else err[0].__name__)

    def addSkip(self, test, reason):
        unittest.TestResult.addSkip(self, test, reason)
        self._line("FAIL", test, "skipped: " + reason)

    def addUnexpectedSuccess(self, test):
        unittest.TestResult.addUnexpectedSuccess(self, test)
        self._line("FAIL", test, "unexpected success")

    def addExpectedFailure(self, test, err):
        unittest.TestResult.addExpectedFailure(self, test, err)
        self._line("FAIL", test, "expected failure is not allowed here")


def same_names(start):
    """Test files of the same name in two test folders: one folder puts the
    other on sys.path (tests/pam imports the emulator, tests/sync imports
    tests/pam), so one file would stand in for the other at import time."""
    tests = os.path.dirname(os.path.abspath(start.rstrip("/")))
    seen = {}
    for folder in sorted(os.listdir(tests)):
        path = os.path.join(tests, folder)
        if os.path.isdir(path):
            for name in os.listdir(path):
                if name.startswith("test_") and name.endswith(".py"):
                    seen.setdefault(name, []).append(folder)
    return {n: f for n, f in seen.items() if len(f) > 1}


def discover(start, pattern):
    twins = same_names(start)
    if twins:
        for name, folders in sorted(twins.items()):
            print(f"FAIL: test file {name} is in {' and '.join(folders)}: give each its own name")
        sys.exit(1)
    return unittest.defaultTestLoader.discover(start, pattern=pattern, top_level_dir=start)


def flat(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from flat(item)
        else:
            yield item


def run_tests(start, tests, times_file=None):
    """Run tests here; returns the number that did not pass."""
    runner = unittest.TextTestRunner(stream=sys.stdout, resultclass=LineResult, verbosity=0)
    t = time.time()
    LineResult.last = time.monotonic()
    res = runner.run(tests)
    bad = len(res.failures) + len(res.errors) + len(res.skipped)
    sys.stderr.write(f"{start}: {res.testsRun} tests, {bad} not passed, {time.time() - t:.1f}s\n")
    report_slowest(LineResult.durations)
    if times_file:
        with open(times_file, "w", encoding="utf-8") as fh:
            json.dump(LineResult.durations, fh)
    return bad


def report_slowest(durations):
    slowest = sorted(durations.items(), key=lambda kv: -kv[1])
    for name, secs in slowest[:int(os.environ.get("PYRUNNER_SLOWEST", "5"))]:
        sys.stderr.write(f"  slow: {secs:6.1f}s {name}\n")


def shard_of(tests, shard):
    """Shard "i/k": every k-th test by name, from the i-th."""
    i, k = (int(x) for x in shard.split("/"))
    return unittest.TestSuite(sorted(tests, key=lambda t: t.id())[i::k])


class Work:
    """One process's share: a module file, maybe one shard of it."""

    def __init__(self, module, path, ids, shard=None, alone=False):
        self.module, self.path, self.ids, self.shard, self.alone = module, path, ids, shard, alone
        self.name = module + (f"[{shard}]" if shard else "")

    def cost(self, last):
        known = [last[i] for i in self.ids if i in last]
        return sum(known) if known else float(len(self.ids))


def plan(start, pattern):
    """The work items of a suite, longest first, then the ones that run alone."""
    by_module, broken = {}, []
    for test in flat(discover(start, pattern)):
        if isinstance(test, unittest.loader._FailedTest):
            broken.append(test)  # a module that cannot be imported: its failure, here
            continue
        by_module.setdefault(type(test).__module__, []).append(test.id())
    items = []
    for module, ids in sorted(by_module.items()):
        mod = sys.modules[module]
        path = os.path.basename(mod.__file__)
        alone = bool(getattr(mod, "PYRUNNER_ALONE", False))
        k = 1 if alone else int(getattr(mod, "PYRUNNER_SHARDS", 1))
        for i in range(k):
            share = sorted(ids)[i::k]
            items.append(Work(module, path, share, f"{i}/{k}" if k > 1 else None, alone))
    last = {}
    if os.environ.get("PYRUNNER_TIMES"):
        try:
            with open(os.environ["PYRUNNER_TIMES"], encoding="utf-8") as fh:
                last = json.load(fh)
        except (OSError, ValueError):
            pass
    together = sorted((w for w in items if not w.alone), key=lambda w: -w.cost(last))
    return together, [w for w in items if w.alone], broken, last


def run_parallel(start, pattern, jobs):
    """Each work item in a process of its own, jobs of them at once."""
    together, alone, broken, last = plan(start, pattern)
    tmp = os.environ.get("TMPDIR", "/tmp")
    t = time.time()
    sel = selectors.DefaultSelector()
    running, durations, bad, total = {}, {}, 0, 0
    launched = iter(range(1 << 30))

    def launch(work):
        times = os.path.join(tmp, "pyrunner-%d-%d.json" % (os.getpid(), next(launched)))
        cmd = [sys.executable, os.path.abspath(__file__), start, work.path, "--times", times]
        if work.shard:
            cmd += ["--shard", work.shard]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        running[proc] = (work, times, [], [])
        sel.register(proc.stdout, selectors.EVENT_READ, (proc, 2))
        sel.register(proc.stderr, selectors.EVENT_READ, (proc, 3))

    def finish(proc):
        nonlocal bad, total
        work, times, out, err = running.pop(proc)
        rc = proc.wait()
        text = b"".join(out).decode("utf-8", "replace")
        verdicts = [line for line in text.splitlines() if line.startswith(("PASS:", "FAIL:"))]
        total += len(verdicts)
        bad += sum(1 for line in verdicts if line.startswith("FAIL:"))
        if rc != 0 and not any(line.startswith("FAIL:") for line in verdicts):
            text += f"FAIL: {work.name} (its process ended with status {rc})\n"
            bad += 1
        sys.stdout.write(text)
        sys.stdout.flush()
        # The process's own totals are replaced by the suite's; anything
        # else it said (an import error, a crash) is kept.
        for line in b"".join(err).decode("utf-8", "replace").splitlines():
            if not line.startswith((start + ":", "  slow:")):
                sys.stderr.write(line + "\n")
        try:
            with open(times, encoding="utf-8") as fh:
                durations.update(json.load(fh))
            os.unlink(times)
        except (OSError, ValueError):
            pass

    def drain():
        for key, _ in sel.select():
            proc, which = key.data
            chunk = os.read(key.fd, 65536)
            if chunk:
                running[proc][which].append(chunk)
                continue
            sel.unregister(key.fileobj)
            key.fileobj.close()
            if proc.stdout.closed and proc.stderr.closed:
                finish(proc)

    queue = list(together)
    while queue or running:
        while queue and len(running) < jobs:
            launch(queue.pop(0))
        drain()
    for work in alone:
        launch(work)
        while running:
            drain()
    if broken:
        res = unittest.TextTestRunner(stream=sys.stdout, resultclass=LineResult,
                                      verbosity=0).run(unittest.TestSuite(broken))
        total += res.testsRun
        bad += len(res.failures) + len(res.errors)

    sys.stderr.write(f"{start}: {total} tests, {bad} not passed, {time.time() - t:.1f}s "
                     f"({jobs} at once)\n")
    report_slowest(durations)
    if os.environ.get("PYRUNNER_TIMES"):
        try:
            with open(os.environ["PYRUNNER_TIMES"], "w", encoding="utf-8") as fh:
                json.dump(dict(last, **durations), fh)
        except OSError:
            pass
    return bad


def main():
    args = sys.argv[1:]
    opts = {}
    for flag in ("--jobs", "--shard", "--times"):
        if flag in args:
            i = args.index(flag)
            opts[flag] = args[i + 1]
            del args[i:i + 2]
    start = args[0]
    pattern = args[1] if len(args) > 1 else "test_*.py"
    jobs = int(opts.get("--jobs", 1))
    if jobs > 1:
        bad = run_parallel(start, pattern, jobs)
    else:
        tests = discover(start, pattern)
        if "--shard" in opts:
            tests = shard_of(flat(tests), opts["--shard"])
        bad = run_tests(start, tests, opts.get("--times"))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
