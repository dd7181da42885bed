"""The account stage for a user who never logged in here with a password
(an SSH key user, issue 27): decided from pam_cognito-sync's state file
(<nss_dir>/pam_cognito-sync.state, pam_cognito-sync(8)) with no network
call: today's allowed rules over the groups the last run saw, and no
decision from a state older than account_grace or not root's."""
import os
import time
from pathlib import Path

from pamrun import CacheTest, Stack, base_config

USER = "bob"  # a local account of CacheTest's, never logged in by these tests


class SyncedAccountTest(CacheTest):
    def setUp(self):
        super().setUp()
        self.nss = os.path.join(self.tmp, "nss")
        os.mkdir(self.nss, 0o755)
        self.uid = self.bob.pw_uid

    def stack(self, **over):
        over.setdefault("cache_dir", self.cache)
        over.setdefault("nss_dir", self.nss)
        s = Stack(base_config(self.emu, **over),
                  service_text="account required @MODULE@ config=@CONFIG@\n")
        self.stacks.append(s)
        return s

    def state(self, groups, uid=None, age=0, mode=0o644, admitted=1):
        path = Path(self.nss, "pam_cognito-sync.state")
        path.write_text("# pam_cognito-sync state, written %d\n%s:%d:%d:%s\n"
                        % (int(time.time()) - age, USER, self.uid if uid is None else uid,
                           admitted, ",".join(groups)))
        os.chmod(path, mode)

    def account(self, s):
        self.emu.control("ResetStats")
        r = s.run(USER, [], stages=("acct",))
        self.assertEqual(self.emu.control("Stats")["Requests"], 0, "no network call")
        return r

    def syslog_has(self, r, text):
        return any(text in line for line in r.syslog)

    def test_admitted_by_the_synced_groups(self):
        self.state(["ops", "devs"])
        r = self.account(self.stack(allowed_groups=["ops"]))
        self.assertEqual(r.code, "PAM_SUCCESS", r)

    def test_refused_by_the_synced_groups(self):
        self.state(["devs"])
        r = self.account(self.stack(allowed_groups=["ops"]))
        self.assertEqual(r.code, "PAM_PERM_DENIED", r)
        self.assertTrue(self.syslog_has(r, "by the groups pam_cognito-sync saw"), r.syslog)

    def test_a_state_older_than_account_grace_decides_nothing(self):
        self.state(["ops"], age=7200)
        r = self.account(self.stack(allowed_groups=["ops"], account_grace=3600))
        self.assertEqual(r.code, "PAM_PERM_DENIED", r)
        self.assertTrue(self.syslog_has(r, "account_grace is 3600 s (is the pam_cognito-sync "
                                           "timer running?)"), r.syslog)

    def test_a_state_others_can_write_is_an_error_not_a_decision(self):
        self.state(["ops"], mode=0o666)
        r = self.account(self.stack(allowed_groups=["ops"]))
        self.assertEqual(r.code, "PAM_SYSTEM_ERR", r)
        self.assertTrue(self.syslog_has(r, "not a regular file of root's, writable by root "
                                           "only: ignored"), r.syslog)

    def test_another_uid_or_no_state_is_unknown_as_before(self):
        self.state(["ops"], uid=self.uid + 1)
        s = self.stack(allowed_groups=["ops"])
        self.assertEqual(self.account(s).code, "PAM_USER_UNKNOWN")
        os.unlink(os.path.join(self.nss, "pam_cognito-sync.state"))
        self.assertEqual(self.account(s).code, "PAM_USER_UNKNOWN")
        r = self.account(self.stack(allowed_groups=["ops"], account_required=True))
        self.assertEqual(r.code, "PAM_PERM_DENIED", r)
