"""Offline login through a real sshd: after an online login, the same
password opens a shell while Cognito cannot be reached, with the message
the user should see; a wrong one does not."""
import os
import shutil
import socket
import tempfile

from cognito import SshdCase, base_config, write_config

USER = "alice"
PASSWORD = "Alice-Passw0rd!"


def refused_url(owner):
    """http://127.0.0.1:PORT/ that refuses connections until owner's class
    cleanup: the port stays bound, never listening, so no server another
    test starts can take it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    owner.addClassCleanup(sock.close)
    return f"http://127.0.0.1:{sock.getsockname()[1]}/"


class SshdOfflineTest(SshdCase):
    users = (USER,)

    @classmethod
    def make_config(cls):
        cls.tmp = tempfile.mkdtemp(prefix="pc-e2e-offline-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        os.chmod(cls.tmp, 0o755)
        cls.config = os.path.join(cls.tmp, "pam_cognito.conf")
        cls.cache = os.path.join(cls.tmp, "cache")
        cls.online()

    @classmethod
    def online(cls):
        write_config(cls.config, base_config(cls.emu, cache_dir=cls.cache, offline_days=7))

    @classmethod
    def cognito_down(cls):
        dead = refused_url(cls)
        write_config(cls.config, base_config(cls.emu, cache_dir=cls.cache, offline_days=7,
                                             idp_endpoint=dead, identity_endpoint=dead))

    def login(self, password):
        return self.sshd.login(USER, [(r"Password: ", password)], command="echo shell-$(id -un)")

    def test_offline_login_over_ssh(self):
        self.online()
        r = self.login(PASSWORD)
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.cognito_down()
        try:
            r = self.login("Wrong-Passw0rd!")
            self.assertNotEqual(r.exit_status, 0, r.transcript)
            self.assertNotIn("shell-", r.output)
            r = self.login(PASSWORD)
            self.assertEqual(r.exit_status, 0, r.transcript)
            self.assertIn("shell-alice", r.output)
            self.assertIn("Cognito cannot be reached; logged in with cached credentials "
                          "(last online login: ", r.terminal)
        finally:
            self.online()
