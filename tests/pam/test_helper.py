"""pam_cognito-credentials, the credential_process helper: run as the user
on the cache a real login left, against the emulator; and botocore reading
the credentials from the session environment and through the helper."""
import json
import os
import stat
import subprocess
import time
import unittest

from pamrun import (CacheTest, BUILD, CLIENT_SECRET, IDENTITY_POOL, SECRET_CLIENT,
                    Stack, base_config)
from test_credentials import iso

HELPER = str(BUILD / "pam_cognito-credentials")
PYTHON = "/usr/bin/python3"  # Debian's, with python3-botocore

BOTO_FROZEN = """
import json, botocore.session
c = botocore.session.Session().get_credentials()
f = c.get_frozen_credentials()
print(json.dumps({"AccessKeyId": f.access_key, "SecretKey": f.secret_key,
                  "SessionToken": f.token, "Method": c.method}))
"""


class HelperTest(CacheTest):
    def login(self, user="alice", password="Alice-Passw0rd!", **over):
        over.setdefault("identity_pool_id", IDENTITY_POOL)
        over.setdefault("cache_dir", self.cache)
        s = Stack(base_config(self.emu, **over))
        self.stacks.append(s)
        r = s.run(user, [password], stages=("auth", "setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        return r

    def helper(self, *args, user="alice", env=(), cache=None):
        cmd = ["runuser", "-u", user, "--", "env", *env, HELPER,
               "--cache-dir", cache or self.cache, *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30)

    def issued(self):
        return [c["Credentials"] for c in
                self.emu.control("IssuedCredentials")["Credentials"]]

    def assert_doc(self, doc, c):
        self.assertEqual(doc, {"Version": 1, "AccessKeyId": c["AccessKeyId"],
                               "SecretAccessKey": c["SecretKey"],
                               "SessionToken": c["SessionToken"],
                               "Expiration": iso(c["Expiration"])})

    def assert_fails(self, p, text):
        self.assertNotEqual(p.returncode, 0, p)
        self.assertEqual(p.stdout, "")
        lines = p.stderr.splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertIn(text, lines[0])

    def creds_file(self):
        return os.path.join(self.cache, "alice", "credentials.json")

    def edit_refresh(self, **changes):
        """Change refresh.json as an administrator would, keeping owner/mode."""
        path = os.path.join(self.cache, "alice", "refresh.json")
        with open(path) as f:
            doc = json.load(f)
        doc.update(changes)
        with open(path, "w") as f:
            json.dump(doc, f)

    # ---- the helper ----

    def test_prints_cached_credentials(self):
        self.login()
        self.emu.control("ResetStats")
        p = self.helper()
        self.assertEqual(p.returncode, 0, p)
        self.assert_doc(json.loads(p.stdout), self.issued()[-1])
        self.assertEqual(self.emu.control("Stats")["ByOperation"], {})

    def test_refreshes_expired_credentials(self):
        self.emu.control("SetOptions", CredentialTtlSeconds=2)
        self.login()
        old = self.issued()[-1]
        time.sleep(3)
        self.emu.control("ResetStats")
        p = self.helper("--min-validity", "0")
        self.assertEqual(p.returncode, 0, p)
        doc = json.loads(p.stdout)
        new = self.issued()[-1]
        self.assertNotEqual(new["AccessKeyId"], old["AccessKeyId"])
        self.assert_doc(doc, new)
        ops = self.emu.control("Stats")["ByOperation"]
        # one refresh call: GetTokensFromRefreshToken (issue 24: no longer
        # REFRESH_TOKEN_AUTH first), then the credentials
        self.assertEqual(ops, {"GetTokensFromRefreshToken": 1, "GetCredentialsForIdentity": 1})
        with open(self.creds_file()) as f:
            self.assertEqual(json.load(f), doc)
        st = os.stat(self.creds_file())
        self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)), (self.alice.pw_uid, 0o600))

    def test_min_validity_margin(self):
        self.login()  # credentials for 3600 s
        self.emu.control("ResetStats")
        self.assertEqual(self.helper("--min-validity", "300").returncode, 0)
        self.assertEqual(self.emu.control("Stats")["ByOperation"], {})
        p = self.helper("--min-validity", "4000")
        self.assertEqual(p.returncode, 0, p)
        self.assertEqual(self.calls("GetCredentialsForIdentity"), 1)
        self.assert_doc(json.loads(p.stdout), self.issued()[-1])

    def test_use_fips_reaches_the_renewal(self):
        # The tests reach the emulator through idp_endpoint and
        # identity_endpoint, which take precedence over the FIPS hosts; so
        # what is asserted here is that the login's use_fips is kept in
        # refresh.json and that the helper renews with it. That the parsed
        # setting picks the FIPS hosts is tests/unit/test_creds' part.
        path = os.path.join(self.cache, "alice", "refresh.json")
        self.login()
        with open(path) as f:
            self.assertNotIn("use_fips", json.load(f))
        self.login(use_fips=True)
        with open(path) as f:
            self.assertEqual(json.load(f)["use_fips"], "true")
        self.emu.control("ResetStats")
        p = self.helper("--min-validity", "4000")
        self.assertEqual(p.returncode, 0, p)
        self.assert_doc(json.loads(p.stdout), self.issued()[-1])
        self.assertEqual(self.calls("GetCredentialsForIdentity"), 1)

    def test_refresh_with_a_client_secret(self):
        self.login(client_id=SECRET_CLIENT, client_secret=CLIENT_SECRET)
        p = self.helper("--min-validity", "4000")
        self.assertEqual(p.returncode, 0, p)
        self.assert_doc(json.loads(p.stdout), self.issued()[-1])

    def test_expired_refresh_token(self):
        self.emu.control("SetOptions", RefreshTokenTtlSeconds=60)
        self.login()
        self.emu.control("AdvanceClock", Seconds=120)
        before = open(self.creds_file()).read()
        p = self.helper("--min-validity", "4000")
        self.assert_fails(p, "the refresh token has expired: log in again")
        self.assertEqual(open(self.creds_file()).read(), before)

    def test_no_cache(self):
        self.assert_fails(self.helper(), "no cached credentials for alice: log in first")
        os.mkdir(self.cache, 0o755)
        self.assert_fails(self.helper(), "no cached credentials for alice: log in first")

    def test_network_down(self):
        self.login()
        self.edit_refresh(idp_endpoint="http://127.0.0.1:1")
        self.assert_fails(self.helper("--min-validity", "4000"), "cannot reach Cognito: ")

    def test_refresh_document_endpoints_are_validated(self):
        self.login()
        self.edit_refresh(idp_endpoint="http://cognito.example.com")
        self.emu.control("ResetStats")
        p = self.helper("--min-validity", "4000")
        self.assert_fails(p, "idp_endpoint")
        self.assertIn("log in again", p.stderr)
        self.assertEqual(self.emu.control("Stats")["ByOperation"], {})

    def test_user_comes_from_the_uid_not_the_environment(self):
        self.login()
        fake = ["USER=bob", "LOGNAME=bob", f"HOME={self.bob.pw_dir}"]
        p = self.helper(env=fake)
        self.assertEqual(p.returncode, 0, p)
        self.assert_doc(json.loads(p.stdout), self.issued()[-1])
        p = self.helper(user="bob", env=["USER=alice", "LOGNAME=alice",
                                         f"HOME={self.alice.pw_dir}"])
        self.assert_fails(p, "no cached credentials for bob: log in first")

    def test_options(self):
        p = subprocess.run([HELPER, "--help"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0)
        self.assertIn("credential_process", p.stdout)
        p = subprocess.run([HELPER, "--version"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0)
        self.assertIn("pam_cognito", p.stdout)
        p = subprocess.run([HELPER, "--bogus"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        p = subprocess.run([HELPER, "--min-validity", "soon"], capture_output=True, text=True)
        self.assert_fails(p, "--min-validity")
        p = subprocess.run([HELPER, "--cache-dir", "relative"], capture_output=True, text=True)
        self.assert_fails(p, "absolute")

    # ---- a real consumer: botocore ----

    def boto(self, env, user=None):
        cmd = [PYTHON, "-c", BOTO_FROZEN]
        if user:
            cmd = ["runuser", "-u", user, "--", "env", "-i",
                   *[f"{k}={v}" for k, v in env.items()], *cmd]
            env = None
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env,
                           cwd=self.tmp)
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)

    def test_botocore_reads_the_session_environment(self):
        r = self.login()
        env = {"PATH": "/usr/bin:/bin", "HOME": self.tmp,
               "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
               "AWS_EC2_METADATA_DISABLED": "true"}
        env.update({k: v for k, v in r.env.items() if k.startswith("AWS_")})
        got = self.boto(env)
        c = self.issued()[-1]
        self.assertEqual(got, {"AccessKeyId": c["AccessKeyId"], "SecretKey": c["SecretKey"],
                               "SessionToken": c["SessionToken"], "Method": "env"})

    def test_botocore_credential_process(self):
        self.login()
        config = os.path.join(self.tmp, "aws-config")
        with open(config, "w") as f:
            f.write(f"[default]\nregion = us-east-1\n"
                    f"credential_process = {HELPER} --cache-dir {self.cache}\n")
        os.chmod(config, 0o644)
        env = {"PATH": "/usr/bin:/bin", "HOME": self.alice.pw_dir,
               "AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
               "AWS_EC2_METADATA_DISABLED": "true"}
        got = self.boto(env, user="alice")
        c = self.issued()[-1]
        self.assertEqual(got, {"AccessKeyId": c["AccessKeyId"], "SecretKey": c["SecretKey"],
                               "SessionToken": c["SessionToken"], "Method": "custom-process"})


if __name__ == "__main__":
    unittest.main()
