"""The pool's two issuers and a secondary (replica) Region, through a real
libpam stack against the emulator: a login with the updated issuer
(issuer-cognito-idp) verifies its ID token with that issuer's own keys and
gets AWS credentials under the identity pool's provider name; a token
naming a third host, another pool, or signed with the other issuer's keys
is refused; a secondary Region's OperationNotEnabledException is told as
such. Runs as root (the credential cache)."""
import json
import os
import stat
import time
import unittest
import urllib.request

from pamrun import CacheTest, IDENTITY_POOL, POOL, Stack, base_config

# tests/pyrunner.py --jobs: adds and removes local accounts.
PYRUNNER_ALONE = True

PASSWORD = "Alice-Passw0rd!"
ORIGINAL = "https://cognito-idp.us-east-1.amazonaws.com/" + POOL
UPDATED = "https://issuer-cognito-idp.us-east-1.amazonaws.com/" + POOL
PROVIDER = "cognito-idp.us-east-1.amazonaws.com/" + POOL
NOT_THIS_ISSUER = "ID token issuer is not %s or %s" % (ORIGINAL, UPDATED)
REPLICA_WORDS = ("This is not possible while the sign-in service runs from its "
                 "secondary Region; try again later or contact your administrator.")


class IssuerTest(CacheTest):
    def stack(self, **over):
        over.setdefault("identity_pool_id", IDENTITY_POOL)
        over.setdefault("cache_dir", self.cache)
        over.setdefault("issuer_endpoint", self.emu.url + "/issuer-cognito-idp/")
        s = Stack(base_config(self.emu, **over), args="debug")
        self.stacks.append(s)
        return s

    def updated(self):
        self.emu.control("SetIssuerType", Type="UPDATED", UserPoolId=POOL)

    def issued(self):
        return [c for c in self.emu.control("IssuedCredentials")["Credentials"]
                if c["Username"] == "alice"]

    def private(self, name):
        return os.path.join(self.cache, ".private", name)

    def assert_refused(self, r, why):
        self.assertEqual(r.codes(), ["PAM_AUTH_ERR"], r)
        self.assertTrue(any(why in line for line in r.syslog), r.syslog)
        self.assertEqual(self.issued(), [])
        self.assertFalse([k for k in r.env if k.startswith("AWS_")], r.env)

    def test_updated_issuer_login_gets_credentials(self):
        self.updated()
        r = self.stack().run("alice", [PASSWORD], stages=("auth", "setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        issued = self.issued()
        self.assertEqual(len(issued), 1, issued)
        # the identity pool's provider name, not the updated issuer's host
        self.assertEqual(issued[0]["LoginsKey"], PROVIDER)
        self.assertEqual(r.env.get("AWS_ACCESS_KEY_ID"),
                         issued[0]["Credentials"]["AccessKeyId"])
        # the updated issuer's keys, kept root-only and apart
        st = os.stat(self.private("jwks-updated-%s.json" % POOL))
        self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)), (0, 0o600))

    def store_both_key_sets(self, s):
        """A login under each issuer: both key sets are stored."""
        self.assertEqual(s.run("alice", [PASSWORD]).code, "PAM_SUCCESS")
        self.updated()
        self.assertEqual(s.run("alice", [PASSWORD]).code, "PAM_SUCCESS")
        for name in ("jwks-%s.json", "jwks-updated-%s.json"):
            self.assertTrue(os.path.exists(self.private(name % POOL)), name)

    def test_updated_issuer_keys_come_from_the_issuer(self):
        s = self.stack(identity_pool_id=None)
        self.store_both_key_sets(s)
        # dropped, the updated issuer's keys are fetched again from the
        # issuer's path
        os.unlink(self.private("jwks-updated-%s.json" % POOL))
        r = s.run("alice", [PASSWORD], stages=("auth",))
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertTrue(os.path.exists(self.private("jwks-updated-%s.json" % POOL)))
        # where the issuer's keys cannot be had, the login is refused: the
        # pool's own stored keys do not stand in for them
        os.unlink(self.private("jwks-updated-%s.json" % POOL))
        r = self.stack(identity_pool_id=None,
                       issuer_endpoint=self.emu.url + "/nowhere/").run("alice", [PASSWORD])
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)
        self.assertTrue(any("JWKS answered HTTP 404" in line for line in r.syslog), r.syslog)
        self.assertTrue(os.path.exists(self.private("jwks-%s.json" % POOL)))

    def test_stale_keys_of_the_updated_issuer_are_fetched_from_it(self):
        s = self.stack(identity_pool_id=None)
        self.store_both_key_sets(s)
        path = self.private("jwks-updated-%s.json" % POOL)
        with open(path) as f:
            doc = json.load(f)
        doc["fetched_at"] = 1000          # long stale
        with open(path, "w") as f:
            json.dump(doc, f)
        # a person who takes a second to type: the warm-up fetches the keys
        # while the prompt is up, and they must be the updated issuer's
        r = s.run("alice", [lambda _prompt: time.sleep(1.5) or PASSWORD])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        with open(path) as f:
            doc = json.load(f)
        self.assertGreater(doc["fetched_at"], time.time() - 60)
        with urllib.request.urlopen("%s/issuer-cognito-idp/%s/.well-known/jwks.json"
                                    % (self.emu.url, POOL), timeout=10) as resp:
            served = json.load(resp)
        self.assertEqual(doc["jwks"], served, "the updated issuer's own keys, not the pool's")

    def test_original_issuer_still_works(self):
        r = self.stack().run("alice", [PASSWORD], stages=("auth", "setcred", "open"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r)
        self.assertEqual(self.issued()[0]["LoginsKey"], PROVIDER)

    def test_third_host_refused(self):
        self.updated()
        self.emu.control("SetFault", Kind="token_wrong_iss",
                         Value="https://evil.example.com/" + POOL)
        self.assert_refused(self.stack().run("alice", [PASSWORD]), NOT_THIS_ISSUER)

    def test_lookalike_host_refused(self):
        self.emu.control("SetFault", Kind="token_wrong_iss",
                         Value="https://issuer-cognito-idp.us-east-1.amazonaws.com.evil.example/"
                         + POOL)
        self.assert_refused(self.stack().run("alice", [PASSWORD]), NOT_THIS_ISSUER)

    def test_other_pool_id_refused(self):
        self.updated()
        self.emu.control("SetFault", Kind="token_wrong_iss")   # same host, another pool
        self.assert_refused(self.stack().run("alice", [PASSWORD]), NOT_THIS_ISSUER)

    def test_other_issuers_key_refused(self):
        s = self.stack()
        self.store_both_key_sets(s)
        # a token naming the updated issuer but signed with the original
        # issuer's key (whose kid the module has stored) is not taken
        self.emu.control("SetFault", Kind="token_other_issuer_key")
        before = len(self.issued())
        r = s.run("alice", [PASSWORD])
        self.assertEqual(r.codes(), ["PAM_AUTH_ERR"], r)
        self.assertTrue(any("key the pool does not publish" in line for line in r.syslog),
                        r.syslog)
        self.assertEqual(len(self.issued()), before)


class ReplicaTest(CacheTest):
    def setUp(self):
        super().setUp()
        self.emu.control("SetReplicaRole", Role="SECONDARY")

    def test_sign_in_works_in_a_secondary_region(self):
        r = self.s.run("alice", [PASSWORD])
        self.assertEqual(r.code, "PAM_SUCCESS", r)

    def test_password_change_refused_with_its_own_message(self):
        r = self.s.run("alice", [PASSWORD, "Changed-Passw0rd!2", "Changed-Passw0rd!2"],
                       stages=("chauthtok",))
        self.assertEqual(r.code, "PAM_AUTHTOK_ERR", r)
        self.assertIn(REPLICA_WORDS, r.errors)
        self.assertIn("The password was not changed.", r.errors)
        self.assertTrue(any("OperationNotEnabledException" in line and
                            "secondary (replica) Region refuses this call" in line
                            for line in r.syslog), r.syslog)
        # nothing changed: the old password still signs in
        self.assertEqual(self.s.run("alice", [PASSWORD]).code, "PAM_SUCCESS")

    def test_password_reset_refused_with_its_own_message(self):
        # reset by an administrator in the primary Region
        self.emu.control("SetReplicaRole", Role="PRIMARY")
        self.emu.idp("AdminResetUserPassword", UserPoolId=POOL, Username="alice")
        self.emu.control("SetReplicaRole", Role="SECONDARY")
        r = self.s.run("alice", [PASSWORD, ""])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertIn(REPLICA_WORDS, r.errors)
        self.assertTrue(any("OperationNotEnabledException" in line for line in r.syslog),
                        r.syslog)
        self.assertEqual(self.calls("ConfirmForgotPassword"), 0)


if __name__ == "__main__":
    unittest.main()
