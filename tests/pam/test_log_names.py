"""Syslog lines are read by fail2ban and its kind: the remote host comes
first, a user name is quoted and escaped so that no name can pose as
`rhost=`, and a name the pool did not accept (a password typed at the login
prompt) never reaches syslog unless it is a local account."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from pamrun import IDENTITY_POOL, POOL, EmulatorTest, Stack, base_config, ensure_user

# tests/pyrunner.py --jobs: adds and removes local accounts.
PYRUNNER_ALONE = True

RHOST = "198.51.100.7"
# Greedy and lazy, as filters are written both ways.
LAZY = re.compile(r"authentication failure;.*?rhost=(\S*)")
GREEDY = re.compile(r"authentication failure;.*rhost=(\S*)")


class LogNameTest(EmulatorTest):
    def local_user(self, name):
        subprocess.run(["useradd", "--badname", "-M", name], check=True,
                       capture_output=True)
        self.addCleanup(subprocess.run, ["userdel", name], capture_output=True)

    def refuse_next_login(self):
        # What a pool with PreventUserExistenceErrors answers for any name.
        self.emu.control("SetFault", Operation="InitiateAuth", Kind="error", Count=1,
                         ErrorType="NotAuthorizedException",
                         Message="Incorrect username or password.")

    def failures(self, r):
        return [l for l in r.syslog if "authentication failure;" in l]

    def test_name_posing_as_rhost(self):
        name = "pctest-m rhost=203.0.113.9"
        self.local_user(name)
        self.refuse_next_login()
        r = self.s.run(name, ["whatever-Passw0rd!"], rhost=RHOST)
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        lines = self.failures(r)
        self.assertTrue(lines, r.syslog)
        for line in lines:
            self.assertEqual(LAZY.search(line).group(1), RHOST, line)
            self.assertEqual(GREEDY.search(line).group(1), RHOST, line)
            self.assertIn('user="pctest-m\\x20rhost\\x3d203.0.113.9"', line)
        self.assertFalse(any("203.0.113.9" in l and "rhost=203" in l for l in r.syslog), r.syslog)

    def test_quote_in_a_name_cannot_close_the_quotes(self):
        name = 'pctest-q"x'
        self.local_user(name)
        self.refuse_next_login()
        r = self.s.run(name, ["whatever-Passw0rd!"], rhost=RHOST)
        self.assertTrue(any('user="pctest-q\\x22x"' in l for l in self.failures(r)), r.syslog)

    def test_rhost_comes_first(self):
        ensure_user("alice")
        r = self.s.run("alice", ["not-her-password"], rhost=RHOST)
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertTrue(any(l.startswith('authentication failure; rhost=%s user="alice": ' % RHOST)
                            for l in r.syslog), r.syslog)

    def test_password_typed_as_the_name_is_not_logged(self):
        # No local account, and the pool refused it without saying that the
        # user does not exist: the "name" may be a password.
        typed = "Hunter2-Passw0rd!"
        self.refuse_next_login()
        r = self.s.run(typed, ["whatever"], rhost=RHOST)
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertNotIn(typed, r.stderr)
        self.assertTrue(any("user=(unverified)" in l for l in self.failures(r)), r.syslog)

    def test_unknown_user_is_not_named(self):
        typed = "Hunter2-Passw0rd!"
        r = self.s.run(typed, ["whatever"], rhost=RHOST)
        self.assertEqual(r.code, "PAM_USER_UNKNOWN", r)
        self.assertNotIn(typed, r.stderr)

    def test_debug_does_not_name_an_unverified_user(self):
        from pamrun import Stack, base_config
        s = Stack(base_config(self.emu), args="debug")
        self.addCleanup(s.cleanup)
        typed = "Hunter2-Passw0rd!"
        self.refuse_next_login()
        r = s.run(typed, ["whatever"], rhost=RHOST)
        self.assertNotIn(typed, r.stderr)


    # ---- the password change and the session stages ----

    def pool_user(self, name, password):
        self.local_user(name)
        self.emu.idp("AdminCreateUser", UserPoolId=POOL, Username=name,
                     MessageAction="SUPPRESS")
        self.emu.idp("AdminSetUserPassword", UserPoolId=POOL, Username=name,
                     Password=password, Permanent=True)

    def cache_dir(self):
        tmp = tempfile.mkdtemp(prefix="pc-lognames-")
        self.addCleanup(shutil.rmtree, tmp, True)
        os.chmod(tmp, 0o755)
        return os.path.join(tmp, "cache")

    def assert_never_raw(self, r, raw):
        self.assertFalse([l for l in r.syslog if raw in l], r.syslog)

    def test_password_changed_line(self):
        name = 'pctest-c"x'
        self.pool_user(name, "Old-Passw0rd!1")
        r = self.s.run(name, ["Old-Passw0rd!1", "New-Passw0rd!2", "New-Passw0rd!2"],
                       stages=("chauthtok",))
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn('Cognito password changed for user="pctest-c\\x22x"', r.syslog)
        self.assert_never_raw(r, name)

    def test_session_not_counted_line(self):
        name = "pctest-m rhost=203.0.113.9"
        self.local_user(name)
        cache = self.cache_dir()
        os.mkdir(cache, 0o755)
        os.symlink("/tmp", os.path.join(cache, ".private"))  # the count cannot be kept
        s = Stack(base_config(self.emu, revoke_on_logout=True, cache_dir=cache))
        self.addCleanup(s.cleanup)
        r = s.run(name, [], stages=("open",))
        self.assertTrue(any(l.startswith('session of user="pctest-m\\x20rhost\\x3d203.0.113.9" '
                                         "not counted") for l in r.syslog), r.syslog)
        self.assert_never_raw(r, "rhost=203")

    def test_logout_failure_line(self):
        name = 'pctest-l"x'
        self.pool_user(name, "Pctest-Passw0rd!1")
        s = Stack(base_config(self.emu, revoke_on_logout=True, cache_dir=self.cache_dir(),
                              identity_pool_id=IDENTITY_POOL))
        self.addCleanup(s.cleanup)
        r = s.run(name, ["Pctest-Passw0rd!1"], stages=("auth", "setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.emu.control("SetFault", Operation="RevokeToken", Kind="error", Count=1,
                         ErrorType="UnsupportedOperationException",
                         Message="Token revocation is not enabled for the client.")
        r = s.run(name, [], stages=("open", "close"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS", "PAM_SESSION_ERR"], r)
        self.assertTrue(any(l.startswith('logout of user="pctest-l\\x22x": ')
                            for l in r.syslog), r.syslog)
        self.assert_never_raw(r, name)

    def test_a_broken_record_names_no_user(self):
        # The reason after the escaped name must not repeat it raw.
        name = "pctest-m rhost=203.0.113.9"
        self.local_user(name)
        cache = self.cache_dir()
        area = os.path.join(cache, ".private", "pctest-m%20rhost%3d203.0.113.9")
        os.makedirs(area, 0o700)
        os.chmod(cache, 0o755)
        for f in ("account.json", "offline.json", "device.json"):
            fd = os.open(os.path.join(area, f), os.O_WRONLY | os.O_CREAT, 0o600)
            os.write(fd, b"not json")
            os.close(fd)
        s = Stack(base_config(self.emu, cache_dir=cache, account_required=True),
                  service_text="account required @MODULE@ config=@CONFIG@ debug\n")
        self.addCleanup(s.cleanup)
        r = s.run(name, [], stages=("acct",))
        self.assertNotEqual(r.code, "PAM_SUCCESS", r)
        self.assertTrue(any("account record" in l for l in r.syslog), r.syslog)
        self.assert_never_raw(r, "rhost=203")


if __name__ == "__main__":
    unittest.main()
