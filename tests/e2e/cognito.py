"""Shared set-up for the end-to-end tests: the emulator, a config file, and
PAM service files that load the built pam_cognito."""
import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "pam"))
sys.path.insert(0, str(HERE))

from pamrun import MODULE, POOL, Emulator, base_config, write_config  # noqa: E402,F401
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
