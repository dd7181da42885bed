"""SetReplyStyle: answers like moto's server (text/html over the JSON body,
Connection: close) on cognito-identity, or on every service."""

import http.client
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from control import IDENTITY, IDP, EmulatorError  # noqa: E402
from test_emulator import IDENTITY_POOL, PROVIDER, EmulatorCase  # noqa: E402
from test_fault_kinds import PASSWORD_LOGIN  # noqa: E402


class ReplyStyleTest(EmulatorCase):
    def two_on_one_connection(self, first, second):
        """Send two requests on one connection: the first answer's status,
        Content-Type, Connection header and body, and whether the second
        request could still be sent and answered on it."""
        conn = http.client.HTTPConnection("127.0.0.1", self.emu.port, timeout=5)
        try:
            out = []
            for target, body in (first, second):
                try:
                    conn.request("POST", "/", body=json.dumps(body).encode(), headers={
                        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target})
                    resp = conn.getresponse()
                    out.append((resp.status, resp.getheader("Content-Type"),
                                resp.getheader("Connection"), json.loads(resp.read())))
                except (http.client.HTTPException, OSError):
                    out.append(None)
                if conn.sock is None and len(out) == 1:
                    out.append("closed")  # the client saw Connection: close
                    break
            return out
        finally:
            conn.close()

    def get_id(self):
        tok = self.emu.idp("InitiateAuth", **PASSWORD_LOGIN)["AuthenticationResult"]["IdToken"]
        return IDENTITY + ".GetId", {"IdentityPoolId": IDENTITY_POOL, "Logins": {PROVIDER: tok}}

    def test_aws_style_keeps_the_connection_and_says_json(self):
        first, second = self.two_on_one_connection(self.get_id(), self.get_id())
        self.assertEqual(first[:3], (200, "application/x-amz-json-1.1", None))
        self.assertIn("IdentityId", first[3])
        self.assertEqual(second[0], 200)

    def test_moto_style_on_identity(self):
        r = self.emu.control("SetReplyStyle", Style="moto")
        self.assertEqual(r["ReplyStyle"], {"Style": "moto", "Services": "identity"})
        first, second = self.two_on_one_connection(self.get_id(), self.get_id())
        self.assertEqual(first[:3], (200, "text/html; charset=utf-8", "close"))
        self.assertIn("IdentityId", first[3])
        self.assertEqual(second, "closed")
        # the user pool answers as before
        first, second = self.two_on_one_connection((IDP + ".InitiateAuth", PASSWORD_LOGIN),
                                                   (IDP + ".InitiateAuth", PASSWORD_LOGIN))
        self.assertEqual(first[:3], (200, "application/x-amz-json-1.1", None))
        self.assertEqual(second[0], 200)
        # errors too
        status, body, headers = self.emu.call(IDENTITY + ".GetId",
                                              {"IdentityPoolId": IDENTITY_POOL, "Logins": {}})
        self.assertEqual((status, body["__type"]), (400, "NotAuthorizedException"))
        self.assertEqual(headers["Content-Type"], "text/html; charset=utf-8")

    def test_moto_style_on_all(self):
        self.emu.control("SetReplyStyle", Style="moto", Services="all")
        first, second = self.two_on_one_connection((IDP + ".InitiateAuth", PASSWORD_LOGIN),
                                                   (IDP + ".InitiateAuth", PASSWORD_LOGIN))
        self.assertEqual(first[:3], (200, "text/html; charset=utf-8", "close"))
        self.assertIn("AuthenticationResult", first[3])
        self.assertEqual(second, "closed")
        self.emu.control("SetReplyStyle", Style="aws")
        first, _ = self.two_on_one_connection((IDP + ".InitiateAuth", PASSWORD_LOGIN),
                                              (IDP + ".InitiateAuth", PASSWORD_LOGIN))
        self.assertEqual(first[1], "application/x-amz-json-1.1")

    def test_bad_style_refused(self):
        with self.assertRaises(EmulatorError) as cm:
            self.emu.control("SetReplyStyle", Style="boto")
        self.assertEqual(cm.exception.type, "InvalidParameterException")

    def test_reset_goes_back_to_the_fixture_style(self):
        self.emu.control("SetReplyStyle", Style="moto")
        self.emu.control("Reset")
        first, _ = self.two_on_one_connection(self.get_id(), self.get_id())
        self.assertEqual(first[1], "application/x-amz-json-1.1")


if __name__ == "__main__":
    unittest.main()
