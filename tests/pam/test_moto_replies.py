"""Any server that speaks the AWS JSON protocol the way botocore reads it
(issue 24 item 9): moto's server, the Cognito stand-in most teams run in CI,
answers cognito-identity calls with `Content-Type: text/html` over a JSON
body and closes the connection after every answer. Through a real libpam
stack against the emulator answering that way (SetReplyStyle): the login
and its AWS credentials arrive, every closed connection costs a reconnect
and nothing more, and a body that is not a JSON object is still refused."""
import json
import os
import unittest

from pamrun import CacheTest, IDENTITY_POOL, Stack, base_config

# tests/pyrunner.py --jobs: adds and removes local accounts.
PYRUNNER_ALONE = True

FULL = ("auth", "setcred", "open")
PASSWORD = "Alice-Passw0rd!"


class MotoRepliesTest(CacheTest):
    def login(self, **over):
        over.setdefault("identity_pool_id", IDENTITY_POOL)
        over.setdefault("cache_dir", self.cache)
        s = Stack(base_config(self.emu, **over), args="debug")
        self.stacks.append(s)
        return s.run("alice", [PASSWORD], stages=FULL)

    def issued(self):
        return self.emu.control("IssuedCredentials")["Credentials"]

    def assert_credentials_delivered(self, r):
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r.stderr)
        issued = self.issued()
        self.assertEqual(len(issued), 1)
        c = issued[0]["Credentials"]
        self.assertEqual(r.env.get("AWS_ACCESS_KEY_ID"), c["AccessKeyId"])
        self.assertEqual(r.env.get("AWS_SECRET_ACCESS_KEY"), c["SecretKey"])
        self.assertEqual(r.env.get("AWS_SESSION_TOKEN"), c["SessionToken"])
        with open(os.path.join(self.cache, "alice", "credentials.json")) as f:
            self.assertEqual(json.load(f)["AccessKeyId"], c["AccessKeyId"])
        self.assertNotIn("malformed", r.stderr)

    def test_identity_answers_as_text_html_with_connection_close(self):
        self.emu.control("SetReplyStyle", Style="moto", Services="identity")
        self.emu.control("ResetStats")
        r = self.login()
        self.assert_credentials_delivered(r)
        ops = self.emu.control("Stats")["ByOperation"]
        self.assertEqual((ops.get("GetId"), ops.get("GetCredentialsForIdentity")), (1, 1))

    def test_every_service_answers_that_way(self):
        # The SRP login too: each answer closes its connection, so every
        # request comes on a connection of its own (a reconnect each).
        self.emu.control("SetReplyStyle", Style="moto", Services="all")
        self.emu.control("ResetStats")
        r = self.login()
        self.assert_credentials_delivered(r)
        stats = self.emu.control("Stats")
        self.assertGreaterEqual(stats["Requests"], 4, stats)  # SRP start, verifier, GetId, creds
        self.assertEqual(stats["Connections"], stats["Requests"], stats)

    def test_a_body_that_is_not_json_is_still_refused(self):
        # moto's Content-Type and an HTML page for a body: not Cognito's.
        self.emu.control("SetReplyStyle", Style="moto", Services="all")
        self.emu.control("SetFault", Operation="GetId", Kind="garbage", Count=5)
        r = self.login(credentials_required=True)
        self.assertEqual(r.codes()[0], "PAM_AUTHINFO_UNAVAIL", r.stderr)
        self.assertEqual([k for k in r.env if k.startswith("AWS_")], [])
        self.assertEqual(self.issued(), [])
        self.assertIn("malformed reply: reply is not a JSON object", r.stderr)
        self.assertIn("credentials_required is set: denying", r.stderr)

    def test_a_json_body_that_is_not_an_object_is_refused(self):
        # An empty body is no JSON object either.
        self.emu.control("SetReplyStyle", Style="moto", Services="identity")
        self.emu.control("SetFault", Operation="GetCredentialsForIdentity", Kind="empty",
                         Count=5)
        r = self.login(credentials_required=True)
        self.assertEqual(r.codes()[0], "PAM_AUTHINFO_UNAVAIL", r.stderr)
        self.assertEqual([k for k in r.env if k.startswith("AWS_")], [])
        self.assertIn("malformed reply: reply is not a JSON object", r.stderr)


if __name__ == "__main__":
    unittest.main()
