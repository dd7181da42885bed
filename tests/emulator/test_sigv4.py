"""The emulator's SigV4 verifier against botocore's signer (the AWS SDK's
own implementation), so that a bug cannot hide by being the same in the
tool's requests and in the check."""
import json
import time
import unittest

import botocore.auth
import botocore.awsrequest
import botocore.credentials

import sigv4
import state
from control import default_fixture
from errors import CognitoError

TARGET = "AWSCognitoIdentityProviderService.ListUsersInGroup"


def signed(key, body, region="us-east-1", service="cognito-idp", token=None,
           url="http://127.0.0.1:9229/"):
    creds = botocore.credentials.Credentials(key["AccessKeyId"], key["SecretAccessKey"],
                                             token or key.get("SessionToken"))
    req = botocore.awsrequest.AWSRequest(
        method="POST", url=url, data=body,
        headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET})
    botocore.auth.SigV4Auth(creds, service, region).add_auth(req)
    headers = [(k, v) for k, v in req.headers.items()]
    headers.append(("Host", url.split("/")[2]))
    return headers


class VerifierTest(unittest.TestCase):
    def setUp(self):
        self.st = state.State(default_fixture())
        self.body = json.dumps({"UserPoolId": "us-east-1_Emul4tor", "GroupName": "g"}).encode()

    def check(self, headers, body=None, path="/"):
        return sigv4.verify(self.st, "POST", path, headers, self.body if body is None else body)

    def refused(self, headers, body=None):
        with self.assertRaises(CognitoError) as cm:
            self.check(headers, body)
        return cm.exception.type

    def test_botocore_signatures_verify(self):
        for key in sigv4.DEFAULT_KEYS:
            with self.subTest(key["AccessKeyId"]):
                headers = signed(key, self.body)
                self.assertIn("x-amz-date", [k.lower() for k, _ in headers])
                self.assertEqual(self.check(headers), key["AccessKeyId"])

    def test_tampering_is_refused(self):
        key = sigv4.DEFAULT_KEYS[0]
        headers = signed(key, self.body)
        self.assertEqual(self.refused(headers, body=self.body + b" "), "InvalidSignatureException")
        changed = [(k, TARGET.replace("ListUsersInGroup", "ListGroups")
                    if k.lower() == "x-amz-target" else v) for k, v in headers]
        self.assertEqual(self.refused(changed), "InvalidSignatureException")
        wrong = dict(key, SecretAccessKey="x" * 40)
        self.assertEqual(self.refused(signed(wrong, self.body)), "InvalidSignatureException")

    def test_scope_key_token_and_clock(self):
        key, temp = sigv4.DEFAULT_KEYS
        self.assertEqual(self.refused(signed(key, self.body, region="eu-west-1")),
                         "InvalidSignatureException")
        self.assertEqual(self.refused(signed(key, self.body, service="s3")),
                         "InvalidSignatureException")
        self.assertEqual(self.refused(signed(dict(key, AccessKeyId="AKIANOBODY0000000000"),
                                             self.body)), "UnrecognizedClientException")
        self.assertEqual(self.refused(signed(temp, self.body, token="forged")),
                         "UnrecognizedClientException")
        headers = signed(key, self.body)
        self.st.options["ClockOffsetSeconds"] = 600
        self.assertEqual(self.refused(headers), "InvalidSignatureException")
        self.st.options["ClockOffsetSeconds"] = 0
        sigv4.add_access_key(self.st, {"AccessKeyId": "ASIAEXPIRED000000000",
                                       "SecretAccessKey": "s", "SessionToken": "t",
                                       "Expiration": time.time() - 1})
        self.assertEqual(self.refused(signed({"AccessKeyId": "ASIAEXPIRED000000000",
                                              "SecretAccessKey": "s", "SessionToken": "t"},
                                             self.body)), "ExpiredTokenException")
        self.assertEqual(self.refused([("Host", "x")]), "MissingAuthenticationTokenException")

    def test_query_strings_canonicalised_like_botocore(self):
        key = sigv4.DEFAULT_KEYS[0]
        url = "http://127.0.0.1:9229/?b=2&a=1&c=x%20y"
        headers = signed(key, self.body, url=url)
        self.assertEqual(sigv4.verify(self.st, "POST", "/?b=2&a=1&c=x%20y", headers, self.body),
                         key["AccessKeyId"])


if __name__ == "__main__":
    unittest.main()
