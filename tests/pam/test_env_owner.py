"""AWS credentials in the PAM environment belong to the user they were
issued to. One handle can serve two users: sudo authenticates the caller and
opens the session of the target user; util-linux login retries
pam_authenticate after resetting PAM_USER. Neither may hand the first
user's keys to the second. Runs as root (the module chowns the cache)."""
import unittest

from pamrun import CacheTest, IDENTITY_POOL, MODULE, Stack, base_config

OWNER = "PAM_COGNITO_AWS_OWNER"
AWS_VARS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_CREDENTIAL_EXPIRATION", "AWS_REGION", "AWS_DEFAULT_REGION")
ALICE_PW = "Alice-Passw0rd!"

# sudo: the caller's auth, then the target's session on the same handle.
SUDO = """auth required @MODULE@ config=@CONFIG@
auth optional pam_permit.so
account required pam_permit.so
session required @MODULE@ config=@CONFIG@
session optional pam_permit.so
"""

# login: a later module refuses alice after pam_cognito accepted her (a
# second factor, an access rule), so login asks for another user.
RETRY = """auth required @MODULE@ config=@CONFIG@
auth required pam_succeed_if.so user != alice quiet
auth optional pam_permit.so
account required pam_permit.so
session required @MODULE@ config=@CONFIG@
session optional pam_permit.so
"""


class EnvOwnerTest(CacheTest):
    def stack(self, service_text):
        s = Stack(base_config(self.emu, identity_pool_id=IDENTITY_POOL,
                              cache_dir=self.cache), service_text=service_text)
        self.stacks.append(s)
        return s

    def alice_keys(self):
        issued = [c for c in self.emu.control("IssuedCredentials")["Credentials"]
                  if c["Username"] == "alice"]
        self.assertTrue(issued, "alice got credentials at auth")
        c = issued[-1]["Credentials"]
        return {c["AccessKeyId"], c["SecretKey"], c["SessionToken"]}

    def assert_no_alice(self, r):
        keys = self.alice_keys()
        leaked = [k for k, v in r.env.items() if v in keys]
        self.assertEqual(leaked, [], r)
        self.assertNotEqual(r.env.get(OWNER), "alice", r)

    def test_alice_owns_her_keys(self):
        r = self.stack(SUDO).run("alice", [ALICE_PW], stages=("auth", "setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.assertEqual(r.env.get(OWNER), "alice")
        self.assertIn(r.env["AWS_ACCESS_KEY_ID"], self.alice_keys())

    def test_sudo_to_a_system_account(self):
        # sudo -u daemon: the target is below min_uid, the module ignores
        # it, and still the caller's keys must go.
        r = self.stack(SUDO).run("alice", [ALICE_PW],
                                 stages=("auth", "user=daemon", "setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.assert_no_alice(r)
        self.assertEqual([k for k in r.env if k.startswith("AWS_")], [], r)
        self.assertTrue(any("belong to another user" in l for l in r.syslog), r.syslog)

    def test_sudo_to_another_cognito_user(self):
        # bob has a local account but no cached credentials: his session
        # gets none, certainly not alice's.
        r = self.stack(SUDO).run("alice", [ALICE_PW],
                                 stages=("auth", "user=bob", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 2, r)
        self.assert_no_alice(r)

    def test_login_retry_drops_the_failed_attempts_keys(self):
        # alice's attempt fails after pam_cognito set her keys; root logs in
        # next on the same handle (pam_cognito ignores root).
        r = self.stack(RETRY).run("alice", [ALICE_PW], stages=("auth?", "user=root", "auth"))
        self.assertEqual(r.codes(), ["PAM_AUTH_ERR", "PAM_SUCCESS"], r)
        self.assert_no_alice(r)

    def test_login_retry_then_session(self):
        r = self.stack(RETRY).run("alice", [ALICE_PW],
                                  stages=("auth?", "user=root", "auth", "setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_AUTH_ERR"] + ["PAM_SUCCESS"] * 3, r)
        self.assert_no_alice(r)


if __name__ == "__main__":
    unittest.main()
