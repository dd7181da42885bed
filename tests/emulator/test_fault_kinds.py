"""The fault kinds of the fault matrix (tests/FAULTS.md), seen from a raw
HTTP client: what each one puts on the wire, and that When picks a step."""

import http.client
import json
import os
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from control import IDP  # noqa: E402
from test_emulator import POOL, PUBLIC, EmulatorCase  # noqa: E402

PASSWORD_LOGIN = {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": PUBLIC,
                  "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Alice-Passw0rd!"}}
WRONG_LOGIN = {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": PUBLIC,
               "AuthParameters": {"USERNAME": "alice", "PASSWORD": "wrong"}}


class FaultKindTest(EmulatorCase):
    def fault(self, kind, op="InitiateAuth", **extra):
        self.emu.control("SetFault", Operation=op, Kind=kind, **extra)

    def raw(self, body=PASSWORD_LOGIN, timeout=10):
        """(status line + headers + body bytes) of one request, read until close."""
        payload = json.dumps(body).encode()
        with socket.create_connection(("127.0.0.1", self.emu.port), timeout=timeout) as s:
            s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                      b"Content-Type: application/x-amz-json-1.1\r\n"
                      b"X-Amz-Target: " + (IDP + ".InitiateAuth").encode() + b"\r\n"
                      b"Content-Length: " + str(len(payload)).encode() + b"\r\n\r\n" + payload)
            out = b""
            while True:
                try:
                    chunk = s.recv(65536)
                except ConnectionResetError:
                    return out, "reset"
                if not chunk:
                    return out, "closed"
                out += chunk

    def test_refused_resets_without_an_answer(self):
        self.fault("refused")
        data, how = self.raw()
        self.assertEqual((data, how), (b"", "reset"))

    def test_hang_answers_nothing_until_the_client_leaves(self):
        self.fault("hang")
        start = time.monotonic()
        with self.assertRaises(socket.timeout):
            self.raw(timeout=1)
        self.assertLess(time.monotonic() - start, 3)
        # the next request is answered again
        self.assertEqual(self.emu.call(IDP + ".InitiateAuth", PASSWORD_LOGIN)[0], 200)

    def test_trickle_sends_one_byte_at_a_time(self):
        self.fault("trickle", Value="0.05")
        with socket.create_connection(("127.0.0.1", self.emu.port), timeout=5) as s:
            payload = json.dumps(PASSWORD_LOGIN).encode()
            s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: " + (IDP + ".InitiateAuth").encode()
                      + b"\r\nContent-Length: " + str(len(payload)).encode() + b"\r\n\r\n" + payload)
            head = b""
            while b"\r\n\r\n" not in head:
                head += s.recv(1)
            start = time.monotonic()
            body = s.recv(65536) + s.recv(65536)
            self.assertLessEqual(len(body), 2, "one byte per interval")
            self.assertGreater(time.monotonic() - start, 0.03)
        self.assertIn(b"200 OK", head)

    def test_reset_mid_body(self):
        self.fault("reset_mid_body")
        data, how = self.raw()
        head, body = data.split(b"\r\n\r\n", 1)
        length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0]
                     .split(b":")[1])
        self.assertEqual(how, "reset")
        self.assertLess(len(body), length)
        self.assertGreater(len(body), 0)

    def test_http429(self):
        self.fault("http429")
        status, body, _ = self.emu.call(IDP + ".InitiateAuth", PASSWORD_LOGIN)
        self.assertEqual((status, body["__type"]), (429, "TooManyRequestsException"))

    def test_wrong_type_is_the_real_answer_as_html(self):
        self.fault("wrong_type")
        status, body, headers = self.emu.call(IDP + ".InitiateAuth", PASSWORD_LOGIN)
        self.assertEqual(status, 200)
        self.assertIn("AccessToken", body["AuthenticationResult"])
        self.assertTrue(headers["Content-Type"].startswith("text/html"))

    def test_error_200(self):
        self.fault("error_200")
        status, body, _ = self.emu.call(IDP + ".InitiateAuth", PASSWORD_LOGIN)
        self.assertEqual(status, 200)
        self.assertEqual(body["__type"], "NotAuthorizedException")
        self.assertNotIn("AuthenticationResult", body)

    def test_error_tokens_200_adds_valid_tokens_to_a_refusal(self):
        # A wrong password: the server says no, and still hands out tokens.
        self.fault("error_tokens_200")
        status, body, _ = self.emu.call(IDP + ".InitiateAuth", WRONG_LOGIN)
        self.assertEqual(status, 200)
        self.assertEqual(body["__type"], "NotAuthorizedException")
        access = body["AuthenticationResult"]["AccessToken"]
        self.assertEqual(self.emu.idp("GetUser", AccessToken=access)["Username"], "alice")

    def test_when_picks_the_request(self):
        self.fault("http500", When="REFRESH_TOKEN_AUTH")
        self.assertEqual(self.emu.call(IDP + ".InitiateAuth", PASSWORD_LOGIN)[0], 200)
        listed = self.emu.control("ListFaults")["Faults"]
        self.assertEqual(listed[0]["When"], "REFRESH_TOKEN_AUTH")
        refresh = self.emu.idp("InitiateAuth", **PASSWORD_LOGIN)["AuthenticationResult"]["RefreshToken"]
        status, _, _ = self.emu.call(IDP + ".InitiateAuth", {
            "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": PUBLIC,
            "AuthParameters": {"REFRESH_TOKEN": refresh}})
        self.assertEqual(status, 500)
        self.assertEqual(self.emu.control("ListFaults")["Faults"], [])

    def jwks(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.emu.port, timeout=5)
        try:
            conn.request("GET", "/%s/.well-known/jwks.json" % POOL)
            resp = conn.getresponse()
            return resp.status, resp.read(), resp.getheader("Content-Type")
        finally:
            conn.close()

    def test_jwks_faults(self):
        self.assertEqual(self.jwks()[0], 200)
        self.fault("http500", op="GetJWKS")
        self.assertEqual(self.jwks()[0], 500)
        self.fault("wrong_type", op="GetJWKS")
        status, body, ctype = self.jwks()
        self.assertEqual((status, ctype.split(";")[0]), (200, "text/html"))
        self.assertIn("keys", json.loads(body))
        self.fault("error_tokens_200", op="GetJWKS")
        doc = json.loads(self.jwks()[1])
        self.assertEqual(doc["__type"], "NotAuthorizedException")
        self.assertIn("keys", doc)
        self.fault("truncated", op="GetJWKS")
        with self.assertRaises(ValueError):
            json.loads(self.jwks()[1])
        self.assertEqual(self.jwks()[0], 200)


if __name__ == "__main__":
    unittest.main()
