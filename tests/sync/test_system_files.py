"""The sync tests leave this machine's system files as they found them.
A run without --root and without sudo_rules removes /etc/sudoers.d/
pam_cognito as the sync's own (pam_cognito-sync(8)): SyncCase puts this
host's file back after each test. And every module of tests/sync checks,
after its last test, that /etc/passwd, /etc/group, /etc/nsswitch.conf,
/etc/sudoers.d and /var/cache/pam_cognito are byte for byte as before its
first (synccommon's setUpModule / tearDownModule); the tests' configs name
a cache_dir of their own, since a run sweeps it."""
import importlib
import os
import unittest
from pathlib import Path

from synccommon import setUpModule, tearDownModule  # noqa: F401 (system files check)
import synccommon
from synccommon import HERE, SyncCase, run_sync, run_sync_traced
import systemstate

# Comments only: a sudoers file that grants nothing.
MARK = b"# pam_cognito tests: this host's own sudoers file, granting nothing\n"


class SystemFilesTest(unittest.TestCase):
    def test_a_sync_test_without_root_leaves_this_hosts_sudoers_file(self):
        sudoers = Path(systemstate.SUDOERS)
        saved = systemstate.file_state(sudoers)
        self.addCleanup(systemstate.put_file, systemstate.SUDOERS, saved)
        if saved is None:  # this host has none: one for the test
            sudoers.write_bytes(MARK)
            os.chmod(sudoers, 0o440)
        before = systemstate.file_state(sudoers)
        seen = []

        class Inner(SyncCase):
            def test_a_sync_that_means_only_its_nss_dir(self):
                r = run_sync(self.cfg)
                self.assertEqual(r.returncode, 0, r.stderr)
                seen.append(r.stderr)

        # Not this module's: unittest must not run its module fixture again.
        Inner.__module__ = __name__ + ".inner"
        result = unittest.TestResult()
        unittest.defaultTestLoader.loadTestsFromTestCase(Inner).run(result)
        self.assertTrue(result.wasSuccessful(), result.errors + result.failures)
        self.assertIn("sudo_rules is not set: removed %s" % sudoers, seen[0])
        self.assertEqual(systemstate.file_state(sudoers), before)

    def test_a_sync_test_sweeps_its_own_cache_dir_not_this_hosts(self):
        """A run without --root sweeps cache_dir (removed users' areas):
        the tests' configs name one in the test's directory, and the run
        opens that one and no path of /var/cache/pam_cognito."""
        seen = []

        class Inner(SyncCase):
            def test_a_sync_that_means_only_its_nss_dir(self):
                r, calls = run_sync_traced(self.cfg, "%file")
                self.assertEqual(r.returncode, 0, r.stderr)
                seen.append((self.tmp, calls))

        Inner.__module__ = __name__ + ".inner"
        result = unittest.TestResult()
        unittest.defaultTestLoader.loadTestsFromTestCase(Inner).run(result)
        self.assertTrue(result.wasSuccessful(), result.errors + result.failures)
        tmp, calls = seen[0]
        own = '"%s/cache"' % tmp
        self.assertTrue([c for c in calls if own in c], calls)
        self.assertEqual([c for c in calls if systemstate.CACHE_DIR in c], [])
        self.assertIn(systemstate.CACHE_DIR, systemstate.WATCHED)

    def test_every_module_checks_the_system_files(self):
        for path in sorted(HERE.glob("test_*.py")):
            mod = importlib.import_module(path.stem)
            self.assertIs(getattr(mod, "setUpModule", None), synccommon.setUpModule, path.name)
            self.assertIs(getattr(mod, "tearDownModule", None), synccommon.tearDownModule,
                          path.name)
