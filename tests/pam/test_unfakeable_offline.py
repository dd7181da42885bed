"""Issue 22, items 2 and 5: offline login and the account stage's grace only
when Cognito is unavailable in a way a local user cannot fake.

A user can stop their own su or sudo (SIGSTOP, then SIGCONT) while its
request is in flight, so that the request times out; they can start it with
a low RLIMIT_NOFILE, so that no socket opens. Neither may open the offline
verifier: only a refused connection, a name that does not exist, or
Cognito's 5xx after the retries do, and a timeout does only in a process
the user cannot signal (sshd, login: real and effective uid root).

"su-like" here is pam-run with $PAM_RUN_SU_UID: the real uid is the user's
and the effective uid root, as in a setuid program (which the loader would
strip of pam_wrapper). Real libpam stacks against the emulator."""
import json
import os
import resource
import signal
import subprocess
import time

from pamrun import (CacheTest, PAM_RUN, PAM_WRAPPER, POOL, Result, Stack, base_config,
                    ensure_user, refused_url, start_wrapped)
from test_offline import ALICE_PW, DOWN_MSG, NEW_PW

TIMEOUT = 2          # the module's per-call timeout in these tests
NO_OFFLINE = "no offline login: "


class SuLikeRun:
    """pam-run started like a login program, with a handle on its pid."""

    def __init__(self, stack, user, answers, stages=("auth",), su_uid=None, nofile=None):
        self.afile = stack.dir / "answers"
        self.afile.write_text("".join(a + "\n" for a in answers))
        cmd = [PAM_RUN, "-s", stack.service, "-a", str(self.afile), "-u", user, *stages]
        env = dict(os.environ, LD_PRELOAD=PAM_WRAPPER, PAM_WRAPPER="1",
                   PAM_WRAPPER_SERVICE_DIR=str(stack.service_dir),
                   PAM_WRAPPER_DEBUGLEVEL="2")
        if su_uid is not None:
            env["PAM_RUN_SU_UID"] = str(su_uid)

        def limits():
            if nofile is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

        self.p = start_wrapped(cmd, env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=limits)

    def result(self, timeout=60):
        try:
            out, err = self.p.communicate(timeout=timeout)
        finally:
            if self.p.poll() is None:
                self.p.kill()
                self.p.wait()
            self.afile.unlink(missing_ok=True)
        events = []
        for line in out.splitlines():
            try:
                events.append(json.loads(line))
            except ValueError:
                events.append({"event": "garbage", "text": line})
        return Result(events, err, self.p.returncode)


class Base(CacheTest):
    def stack(self, account=False, **over):
        over.setdefault("cache_dir", self.cache)
        over.setdefault("offline_days", 7)
        over.setdefault("timeout", TIMEOUT)
        text = None
        if account:
            text = ("auth required @MODULE@ config=@CONFIG@\n"
                    "account required @MODULE@ config=@CONFIG@\n")
        s = Stack(base_config(self.emu, **over), service_text=text)
        self.stacks.append(s)
        return s

    def online(self, **over):
        r = self.stack(**over).run("alice", [ALICE_PW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)

    def change_password_in_cognito(self):
        # Cognito no longer accepts ALICE_PW; only the stale verifier would.
        self.emu.idp("AdminSetUserPassword", UserPoolId=POOL, Username="alice",
                     Password=NEW_PW, Permanent=True)

    def stopped_in_flight(self, stack, op, when, su_uid, stages=("auth",), answers=(ALICE_PW,),
                          user="alice", nth=1):
        """Run stack; when the nth request op of the run (When: when) has
        reached the emulator, stop pam-run past its timeout, then let it go
        on."""
        # The emulator holds the request a while: it is in flight when stopped.
        self.emu.control("SetFault", Operation=op, Kind="slow", DelaySeconds=1,
                         Count=20, **({"When": when} if when else {}))
        before = self.calls(op)
        run = SuLikeRun(stack, user, list(answers), stages=stages, su_uid=su_uid)
        deadline = time.monotonic() + 20
        while (self.calls(op) < before + nth
               and run.p.poll() is None and time.monotonic() < deadline):
            time.sleep(0.02)
        self.assertIsNone(run.p.poll(), "pam-run ended before the request was in flight")
        os.kill(run.p.pid, signal.SIGSTOP)
        try:
            time.sleep(TIMEOUT + 1)
        finally:
            os.kill(run.p.pid, signal.SIGCONT)
        return run.result()

    def assertNoOfflineLogin(self, r):
        self.assertNotEqual(r.code, "PAM_SUCCESS", r)
        self.assertFalse(any(m.startswith(DOWN_MSG) for m in r.infos), r.infos)
        self.assertFalse(any("offline authentication;" in l for l in r.syslog), r.syslog)

    def assertOfflineLogin(self, r):
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertTrue(any(m.startswith(DOWN_MSG) for m in r.infos), r.infos)


class UnfakeableOfflineTest(Base):
    """A stale verifier (the password was changed in Cognito) must not let a
    su-like login in whatever the user does to their own process."""

    def setUp(self):
        super().setUp()
        self.online()
        self.change_password_in_cognito()
        self.uid = self.alice.pw_uid

    def test_su_stopped_during_srp_start_is_no_offline_login(self):
        r = self.stopped_in_flight(self.stack(), "InitiateAuth", "USER_SRP_AUTH", self.uid)
        self.assertNoOfflineLogin(r)
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)
        self.assertTrue(any(NO_OFFLINE + "a timeout in a process the user can stop" in l
                            for l in r.syslog), r.syslog)

    def test_su_stopped_during_password_verifier_is_no_offline_login(self):
        r = self.stopped_in_flight(self.stack(), "RespondToAuthChallenge",
                                   "PASSWORD_VERIFIER", self.uid)
        self.assertNoOfflineLogin(r)
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)

    def test_su_stopped_during_the_sms_code_is_no_offline_login(self):
        # offline_mfa admits an MFA user offline; a stop during the code's
        # answer must not turn a wrong code into that.
        run_user = ensure_user("smsuser")
        code = self.code("smsuser")
        r = self.stack(offline_mfa=True).run("smsuser", ["Sms-Passw0rd1!", code])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        # The password's answer is the first RespondToAuthChallenge; the
        # code's the second.
        r = self.stopped_in_flight(self.stack(offline_mfa=True), "RespondToAuthChallenge",
                                   "SMS_MFA", run_user.pw_uid,
                                   answers=("Sms-Passw0rd1!", "000000"), user="smsuser", nth=2)
        self.assertNoOfflineLogin(r)
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)

    def test_su_with_a_hung_server_is_no_offline_login(self):
        # The same timeout without a signal: in su it proves nothing either.
        self.emu.control("SetFault", Operation="*", Kind="hang", Value="5", Count=20)
        r = SuLikeRun(self.stack(), "alice", [ALICE_PW], su_uid=self.uid).result()
        self.assertNoOfflineLogin(r)
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)

    def test_su_with_few_open_files_never_succeeds(self):
        # Every limit from "nothing opens" to "everything opens": whatever
        # step runs short, a stale password never logs in. Each run starts
        # from the stale verifier (Cognito's no deletes it) and no lockout.
        self.emu.control("SetOptions", LockoutThreshold=0)
        record = os.path.join(self.cache, ".private", "alice", "offline.json")
        with open(record, "rb") as f:
            verifier = f.read()
        s = self.stack()
        seen = set()
        for n in range(4, 14):
            with open(record, "wb") as f:
                f.write(verifier)
            r = SuLikeRun(s, "alice", [ALICE_PW], su_uid=self.uid, nofile=n).result()
            seen.add(r.code)
            self.assertNoOfflineLogin(r)
        # The range reaches a limit where the online answer arrives.
        self.assertIn("PAM_AUTH_ERR", seen)

    def test_su_refused_connection_still_logs_in_offline(self):
        dead = refused_url(self)
        s = self.stack(idp_endpoint=dead, identity_endpoint=dead)
        r = SuLikeRun(s, "alice", [ALICE_PW], su_uid=self.uid).result()
        self.assertOfflineLogin(r)
        self.assertTrue(any("connection refused" in l for l in r.syslog), r.syslog)

    def test_su_5xx_after_the_retries_still_logs_in_offline(self):
        self.emu.control("SetFault", Operation="*", Kind="http500", Count=20)
        r = SuLikeRun(self.stack(), "alice", [ALICE_PW], su_uid=self.uid).result()
        self.assertOfflineLogin(r)
        self.assertTrue(any("server error (5xx)" in l for l in r.syslog), r.syslog)

    def test_sshd_like_timeout_still_logs_in_offline(self):
        # Real and effective uid root: the user cannot signal it.
        r = self.stopped_in_flight(self.stack(), "InitiateAuth", "USER_SRP_AUTH", None)
        self.assertOfflineLogin(r)
        self.assertTrue(any("timed out" in l for l in r.syslog), r.syslog)

    def test_reset_connection_is_no_offline_login(self):
        # A reply cut by a reset is no outage (a stopped process can make one).
        self.emu.control("SetFault", Operation="*", Kind="reset_mid_body", Count=20)
        r = self.stack().run("alice", [ALICE_PW])
        self.assertNoOfflineLogin(r)
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)


class AccountAnswerTest(Base):
    """The account stage (an SSH key login, say) of a user removed from the
    allowed group: only an unavailable Cognito earns the grace; any answer
    below 500 that is not a yes is a no."""

    def setUp(self):
        super().setUp()
        self.group("ops", add=True)
        r = self.stack(account=True, allowed_groups=["ops"]).run("alice", [ALICE_PW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.group("ops", add=False)
        self.record = os.path.join(self.cache, ".private", "alice", "account.json")

    def group(self, name, add):
        try:
            self.emu.idp("CreateGroup", UserPoolId=POOL, GroupName=name)
        except Exception:  # exists already
            pass
        op = "AdminAddUserToGroup" if add else "AdminRemoveUserFromGroup"
        self.emu.idp(op, UserPoolId=POOL, Username="alice", GroupName=name)

    def account(self, su_uid=None, **over):
        s = self.stack(account=True, allowed_groups=["ops"], **over)
        return SuLikeRun(s, "alice", [], stages=("acct",), su_uid=su_uid).result()

    def refresh_fault(self, kind, **extra):
        # The account stage's refresh call (GetTokensFromRefreshToken first).
        self.emu.control("SetFault", Operation="GetTokensFromRefreshToken",
                         Kind=kind, Count=20, **extra)

    def assertDeniedWithReason(self, r, reason):
        self.assertNotEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.code, "PAM_PERM_DENIED", r)
        self.assertTrue(any("account denied;" in l and "no grace" in l and reason in l
                            for l in r.syslog), r.syslog)

    def test_the_removal_is_seen_when_cognito_answers(self):
        r = self.account()
        self.assertEqual(r.code, "PAM_PERM_DENIED", r)
        self.assertTrue(any("allowed_groups" in l for l in r.syslog), r.syslog)

    def test_throttling_is_no_grace(self):
        self.refresh_fault("http429")
        self.assertDeniedWithReason(self.account(), "TooManyRequestsException")

    def test_lambda_refusal_is_no_grace(self):
        self.refresh_fault("error", ErrorType="UserLambdaValidationException",
                           Message="PreAuthentication failed with error no.")
        self.assertDeniedWithReason(self.account(), "UserLambdaValidationException")

    def test_waf_403_is_no_grace(self):
        self.refresh_fault("error", ErrorType="ForbiddenException",
                           Message="Request not allowed due to WAF block.")
        self.assertDeniedWithReason(self.account(), "ForbiddenException")

    def test_invalid_parameter_is_no_grace(self):
        self.refresh_fault("error", ErrorType="InvalidParameterException")
        self.assertDeniedWithReason(self.account(), "InvalidParameterException")

    def test_resource_not_found_is_no_grace(self):
        self.refresh_fault("error", ErrorType="ResourceNotFoundException")
        self.assertDeniedWithReason(self.account(), "ResourceNotFoundException")

    def test_su_timeout_is_no_grace(self):
        self.refresh_fault("slow", DelaySeconds=TIMEOUT + 2)
        r = self.account(su_uid=self.alice.pw_uid)
        self.assertDeniedWithReason(r, "a timeout in a process the user can stop")

    def test_5xx_keeps_the_grace(self):
        self.refresh_fault("http500")
        r = self.account(su_uid=self.alice.pw_uid)
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertTrue(any("admitted by the decision verified" in l for l in r.syslog),
                        r.syslog)

    def test_refused_connection_keeps_the_grace(self):
        dead = refused_url(self)
        r = self.account(su_uid=self.alice.pw_uid, idp_endpoint=dead, identity_endpoint=dead)
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertTrue(any("connection refused" in l for l in r.syslog), r.syslog)

    def test_sshd_like_timeout_keeps_the_grace(self):
        self.refresh_fault("slow", DelaySeconds=TIMEOUT + 2)
        r = self.account()
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertTrue(any("timed out" in l for l in r.syslog), r.syslog)

    def test_unreadable_record_is_an_error_not_unknown(self):
        # Root reads through any mode: a directory in the record's place is
        # a record that cannot be read.
        os.unlink(self.record)
        os.mkdir(self.record, 0o700)
        r = self.account()
        self.assertNotIn(r.code, ("PAM_SUCCESS", "PAM_USER_UNKNOWN"), r)
        self.assertEqual(r.code, "PAM_SYSTEM_ERR", r)
        self.assertTrue(any("account stage failed" in l for l in r.syslog), r.syslog)

    def test_unwritable_record_is_an_error(self):
        # Cognito says yes, but the decision cannot be kept: an immutable
        # directory stops even root from writing the record.
        self.group("ops", add=True)
        area = os.path.dirname(self.record)
        subprocess.run(["chattr", "+i", area], check=True)
        try:
            r = self.account()
        finally:
            subprocess.run(["chattr", "-i", area], check=True)
        self.assertEqual(r.code, "PAM_SYSTEM_ERR", r)
        self.assertTrue(any("cannot write the account record" in l for l in r.syslog),
                        r.syslog)

    def test_corrupt_record_is_an_error_not_unknown(self):
        with open(self.record, "w") as f:
            f.write("{not json")
        r = self.account()
        self.assertEqual(r.code, "PAM_SYSTEM_ERR", r)
        self.assertTrue(any("is not JSON" in l for l in r.syslog), r.syslog)


if __name__ == "__main__":
    import unittest
    unittest.main()
