"""Passkeys over a real sshd (keyboard-interactive, UsePAM) and a real ssh
client: choice-based sign-in with first_factors WEB_AUTHN and PASSWORD_SRP.

A security key is the person's, attached to their own computer: over SSH
the module does not offer it and says so (issue 26). Here a software key
IS reachable on the server (the check-only plugin beside a copy of the
module, its socket in sshd's environment), so a key that is never opened
shows the module kept to that, not that nothing was there to open.
A user with a passkey and a password logs in with the password; a user
with only a passkey is refused with words, not left waiting."""
import os
import shutil
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from cognito import SshdCase, config_file
from pamrun import BUILD, MODULE, Stack, base_config

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fido"))
import authenticator  # noqa: E402
import registration  # noqa: E402
import softkey  # noqa: E402

POOL = "us-east-1_PasskeyPool"
CLIENT = "passkeyclient000000000000001"
FACTORS = {"user_pool_id": POOL, "client_id": CLIENT, "auth_flow": "USER_AUTH",
           "first_factors": ["WEB_AUTHN", "PASSWORD_SRP"]}
ALICE_PW = "Alice-Passkey1!"
TEST_PLUGIN = BUILD / "tests" / "fido" / ".libs" / "pam_cognito_passkey.so"
NOT_OVER_SSH = ("Security keys (passkeys) cannot be used over a remote login: the key "
                "is attached to your own computer.")
NO_PASSWORD = "Your account cannot sign in with a password here."


@unittest.skipUnless(TEST_PLUGIN.exists(), "built without libfido2 (no test plugin)")
class SshdPasskeyTest(SshdCase):
    users = ("alice", "keyonly")

    @classmethod
    def setUpClass(cls):
        # The layout of an install: <dir>/pam_cognito.so and the plugin in
        # <dir>/pam_cognito/; sshd (root) reads both.
        cls.dir = Path(tempfile.mkdtemp(prefix="pc-e2e-passkey-"))
        cls.addClassCleanup(shutil.rmtree, cls.dir, True)
        os.chmod(cls.dir, 0o755)
        (cls.dir / "pam_cognito").mkdir()
        shutil.copy(MODULE, cls.dir / "pam_cognito.so")
        shutil.copy(TEST_PLUGIN, cls.dir / "pam_cognito" / "pam_cognito_passkey.so")
        cls.sock = str(cls.dir / "key.sock")
        cls.store = softkey.SoftKey()
        cls.key = authenticator.Authenticator(cls.sock, store=cls.store).start()
        cls.addClassCleanup(cls.key.stop)
        # sshd and the PAM stack in it inherit the key's socket
        with mock.patch.dict(os.environ, {"PAM_COGNITO_TEST_FIDO_SOCKET": cls.sock}):
            super().setUpClass()

    @classmethod
    def make_config(cls):
        cls.config = config_file(cls.emu, **FACTORS)

    @classmethod
    def stack(cls, config):
        module = cls.dir / "pam_cognito.so"
        return (f"auth required {module} config={config}\n"
                "account required pam_permit.so\n"
                f"session required {module} config={config}\n"
                "session required pam_permit.so\n")

    def setUp(self):
        super().setUp()
        self.store.creds = []
        self.key.seen = []
        self.key.opened = 0

    def register(self, user):
        if user == "keyonly":
            token = registration.sign_in_by_email(self.emu, POOL, CLIENT, user)
        else:
            token = registration.sign_in_with_password(self.emu, CLIENT, user, ALICE_PW)
        registration.register(self.emu, self.store, token)
        self.emu.control("ResetStats")

    def test_the_key_is_reachable_here_outside_ssh(self):
        """The control: the same module, plugin and key sign alice in when
        the login is local (no PAM_RHOST, service not sshd)."""
        self.register("alice")
        s = Stack(base_config(self.emu, **FACTORS))
        self.addCleanup(s.cleanup)
        s.write_service(s.service, f"auth required {self.dir / 'pam_cognito.so'} "
                                   f"config={s.config_path}\n")
        r = s.run("alice", [""], extra_env={"PAM_COGNITO_TEST_FIDO_SOCKET": self.sock})
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompts, ["Password (or Enter for your security key): "])
        self.assertEqual(self.key.opened, 1)

    def test_password_with_a_passkey_registered(self):
        self.register("alice")
        r = self.sshd.login("alice", [(r"Password: ", ALICE_PW)], command="echo shell-ok")
        self.assertEqual(r.exit_status, 0, r.transcript)
        self.assertIn("shell-ok", r.output)
        # the reason comes before the one question, which offers no key
        self.assertIn(NOT_OVER_SSH + "\nPassword: ", r.terminal)
        self.assertEqual(len(r.prompts_seen), 1, r.prompts_seen)
        self.assertNotIn("security key):", r.terminal)
        self.assertNotIn("Touch your security key", r.terminal)
        self.assertEqual(r.echoed, [False])
        # PASSWORD_SRP: InitiateAuth and PASSWORD_VERIFIER, never WEB_AUTHN
        self.assertEqual((self.calls("InitiateAuth"), self.calls("RespondToAuthChallenge")),
                         (1, 1))
        self.assertEqual((self.key.opened, self.key.seen), (0, []))

    def test_enter_is_no_request_for_the_key(self):
        self.register("alice")
        self.register("keyonly")
        for user in ("alice", "keyonly"):
            with self.subTest(user=user):
                r = self.sshd.login(user, [(r"Password: ", "")], command="echo no", timeout=15)
                self.assertNotEqual(r.exit_status, 0, r.transcript)
                self.assertFalse(r.timed_out, r.transcript)
                self.assertNotIn("no\n", r.output)
                self.assertIn(NOT_OVER_SSH + "\nPassword: ", r.terminal)
                self.assertIn(f"{user}@127.0.0.1: Permission denied", r.terminal)
                self.assertNotIn("Touch your security key", r.terminal)
        self.assertEqual(self.calls("InitiateAuth"), 0)
        self.assertEqual(self.key.opened, 0)

    def test_passkey_only_user_is_refused_with_the_reason(self):
        self.register("keyonly")
        r = self.sshd.login("keyonly", [(r"Password: ", "Guess-Passw0rd!")], command="echo no",
                            timeout=15)
        self.assertNotEqual(r.exit_status, 0, r.transcript)
        self.assertFalse(r.timed_out, r.transcript)
        self.assertIsNone(r.failed_at, r.transcript)
        self.assertNotIn("no\n", r.output)
        self.assertIn(NOT_OVER_SSH + "\nPassword: ", r.terminal)
        self.assertIn(NO_PASSWORD, r.terminal)
        self.assertIn("keyonly@127.0.0.1: Permission denied", r.terminal)
        # one InitiateAuth: the pool names no password for this user
        self.assertEqual((self.calls("InitiateAuth"), self.calls("RespondToAuthChallenge")),
                         (1, 0))
        self.assertEqual(self.key.opened, 0)


if __name__ == "__main__":
    unittest.main()
