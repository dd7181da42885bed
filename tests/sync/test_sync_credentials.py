"""Where pam_cognito-sync gets AWS keys (environment, shared credentials
file, IMDSv2) and how the emulator refuses requests without a valid SigV4
signature, as AWS does."""
import http.server
import json
import os
import shutil
import threading
import unittest
import urllib.request
import urllib.error

from synccommon import setUpModule, tearDownModule  # noqa: F401 (system files check)
from synccommon import KEY, TEMP_KEY, SyncCase, key_env, read_entries, run_sync, write_config


def base_env(**extra):
    env = key_env(AWS_ACCESS_KEY_ID=None, AWS_SECRET_ACCESS_KEY=None, HOME="/nonexistent")
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


class FakeImds(http.server.BaseHTTPRequestHandler):
    """IMDSv2 only: GETs without the session token get 401, like EC2 with
    HttpTokens=required."""
    token = "imds-session-token-1"
    role = "sync-role"
    creds = dict(TEMP_KEY)
    seen = []

    def log_message(self, *a):
        pass

    def _send(self, status, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self):
        FakeImds.seen.append(("PUT", self.path, self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")))
        if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            self._send(200, self.token)
        else:
            self._send(400, "")

    def do_GET(self):
        FakeImds.seen.append(("GET", self.path, self.headers.get("X-aws-ec2-metadata-token")))
        if self.headers.get("X-aws-ec2-metadata-token") != self.token:
            self._send(401, "")
        elif self.path == "/latest/meta-data/iam/security-credentials/":
            self._send(200, self.role)
        elif self.path == "/latest/meta-data/iam/security-credentials/" + self.role:
            self._send(200, json.dumps({
                "Code": "Success", "Type": "AWS-HMAC", "LastUpdated": "2024-01-01T00:00:00Z",
                "AccessKeyId": self.creds["AccessKeyId"],
                "SecretAccessKey": self.creds["SecretAccessKey"],
                "Token": self.creds.get("SessionToken", ""),
                "Expiration": "2099-01-01T00:00:00Z"}))
        else:
            self._send(404, "")


class CredentialsTest(SyncCase):
    prefix = "pc-sync-cred-"

    def assert_synced(self, r, source):
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("AWS credentials from the %s" % source, r.stderr)
        self.assertEqual(sorted(read_entries(os.path.join(self.nss, "passwd"))),
                         ["pcs-ann", "pcs-ben"])

    def test_environment_with_session_token(self):
        self.assert_synced(run_sync(self.cfg, env=key_env(TEMP_KEY)), "environment")
        # The same temporary key without its token is refused by the service.
        r = run_sync(self.cfg, env=key_env(TEMP_KEY, AWS_SESSION_TOKEN=None))
        self.assertEqual(r.returncode, 1)
        self.assertIn("UnrecognizedClientException: The security token included in the "
                      "request is invalid.", r.stderr)

    def test_half_set_environment_is_an_error(self):
        env = base_env(AWS_ACCESS_KEY_ID=KEY["AccessKeyId"])
        r = run_sync(self.cfg, env=env)
        self.assertEqual(r.returncode, 1)
        self.assertIn("AWS_SECRET_ACCESS_KEY is not", r.stderr)
        self.assertFalse(os.path.exists(self.nss))

    def test_shared_credentials_file_and_profile(self):
        path = os.path.join(self.tmp, "credentials")
        with open(path, "w") as f:
            f.write("[default]\naws_access_key_id = AKIAWRONGWRONGWRONG0\n"
                    "aws_secret_access_key = nope\n\n"
                    "[sync]\n# the profile the tool should use\n"
                    "aws_access_key_id = %s\naws_secret_access_key = %s\n"
                    "aws_session_token = %s\n" % (TEMP_KEY["AccessKeyId"],
                                                  TEMP_KEY["SecretAccessKey"],
                                                  TEMP_KEY["SessionToken"]))
        env = base_env(AWS_SHARED_CREDENTIALS_FILE=path, AWS_PROFILE="sync")
        self.assert_synced(run_sync(self.cfg, env=env), "shared credentials file")
        # ~/.aws/credentials by HOME, default profile: the wrong key here.
        os.makedirs(os.path.join(self.tmp, ".aws"))
        shutil.copy(path, os.path.join(self.tmp, ".aws", "credentials"))
        r = run_sync(self.cfg, env=base_env(HOME=self.tmp))
        self.assertEqual(r.returncode, 1)
        self.assertIn("UnrecognizedClientException", r.stderr)
        env = base_env(AWS_SHARED_CREDENTIALS_FILE=path, AWS_PROFILE="missing")
        r = run_sync(self.cfg, env=env)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no AWS credentials", r.stderr)

    def test_imds_v2_instance_role(self):
        FakeImds.seen = []
        srv = http.server.HTTPServer(("127.0.0.1", 0), FakeImds)
        t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        t.start()
        try:
            url = "http://127.0.0.1:%d" % srv.server_address[1]
            write_config(self.cfg, self.emu, nss_dir=self.nss, imds_endpoint=url)
            env = base_env(AWS_EC2_METADATA_DISABLED=None)
            self.assert_synced(run_sync(self.cfg, env=env), "instance metadata (IMDSv2)")
            self.assertEqual(FakeImds.seen[0][:2], ("PUT", "/latest/api/token"))
            self.assertTrue(all(s[2] == FakeImds.token for s in FakeImds.seen[1:]))
            # No metadata service at all: a clear error, nothing written.
            shutil.rmtree(self.nss)
            write_config(self.cfg, self.emu, nss_dir=self.nss, imds_endpoint="http://127.0.0.1:9")
            r = run_sync(self.cfg, env=env)
            self.assertEqual(r.returncode, 1)
            self.assertIn("instance metadata", r.stderr)
            self.assertFalse(os.path.exists(self.nss))
        finally:
            srv.shutdown()
            srv.server_close()
            t.join(5)


class SignatureRefusedTest(SyncCase):
    """Requests the emulator must refuse, with AWS's status and __type."""

    def post(self, op, headers):
        body = json.dumps({"UserPoolId": "us-east-1_Emul4tor", "GroupName": "pcs-staff"}).encode()
        h = {"Content-Type": "application/x-amz-json-1.1",
             "X-Amz-Target": "AWSCognitoIdentityProviderService." + op}
        h.update(headers)
        req = urllib.request.Request(self.emu.url + "/", data=body, headers=h, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def test_unsigned_request(self):
        for op in ("ListUsersInGroup", "ListGroups"):
            status, body = self.post(op, {})
            self.assertEqual((status, body["__type"]), (400, "MissingAuthenticationTokenException"))
            self.assertEqual(body["message"], "Missing Authentication Token")

    def test_forged_and_malformed_signatures(self):
        cred = "Credential=%s/20240101/us-east-1/cognito-idp/aws4_request" % KEY["AccessKeyId"]
        cases = [
            ({"Authorization": "Bearer abc"}, "IncompleteSignatureException"),
            ({"Authorization": "AWS4-HMAC-SHA256 %s, SignedHeaders=host" % cred},
             "IncompleteSignatureException"),
            ({"Authorization": "AWS4-HMAC-SHA256 Credential=AKIAUNKNOWN000000000/20240101/"
              "us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, "
              "Signature=" + "0" * 64, "X-Amz-Date": "20240101T000000Z"},
             "UnrecognizedClientException"),
            ({"Authorization": "AWS4-HMAC-SHA256 %s, SignedHeaders=host;x-amz-date, "
              "Signature=%s" % (cred, "0" * 64), "X-Amz-Date": "20240101T000000Z"},
             "InvalidSignatureException"),
        ]
        for headers, want in cases:
            with self.subTest(want):
                status, body = self.post("ListUsersInGroup", headers)
                self.assertEqual((status, body["__type"]), (400, want), body)

    def test_unsigned_admin_calls_of_the_test_harness_still_work(self):
        # Documented choice: only the sync tool's calls are checked.
        u = self.emu.idp("AdminGetUser", UserPoolId="us-east-1_Emul4tor", Username="pcs-ann")
        self.assertEqual(u["Username"], "pcs-ann")


if __name__ == "__main__":
    unittest.main()
