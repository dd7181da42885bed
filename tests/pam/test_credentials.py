"""AWS credentials for the session: the identity-pool exchange at auth, the
PAM environment, the per-user cache and its refusals, through a real libpam
stack against the emulator. Runs as root (the module chowns the cache)."""
import json
import os
import pwd
import stat
import subprocess
import sys
import threading
import time
import unittest

from pamrun import (BUILD, CacheTest, CLIENT_SECRET, IDENTITY_POOL, MODULE, PAM_RUN, PAM_WRAPPER,
                    POOL, SECRET_CLIENT, Result, Stack, base_config)

# tests/pyrunner.py --jobs: adds and removes local accounts.
PYRUNNER_ALONE = True

AUTH_ROLE = "arn:aws:iam::123456789012:role/CognitoAuthRole"
ADMIN_ROLE = "arn:aws:iam::123456789012:role/CognitoAdminRole"
AWS_VARS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_CREDENTIAL_EXPIRATION", "AWS_REGION", "AWS_DEFAULT_REGION")
PASSWORDS = {"alice": "Alice-Passw0rd!", "bob": "Bob-Passw0rd!"}
FULL = ("auth", "setcred", "open")


def iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))


def warnings(r):
    """The module's LOG_WARNING (and worse) lines."""
    return [l.split("): ", 1)[1] for l in r.stderr.splitlines()
            if any(f"SYSLOG({p})" in l for p in range(5))]


class CredentialsTest(CacheTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nobody = pwd.getpwnam("nobody")

    def stack(self, args="debug", service_text=None, **over):
        over.setdefault("identity_pool_id", IDENTITY_POOL)
        over.setdefault("cache_dir", self.cache)
        s = Stack(base_config(self.emu, **over), args=args,
                  service_text=service_text)
        self.stacks.append(s)
        return s

    def login(self, s, user="alice", stages=FULL):
        return s.run(user, [PASSWORDS[user]], stages=stages)

    def issued(self, user="alice"):
        return [c for c in self.emu.control("IssuedCredentials")["Credentials"]
                if c["Username"] == user]

    def assert_env_is(self, env, issued):
        c = issued["Credentials"]
        self.assertEqual(env.get("AWS_ACCESS_KEY_ID"), c["AccessKeyId"])
        self.assertEqual(env.get("AWS_SECRET_ACCESS_KEY"), c["SecretKey"])
        self.assertEqual(env.get("AWS_SESSION_TOKEN"), c["SessionToken"])
        self.assertEqual(env.get("AWS_CREDENTIAL_EXPIRATION"), iso(c["Expiration"]))
        self.assertEqual(env.get("AWS_REGION"), "us-east-1")
        self.assertEqual(env.get("AWS_DEFAULT_REGION"), "us-east-1")

    def assert_no_aws(self, env):
        self.assertEqual([k for k in env if k.startswith("AWS_")], [], env)

    def user_dir(self, user="alice"):
        return os.path.join(self.cache, user)

    def read_creds_file(self, user="alice"):
        with open(os.path.join(self.user_dir(user), "credentials.json")) as f:
            return json.load(f)

    # ---- the exchange and the environment ----

    def test_env_holds_the_issued_credentials(self):
        r = self.login(self.stack())
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        issued = self.issued()
        self.assertEqual(len(issued), 1)
        self.assertEqual(issued[0]["RoleArn"], AUTH_ROLE)
        self.assert_env_is(r.env, issued[0])
        self.assertNotEqual(int(issued[0]["Credentials"]["Expiration"]),
                            issued[0]["Credentials"]["Expiration"],
                            "the emulator sends a fractional Expiration")
        for line in r.stderr.splitlines():  # never a secret in a log, even with debug
            self.assertNotIn(issued[0]["Credentials"]["SecretKey"], line)
            self.assertNotIn(issued[0]["Credentials"]["SessionToken"][:40], line)

    def test_second_login_skips_get_id(self):
        s = self.stack()
        self.assertEqual(self.login(s).code, "PAM_SUCCESS")
        self.emu.control("ResetStats")
        r = self.login(s)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        ops = self.emu.control("Stats")["ByOperation"]
        self.assertNotIn("GetId", ops)
        self.assertEqual(ops.get("GetCredentialsForIdentity"), 1)
        self.assert_env_is(r.env, self.issued()[-1])

    def test_stale_identity_id_is_replaced(self):
        s = self.stack()
        self.login(s)
        path = os.path.join(self.user_dir(), "identity_id")
        with open(path, "w") as f:  # still alice's file, but an identity not hers
            json.dump({"IdentityPoolId": IDENTITY_POOL,
                       "IdentityId": "us-east-1:00000000-0000-0000-0000-000000000000"}, f)
        r = self.login(s)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.assert_env_is(r.env, self.issued()[-1])

    def test_role_arn_admin_role_for_bob(self):
        r = self.login(self.stack(role_arn=ADMIN_ROLE), user="bob")
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        issued = self.issued("bob")
        self.assertEqual(issued[-1]["RoleArn"], ADMIN_ROLE)
        self.assert_env_is(r.env, issued[-1])

    def test_disallowed_role(self):
        bad = "arn:aws:iam::123456789012:role/NotAllowed"
        r = self.login(self.stack(role_arn=bad))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.assert_no_aws(r.env)
        self.assertTrue(any('SYSLOG(4): no AWS credentials for user="alice"' in l and
                            "InvalidParameterException" in l
                            for l in r.stderr.splitlines()), r.stderr)
        r = self.login(self.stack(role_arn=bad, credentials_required=True))
        self.assertEqual(r.codes(), ["PAM_AUTHINFO_UNAVAIL"], r)
        self.assertTrue(any("credentials_required" in l for l in r.syslog), r.syslog)

    def test_identity_endpoint_down(self):
        down = "http://127.0.0.1:1"
        r = self.login(self.stack(identity_endpoint=down))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.assert_no_aws(r.env)
        self.assertTrue(any("network unavailable" in l for l in warnings(r)), r.stderr)
        r = self.login(self.stack(identity_endpoint=down, credentials_required=True))
        self.assertEqual(r.codes(), ["PAM_AUTHINFO_UNAVAIL"], r)
        self.assert_no_aws(r.env)

    def test_required_session_without_credentials_fails(self):
        s = self.stack(credentials_required=True)
        r = s.run("alice", [], stages=("open",))
        self.assertEqual(r.codes(), ["PAM_SESSION_ERR"], r)
        r = s.run("alice", [], stages=("setcred",))
        self.assertEqual(r.codes(), ["PAM_CRED_UNAVAIL"], r)

    # ---- issue 22, item 9: the session decides nothing from the user's files

    def forge_creds_as(self, user, expiration):
        """Write credentials.json in user's area as that user (no PAM): a
        well-formed document that nobody issued."""
        pw = pwd.getpwnam(user)
        doc = json.dumps({"Version": 1, "AccessKeyId": "ASIAFORGEDFORGED0000",
                          "SecretAccessKey": "forged-secret", "SessionToken": "forged-token",
                          "Expiration": iso(expiration)})
        path = os.path.join(self.user_dir(user), "credentials.json")

        def become():
            os.setgid(pw.pw_gid)
            os.setuid(pw.pw_uid)
        code = ("import os, sys\n"
                "tmp = sys.argv[1] + '.tmp'\n"
                "fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)\n"
                "os.write(fd, sys.argv[2].encode()); os.close(fd)\n"
                "os.rename(tmp, sys.argv[1])\n")
        subprocess.run([sys.executable, "-c", code, path, doc], check=True,
                       preexec_fn=become)
        self.assertEqual(os.stat(path).st_uid, pw.pw_uid)

    def test_forged_credentials_file_does_not_satisfy_credentials_required(self):
        # Alice's last login got credentials that have run out (30 s, under
        # the minute a session needs); she writes credentials.json herself.
        self.emu.control("SetOptions", CredentialTtlSeconds=30)
        s = self.stack(credentials_required=True)
        self.assertEqual(self.login(s, stages=("auth",)).code, "PAM_SUCCESS")
        self.forge_creds_as("alice", time.time() + 365 * 86400)
        r = s.run("alice", [], stages=("setcred",))
        self.assertEqual(r.codes(), ["PAM_CRED_UNAVAIL"], r)
        r = s.run("alice", [], stages=("open",))
        self.assertEqual(r.codes(), ["PAM_SESSION_ERR"], r)
        self.assertTrue(any("credentials_required is set: the AWS credentials issued at "
                            "the last login have expired" in l for l in r.syslog), r.syslog)

    def test_forged_credentials_file_without_any_login_is_refused(self):
        # No login here ever issued credentials to alice: her area exists
        # (made by a login whose exchange failed, which credentials_required
        # did not yet demand), and she fills it herself.
        first = self.login(self.stack(identity_endpoint="http://127.0.0.1:1"), stages=("auth",))
        self.assertEqual(first.code, "PAM_SUCCESS", first)
        self.assertTrue(os.path.isdir(self.user_dir()))
        self.forge_creds_as("alice", time.time() + 3600)
        s = self.stack(credentials_required=True)
        r = s.run("alice", [], stages=("setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_CRED_UNAVAIL"], r)
        self.assertTrue(any("no AWS credentials were issued at a login here" in l
                            for l in r.syslog), r.syslog)

    def test_issued_credentials_satisfy_credentials_required_in_a_later_process(self):
        s = self.stack(credentials_required=True)
        self.assertEqual(self.login(s, stages=("auth",)).code, "PAM_SUCCESS")
        st = os.stat(os.path.join(self.cache, ".private", "alice", "issued.json"))
        self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)), (0, 0o600))
        r = s.run("alice", [], stages=("setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS", "PAM_SUCCESS"], r)
        self.assert_env_is(r.env, self.issued()[-1])

    def test_no_identity_pool(self):
        # pam_cognito alone in auth: setcred must still succeed (sshd kills
        # the connection on any other answer); session next to pam_permit,
        # as in a real common-session, because it answers PAM_IGNORE.
        text = (f"auth required {MODULE} config=@CONFIG@ debug\n"
                f"session required {MODULE} config=@CONFIG@ debug\n"
                f"session required pam_permit.so\n")
        s = self.stack(identity_pool_id=None, service_text=text)
        r = self.login(s)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.assert_no_aws(r.env)
        # Only root's state (the pool's keys, the account record): no user
        # directory, no credentials.
        self.assertEqual(os.listdir(self.cache), [".private"])
        self.assertEqual(self.issued(), [])
        self.assertTrue(any("pc_open_session: no identity_pool_id" in l for l in r.syslog))
        self.assertEqual(warnings(r), [])

    def test_user_without_local_account_gets_env_only(self):
        name = "nolocal-cognito"
        self.emu.idp("AdminCreateUser", UserPoolId=POOL, Username=name,
                     UserAttributes=[{"Name": "name", "Value": "No Local"}],
                     MessageAction="SUPPRESS")
        self.emu.idp("AdminSetUserPassword", UserPoolId=POOL, Username=name,
                     Password="NoLocal-Passw0rd!", Permanent=True)
        r = self.stack().run(name, ["NoLocal-Passw0rd!"], stages=FULL)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.assert_env_is(r.env, self.issued(name)[-1])
        self.assertFalse(os.path.exists(os.path.join(self.cache, name)))
        self.assertTrue(any("no usable local account" in l for l in r.syslog), r.syslog)

    # ---- the cache ----

    def test_cache_layout_and_modes(self):
        s = self.stack(client_id=SECRET_CLIENT, client_secret=CLIENT_SECRET)
        r = self.login(s)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        base, udir = os.stat(self.cache), os.stat(self.user_dir())
        self.assertEqual((base.st_uid, stat.S_IMODE(base.st_mode)), (0, 0o755))
        self.assertEqual((udir.st_uid, udir.st_gid, stat.S_IMODE(udir.st_mode)),
                         (self.alice.pw_uid, self.alice.pw_gid, 0o700))
        self.assertEqual(sorted(os.listdir(self.user_dir())),
                         ["credentials.json", "identity_id", "owner", "refresh.json"])
        for name in os.listdir(self.user_dir()):
            st = os.lstat(os.path.join(self.user_dir(), name))
            self.assertTrue(stat.S_ISREG(st.st_mode), name)
            self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)),
                             (self.alice.pw_uid, 0o600), name)
        c = self.issued()[-1]["Credentials"]
        self.assertEqual(self.read_creds_file(),
                         {"Version": 1, "AccessKeyId": c["AccessKeyId"],
                          "SecretAccessKey": c["SecretKey"],
                          "SessionToken": c["SessionToken"],
                          "Expiration": iso(c["Expiration"])})
        with open(os.path.join(self.user_dir(), "refresh.json")) as f:
            text = f.read()
        self.assertNotIn(CLIENT_SECRET, text)
        doc = json.loads(text)
        self.assertEqual(doc["user_id"], "alice")
        self.assertEqual(doc["identity_pool_id"], IDENTITY_POOL)
        self.assertTrue(doc["secret_hash"] and doc["refresh_token"])

    def test_a_qualified_name_gets_a_cache(self):
        # SSSD's fully qualified names (user@corp): the cache once refused
        # them. The directory spells the name safely; plain names stay.
        name, password = "pctest@corp", "Corp-Passw0rd!1"
        subprocess.run(["useradd", "--badname", "-M", name], check=True, capture_output=True)
        self.addCleanup(subprocess.run, ["userdel", name], capture_output=True)
        self.emu.idp("AdminCreateUser", UserPoolId=POOL, Username=name,
                     MessageAction="SUPPRESS")
        self.emu.idp("AdminSetUserPassword", UserPoolId=POOL, Username=name,
                     Password=password, Permanent=True)
        s = self.stack()
        r = s.run(name, [password], stages=FULL)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.assertEqual(warnings(r), [])
        area = os.path.join(self.cache, "pctest%40corp")
        self.assertEqual(os.stat(area).st_uid, pwd.getpwnam(name).pw_uid)
        self.assertIn("credentials.json", os.listdir(area))
        # a later session reads the cache; the helper, as the user, too
        r = s.run(name, [], stages=("setcred", "open"))
        self.assert_env_is(r.env, self.issued(name)[-1])
        p = subprocess.run(["runuser", "-u", name, "--", str(BUILD / "pam_cognito-credentials"),
                            "--cache-dir", self.cache], capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["AccessKeyId"],
                         self.issued(name)[-1]["Credentials"]["AccessKeyId"])

    def test_sshd_like_split(self):
        s = self.stack()
        first = self.login(s, stages=("auth",))
        self.assertEqual(first.codes(), ["PAM_SUCCESS"], first)
        r = s.run("alice", [], stages=("setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS", "PAM_SUCCESS"], r)
        self.assert_env_is(r.env, self.issued()[-1])
        self.assertEqual({k: r.env[k] for k in AWS_VARS},
                         {k: first.env[k] for k in AWS_VARS})

    def test_expiring_cache_is_not_loaded(self):
        self.emu.control("SetOptions", CredentialTtlSeconds=30)
        s = self.stack()
        self.assertEqual(self.login(s, stages=("auth",)).code, "PAM_SUCCESS")
        r = s.run("alice", [], stages=("setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS", "PAM_SUCCESS"], r)
        self.assert_no_aws(r.env)

    def test_symlinked_user_dir_is_refused(self):
        elsewhere = os.path.join(self.tmp, "elsewhere")
        os.mkdir(elsewhere, 0o700)
        with open(os.path.join(elsewhere, "marker"), "w") as f:
            f.write("untouched")
        os.mkdir(self.cache, 0o755)
        os.symlink(elsewhere, self.user_dir())
        r = self.login(self.stack())
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.assert_env_is(r.env, self.issued()[-1])
        self.assertEqual(os.listdir(elsewhere), ["marker"])
        self.assertEqual(os.stat(elsewhere).st_uid, 0)
        self.assertTrue(os.path.islink(self.user_dir()))
        self.assertTrue(any("symlink" in l for l in warnings(r)), r.stderr)

    def test_foreign_credentials_file_is_refused(self):
        s = self.stack()
        self.login(s)
        # A file of another user, hard-linked in as credentials.json.
        target = os.path.join(self.tmp, "nobodys-file")
        with open(target, "w") as f:
            f.write("untouched")
        os.chown(target, self.nobody.pw_uid, self.nobody.pw_gid)
        os.chmod(target, 0o600)
        creds = os.path.join(self.user_dir(), "credentials.json")
        os.unlink(creds)
        os.link(target, creds)
        r = s.run("alice", [], stages=("setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS", "PAM_SUCCESS"], r)
        self.assert_no_aws(r.env)
        self.assertTrue(any("credentials.json" in l and "owned by uid" in l
                            for l in warnings(r)), r.stderr)
        r = self.login(s)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        with open(target) as f:
            self.assertEqual(f.read(), "untouched")
        st = os.stat(target)
        self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)), (self.nobody.pw_uid, 0o600))
        self.assertEqual(os.stat(creds).st_uid, self.alice.pw_uid)
        self.assertEqual(self.read_creds_file()["AccessKeyId"], r.env["AWS_ACCESS_KEY_ID"])

    def test_world_writable_base_is_refused(self):
        os.mkdir(self.cache)
        os.chmod(self.cache, 0o777)
        r = self.login(self.stack())
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.assert_env_is(r.env, self.issued()[-1])
        self.assertEqual(os.listdir(self.cache), [])
        self.assertTrue(any("unsafe" in l and self.cache in l for l in warnings(r)),
                        r.stderr)

    def test_concurrent_logins_leave_a_complete_file(self):
        # One Stack each: a Stack's answers file is not shared between runs.
        stacks = [self.stack(args="") for _ in range(20)]
        results = [None] * 20

        def one(i):
            results[i] = self.login(stacks[i])

        threads = [threading.Thread(target=one, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for r in results:
            self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
            self.assertIn("AWS_ACCESS_KEY_ID", r.env)
            self.assertEqual(warnings(r), [])  # not even the first-login race
        doc = self.read_creds_file()
        issued = {c["Credentials"]["AccessKeyId"]: c["Credentials"] for c in self.issued()}
        self.assertEqual(len(issued), 20)
        self.assertIn(doc["AccessKeyId"], issued)
        self.assertEqual(doc["SecretAccessKey"], issued[doc["AccessKeyId"]]["SecretKey"])
        self.assertEqual(sorted(os.listdir(self.user_dir())),
                         ["credentials.json", "identity_id", "owner", "refresh.json"])

    def test_a_sweep_during_the_first_login_keeps_the_new_area(self):
        # Every module call sweeps cache_dir. An area made root-owned and
        # given to the user a moment later was, to a sweep in that moment,
        # another uid's: removed under the login that was making it, whose
        # credentials then went into a deleted directory. strace holds each
        # fchown of the first login 1.5 s, so the sweep of a second call (root's
        # auth: ignored, but it sweeps) lands in that moment every time.
        s = self.stack(args="")
        afile = s.dir / "answers-strace"
        afile.write_text(PASSWORDS["alice"] + "\n")
        env = dict(os.environ, LD_PRELOAD=PAM_WRAPPER, PAM_WRAPPER="1",
                   PAM_WRAPPER_SERVICE_DIR=str(s.service_dir), PAM_WRAPPER_DEBUGLEVEL="2")
        cmd = ["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=fchown",
               "-e", "inject=fchown:delay_enter=1500000",
               PAM_RUN, "-s", s.service, "-a", str(afile), "-u", "alice", *FULL]
        first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, env=env)
        try:
            deadline = time.monotonic() + 20
            made = None
            while first.poll() is None and time.monotonic() < deadline and made is None:
                try:
                    made = os.lstat(self.user_dir())
                except FileNotFoundError:
                    time.sleep(0.005)
            self.assertIsNotNone(made, "the first login made no area")
            self.assertIsNone(first.poll(), "the first login ended too early")
            other = s.run("root", [], stages=("auth",))
            self.assertNotEqual(other.code, "PAM_SUCCESS", other)  # root is never Cognito's
            # The area the login is filling is still there, the same one.
            self.assertIn("alice", os.listdir(self.cache))
            self.assertEqual(os.lstat(self.user_dir()).st_ino, made.st_ino)
            out, err = first.communicate(timeout=60)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
        r = Result([json.loads(l) for l in out.splitlines() if l.startswith("{")], err,
                   first.returncode)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.assertEqual(warnings(r), [])
        self.assertIn("credentials.json", os.listdir(self.user_dir()), err)
        st = os.stat(self.user_dir())
        self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)), (self.alice.pw_uid, 0o700))
        self.assertEqual([n for n in os.listdir(self.cache) if n.startswith(".new-")], [])

if __name__ == "__main__":
    unittest.main()
