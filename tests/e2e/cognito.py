"""Shared set-up for the end-to-end tests: the emulator, a config file,
PAM service files that load the built pam_cognito, and SshdCase, the base
of every test class that drives a real sshd."""
import atexit
import os
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "pam"))
sys.path.insert(0, str(HERE))

from pamrun import (MODULE, POOL, Emulator, EmulatorAnswers, base_config,  # noqa: E402,F401
                    write_config)
import harness  # noqa: E402,F401


def config_file(emu, **over):
    d = tempfile.mkdtemp(prefix="pc-e2e-conf-")
    atexit.register(shutil.rmtree, d, True)  # the process's own temp dir
    path = os.path.join(d, "pam_cognito.conf")
    write_config(path, base_config(emu, **over))
    return path


def sshd_stack(config):
    """What an administrator puts in /etc/pam.d/sshd (see README)."""
    return (f"auth required {MODULE} config={config}\n"
            "account required pam_permit.so\n"
            f"session required {MODULE} config={config}\n"
            "session required pam_permit.so\n")


def passwd_stack(config):
    return f"password required {MODULE} config={config}\n"


class SshdCase(EmulatorAnswers, unittest.TestCase):
    """One emulator and one private sshd per class, local accounts `users`
    made before and removed after, the emulator back to its fixture before
    each test. A class says what differs: `fixture` (the emulator's),
    `make_config()` (cls.config, by default a config file for the emulator),
    `stack()` (the sshd-cognito service file), `sshd_config` and
    `sshd_debug` (harness.Sshd's extra_config and debug_level), and
    `per_test_sshd` when each test starts its own with start_sshd()."""

    users = ()
    fixture = None
    sshd_config = ""
    sshd_debug = None
    per_test_sshd = False

    @classmethod
    def setUpClass(cls):
        for user in cls.users:
            harness.ensure_local_user(user)
            cls.addClassCleanup(harness.remove_local_user, user)
        cls.emu = Emulator(fixture=cls.fixture).start()
        cls.addClassCleanup(cls.emu.stop)
        if not cls.per_test_sshd:
            cls.make_config()
            cls.svc, cls.sshd = cls.start_sshd(cls.config, cls.addClassCleanup)

    @classmethod
    def make_config(cls):
        cls.config = config_file(cls.emu)

    @classmethod
    def stack(cls, config):
        return sshd_stack(config)

    @classmethod
    def start_sshd(cls, config, cleanup, **options):
        """A service dir with stack(config) and an sshd on it, both handed to
        cleanup (addClassCleanup or addCleanup); options over the class's."""
        svc = harness.PamServiceDir({"sshd-cognito": cls.stack(config)})
        cleanup(svc.cleanup)
        options = dict({"extra_config": cls.sshd_config, "debug_level": cls.sshd_debug},
                       **options)
        sshd = harness.Sshd(svc, **options).start()
        cleanup(sshd.cleanup)
        return svc, sshd

    def setUp(self):
        self.emu.control("Reset")

    def password_sshd(self):
        """An sshd on the class's stack that answers PAM itself
        (PasswordAuthentication): one password, no challenge."""
        return harness.Sshd(self.svc, extra_config="PasswordAuthentication yes\n"
                            "KbdInteractiveAuthentication no\n"
                            "AuthenticationMethods password\n", debug_level=2).start()
