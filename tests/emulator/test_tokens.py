"""RS256 tokens, the JWKS, token faults, key rotation, revocation and the
request counters, over HTTP only.

Run: python3 -m unittest discover -s tests/emulator -p 'test_*.py'
"""

import base64
import hashlib
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from rsa_keys import KeyStock  # noqa: E402
from tokens import KeyRing  # noqa: E402
from test_emulator import (EmulatorCase, POOL, PUBLIC, SECRET, SECRET_CLIENT,  # noqa: E402
                           EMAIL_POOL, EMAIL_CLIENT, IDENTITY_POOL, PROVIDER, secret_hash)

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/" + POOL
DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def parts(token):
    head, body, sig = token.split(".")
    return json.loads(unb64(head)), json.loads(unb64(body)), unb64(sig)


def rs256_valid(token, jwks):
    """Textbook PKCS#1 v1.5 check against the JWKS key the header names."""
    head, body, sig = token.split(".")
    header = json.loads(unb64(head))
    key = next((k for k in jwks["keys"] if k["kid"] == header.get("kid")), None)
    if key is None or header.get("alg") != "RS256":
        return False
    n, e = int.from_bytes(unb64(key["n"]), "big"), int.from_bytes(unb64(key["e"]), "big")
    size = (n.bit_length() + 7) // 8
    digest = DIGEST_INFO + hashlib.sha256((head + "." + body).encode()).digest()
    want = b"\x00\x01" + b"\xff" * (size - len(digest) - 3) + b"\x00" + digest
    s = unb64(sig)
    return len(s) == size and pow(int.from_bytes(s, "big"), e, n).to_bytes(size, "big") == want


def der(tag, body):
    n = len(body)
    size = bytes([n]) if n < 0x80 else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + \
        n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag]) + size + body


def jwk_pem(key):
    """PEM SubjectPublicKeyInfo of a JWK, for the openssl command."""
    ints = b"".join(der(0x02, b"\x00" + unb64(key[f])) for f in ("n", "e"))
    spki = der(0x30, der(0x30, bytes.fromhex("06092a864886f70d0101010500"))
               + der(0x03, b"\x00" + der(0x30, ints)))
    return ("-----BEGIN PUBLIC KEY-----\n" + base64.encodebytes(spki).decode()
            + "-----END PUBLIC KEY-----\n")


class TokenCase(EmulatorCase):
    def jwks(self, pool=POOL):
        conn = http.client.HTTPConnection("127.0.0.1", self.emu.port, timeout=10)
        try:
            conn.request("GET", "/%s/.well-known/jwks.json" % pool)
            resp = conn.getresponse()
            return resp.status, json.loads(resp.read() or b"{}"), resp.getheader("Content-Type")
        finally:
            conn.close()

    def served(self):
        status, keys, _ = self.jwks()
        self.assertEqual(status, 200)
        return keys

    def fault(self, kind, **extra):
        self.emu.control("SetFault", Kind=kind, **extra)


class JwksTest(TokenCase):
    def test_jwks_shape(self):
        status, keys, ctype = self.jwks()
        self.assertEqual(status, 200)
        self.assertEqual(ctype, "application/json")
        self.assertEqual(len(keys["keys"]), 2)      # ID-token key and access-token key
        for key in keys["keys"]:
            self.assertEqual(set(key), {"alg", "e", "kid", "kty", "n", "use"})
            self.assertEqual((key["alg"], key["kty"], key["use"]), ("RS256", "RSA", "sig"))
            self.assertEqual(key["e"], "AQAB")
            self.assertEqual(len(unb64(key["n"])), 256)
        self.assertNotEqual(keys["keys"][0]["kid"], keys["keys"][1]["kid"])
        self.assertEqual(self.jwks(EMAIL_POOL)[0], 200)
        self.assertEqual(self.jwks("us-east-1_NoSuchPool")[0], 404)

    def test_tokens_verify_with_openssl(self):
        res = self.tokens()
        keys = self.served()
        for token, use in ((res["IdToken"], "id"), (res["AccessToken"], "access")):
            header, claims, sig = parts(token)
            self.assertEqual(header, {"kid": header["kid"], "alg": "RS256"})
            self.assertEqual(claims["token_use"], use)
            key = next(k for k in keys["keys"] if k["kid"] == header["kid"])
            with tempfile.TemporaryDirectory() as tmp:
                pem, sig_file, msg = (os.path.join(tmp, n) for n in ("k.pem", "sig", "msg"))
                with open(pem, "w") as fh:
                    fh.write(jwk_pem(key))
                with open(sig_file, "wb") as fh:
                    fh.write(sig)
                with open(msg, "wb") as fh:
                    fh.write(token.rsplit(".", 1)[0].encode())
                ok = subprocess.run(["openssl", "dgst", "-sha256", "-verify", pem,
                                     "-signature", sig_file, msg], capture_output=True)
                self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
                with open(msg, "ab") as fh:
                    fh.write(b"x")
                bad = subprocess.run(["openssl", "dgst", "-sha256", "-verify", pem,
                                      "-signature", sig_file, msg], capture_output=True)
                self.assertNotEqual(bad.returncode, 0)
        id_kid = parts(res["IdToken"])[0]["kid"]
        self.assertNotEqual(id_kid, parts(res["AccessToken"])[0]["kid"])

    def test_id_and_access_claims(self):
        r = self.srp_login("alice", "Alice-Passw0rd!")["AuthenticationResult"]
        idc, acc = parts(r["IdToken"])[1], parts(r["AccessToken"])[1]
        for name in ("sub", "email", "auth_time", "iat", "exp", "origin_jti", "jti",
                     "event_id", "cognito:groups"):
            self.assertIn(name, idc)
        self.assertEqual(idc["iss"], ISSUER)
        self.assertEqual(idc["aud"], PUBLIC)
        self.assertEqual(idc["token_use"], "id")
        self.assertEqual(idc["cognito:username"], "alice")
        self.assertEqual(idc["email"], "alice@example.com")
        self.assertEqual(idc["cognito:groups"], ["users"])
        self.assertEqual(idc["exp"] - idc["iat"], 3600)
        self.assertNotIn("client_id", idc)
        self.assertEqual(acc["iss"], ISSUER)
        self.assertEqual((acc["client_id"], acc["token_use"], acc["username"]),
                         (PUBLIC, "access", "alice"))
        self.assertEqual(acc["scope"], "aws.cognito.signin.user.admin")
        self.assertEqual(acc["cognito:groups"], ["users"])
        self.assertNotIn("aud", acc)
        self.assertEqual(acc["origin_jti"], idc["origin_jti"])
        self.assertNotEqual(acc["jti"], idc["jti"])
        # email only when set; groups only when the user is in one
        self.emu.idp("AdminCreateUser", UserPoolId=POOL, Username="plain",
                     UserAttributes=[{"Name": "name", "Value": "Plain"}])
        self.emu.idp("AdminSetUserPassword", UserPoolId=POOL, Username="plain",
                     Password="Plain-Passw0rd!", Permanent=True)
        plain = parts(self.tokens("plain", "Plain-Passw0rd!")["IdToken"])[1]
        self.assertNotIn("email", plain)
        self.assertNotIn("cognito:groups", plain)
        self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="alice",
                     GroupName="users")
        r = self.tokens()
        self.assertNotIn("cognito:groups", parts(r["IdToken"])[1])
        self.assertNotIn("cognito:groups", parts(r["AccessToken"])[1])
        self.emu.idp("AdminUpdateUserAttributes", UserPoolId=POOL, Username="alice",
                     UserAttributes=[{"Name": "email", "Value": "a2@example.com"}])
        self.assertEqual(parts(self.tokens()["IdToken"])[1]["email"], "a2@example.com")
        carol = self.srp_login("carol@example.com", "Carol-Passw0rd!", client=EMAIL_CLIENT,
                               pool=EMAIL_POOL)["AuthenticationResult"]
        self.assertEqual(parts(carol["IdToken"])[1]["iss"],
                         "https://cognito-idp.us-east-1.amazonaws.com/" + EMAIL_POOL)

    def test_refresh_keeps_origin_and_auth_time(self):
        first = self.tokens()
        r = self.emu.idp("InitiateAuth", AuthFlow="REFRESH_TOKEN_AUTH", ClientId=PUBLIC,
                         AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]})
        new = parts(r["AuthenticationResult"]["IdToken"])[1]
        old = parts(first["IdToken"])[1]
        self.assertEqual(new["origin_jti"], old["origin_jti"])
        self.assertEqual(new["auth_time"], old["auth_time"])
        self.assertNotEqual(new["jti"], old["jti"])
        self.assertTrue(rs256_valid(r["AuthenticationResult"]["IdToken"], self.served()))

    def test_access_token_calls_work_with_rs256(self):
        access = self.tokens()["AccessToken"]
        self.assertEqual(self.emu.idp("GetUser", AccessToken=access)["Username"], "alice")
        # a re-signed access token (here: flipped byte) is refused
        head, body, sig = access.split(".")
        forged = head + "." + body + "." + sig[:-3] + ("AAA" if sig[-3:] != "AAA" else "BBB")
        self.assertError("NotAuthorizedException", self.emu.idp, "GetUser", AccessToken=forged,
                         message="Invalid Access Token")


class TokenFaultTest(TokenCase):
    def id_token(self, username="alice", password="Alice-Passw0rd!"):
        return self.tokens(username, password)["IdToken"]

    def test_each_fault_then_good_again(self):
        jwks = self.served()
        served_kids = {k["kid"] for k in jwks["keys"]}
        now = time.time()
        for kind in ("token_other_key", "token_other_key_known_kid", "token_alg_none",
                     "token_alg_hs256", "token_bad_signature", "token_wrong_iss",
                     "token_wrong_aud", "token_expired", "token_use_access"):
            with self.subTest(kind=kind):
                self.fault(kind)
                bad = self.id_token()
                header, claims, sig = parts(bad)
                good = self.id_token()
                self.assertTrue(rs256_valid(good, jwks))
                self.assertEqual(self.emu.control("ListFaults")["Faults"], [])
                if kind == "token_other_key":
                    self.assertNotIn(header["kid"], served_kids)
                    self.assertFalse(rs256_valid(bad, jwks))
                elif kind in ("token_other_key_known_kid", "token_bad_signature"):
                    self.assertIn(header["kid"], served_kids)
                    self.assertEqual(header["alg"], "RS256")
                    self.assertEqual(len(sig), 256)
                    self.assertFalse(rs256_valid(bad, jwks))
                elif kind == "token_alg_none":
                    self.assertEqual(header["alg"], "none")
                    self.assertTrue(bad.endswith("."))
                elif kind == "token_alg_hs256":
                    self.assertEqual(header["alg"], "HS256")
                    self.assertEqual(len(sig), 32)
                else:
                    self.assertTrue(rs256_valid(bad, jwks))   # well signed, wrong claims
                    if kind == "token_wrong_iss":
                        self.assertEqual(claims["iss"],
                                         "https://cognito-idp.us-east-1.amazonaws.com/"
                                         "us-east-1_0therPool")
                    elif kind == "token_wrong_aud":
                        self.assertNotEqual(claims["aud"], PUBLIC)
                    elif kind == "token_expired":
                        self.assertLess(claims["exp"], now - 3000)
                        self.assertEqual(claims["exp"] - claims["iat"], 3600)
                    else:
                        self.assertEqual(claims["token_use"], "access")

    def test_fault_values_count_and_token_choice(self):
        self.fault("token_wrong_iss", Value="https://evil.example.com/us-east-1_Emul4tor",
                   Count=2)
        self.assertEqual(self.emu.control("ListFaults")["Faults"][0]["Token"], "IdToken")
        for _ in range(2):
            r = self.tokens()
            self.assertEqual(parts(r["IdToken"])[1]["iss"],
                             "https://evil.example.com/us-east-1_Emul4tor")
            self.assertEqual(parts(r["AccessToken"])[1]["iss"], ISSUER)
        self.assertEqual(parts(self.id_token())[1]["iss"], ISSUER)
        self.fault("token_wrong_aud", Token="AccessToken", Value="someoneelse")
        r = self.tokens()
        self.assertEqual(parts(r["AccessToken"])[1]["client_id"], "someoneelse")
        self.assertEqual(parts(r["IdToken"])[1]["aud"], PUBLIC)
        self.fault("token_expired", Token="Both", Value=100)
        r = self.tokens()
        for tok in (r["IdToken"], r["AccessToken"]):
            self.assertLess(parts(tok)[1]["exp"], time.time() - 90)
        self.assertError("NotAuthorizedException", self.emu.idp, "GetUser",
                         AccessToken=r["AccessToken"], message="Access Token has expired")
        self.assertError("InvalidParameterException", self.emu.control, "SetFault",
                         Kind="token_expired", Token="Neither")

    def test_fault_waits_for_tokens_and_operation(self):
        # an SRP start gives no tokens: the fault waits for the answer that does
        self.fault("token_alg_none")
        r = self.srp_login("alice", "Alice-Passw0rd!")["AuthenticationResult"]
        self.assertEqual(parts(r["IdToken"])[0]["alg"], "none")
        # bound to one operation: refresh (InitiateAuth) is spared
        first = self.tokens()
        self.fault("token_bad_signature", Operation="RespondToAuthChallenge")
        r = self.emu.idp("InitiateAuth", AuthFlow="REFRESH_TOKEN_AUTH", ClientId=PUBLIC,
                         AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]})
        self.assertTrue(rs256_valid(r["AuthenticationResult"]["IdToken"], self.served()))
        r = self.srp_login("alice", "Alice-Passw0rd!")["AuthenticationResult"]
        self.assertFalse(rs256_valid(r["IdToken"], self.served()))

    def test_identity_pool_refuses_bad_tokens(self):
        for kind, message in (
                ("token_other_key", "Invalid login token. Couldn't verify signed token."),
                ("token_alg_none", "Invalid login token. Couldn't verify signed token."),
                ("token_bad_signature", "Invalid login token. Couldn't verify signed token."),
                ("token_wrong_iss", "Invalid login token. Issuer doesn't match providerName")):
            self.fault(kind)
            token = self.id_token()
            self.assertError("NotAuthorizedException", self.emu.identity, "GetId",
                             IdentityPoolId=IDENTITY_POOL, Logins={PROVIDER: token},
                             message=message)
        self.emu.identity("GetId", IdentityPoolId=IDENTITY_POOL,
                          Logins={PROVIDER: self.id_token()})


class RotationTest(TokenCase):
    def test_rotate_serves_new_kid(self):
        before = self.served()
        old_token = self.tokens()
        r = self.emu.control("RotateSigningKey")
        after = self.served()
        self.assertEqual(after, r["Jwks"])
        kids = {k["kid"] for k in after["keys"]}
        self.assertEqual(len(kids), 2)
        self.assertFalse(kids & {k["kid"] for k in before["keys"]})
        new = self.tokens()
        self.assertEqual(parts(new["IdToken"])[0]["kid"], r["IdTokenKid"])
        self.assertTrue(rs256_valid(new["IdToken"], after))
        self.assertFalse(rs256_valid(old_token["IdToken"], after))
        # the emulator still honours what it signed before
        self.assertEqual(self.emu.idp("GetUser", AccessToken=old_token["AccessToken"])
                         ["Username"], "alice")
        self.emu.control("RotateSigningKey", KeepOld=True)
        self.assertEqual(len(self.served()["keys"]), 4)
        self.emu.control("Reset")
        self.assertEqual(self.served(), before)
        self.assertEqual(self.emu.control("SigningKeys")["Jwks"], before)


class CounterTest(TokenCase):
    def test_counts_requests_and_jwks_fetches(self):
        self.emu.control("ResetStats")
        stats = self.emu.control("Stats")
        self.assertEqual((stats["Requests"], stats["HttpRequests"], stats["JwksFetches"]),
                         (0, 0, 0))
        self.jwks()
        self.jwks()
        self.tokens()
        self.emu.control("ListFaults")            # control calls are not counted
        stats = self.emu.control("Stats")
        self.assertEqual(stats["JwksFetches"], 2)
        self.assertEqual(stats["Requests"], 1)
        self.assertEqual(stats["HttpRequests"], 3)
        self.assertEqual(stats["ByOperation"], {"InitiateAuth": 1})
        self.emu.control("Reset")
        self.assertEqual(self.emu.control("Stats")["HttpRequests"], 0)


class RevocationTest(TokenCase):
    def refresh(self, token, client=PUBLIC, **extra):
        params = {"REFRESH_TOKEN": token}
        params.update(extra)
        return self.emu.idp("InitiateAuth", AuthFlow="REFRESH_TOKEN_AUTH", ClientId=client,
                            AuthParameters=params)

    def test_revoke_token(self):
        one, two = self.tokens(), self.tokens()
        self.assertEqual(self.emu.idp("RevokeToken", Token=one["RefreshToken"],
                                      ClientId=PUBLIC), {})
        self.assertError("NotAuthorizedException", self.refresh, one["RefreshToken"],
                         message="Refresh Token has been revoked")
        self.assertError("NotAuthorizedException", self.emu.idp, "GetUser",
                         AccessToken=one["AccessToken"], message="Access Token has been revoked")
        # the other sign-in lives on
        self.assertIn("IdToken", self.refresh(two["RefreshToken"])["AuthenticationResult"])
        self.emu.idp("GetUser", AccessToken=two["AccessToken"])
        # again, or unknown: no error (OAuth revocation semantics)
        self.emu.idp("RevokeToken", Token=one["RefreshToken"], ClientId=PUBLIC)
        self.emu.idp("RevokeToken", Token="a.b.c.d.e", ClientId=PUBLIC)
        self.assertError("UnsupportedTokenTypeException", self.emu.idp, "RevokeToken",
                         Token=two["AccessToken"], ClientId=PUBLIC)

    def test_revoke_token_client_secret(self):
        res = self.pw_login("alice", "Alice-Passw0rd!", SECRET_CLIENT,
                            secret=SECRET)["AuthenticationResult"]
        self.assertError("UnauthorizedException", self.emu.idp, "RevokeToken",
                         Token=res["RefreshToken"], ClientId=SECRET_CLIENT)
        self.assertError("UnauthorizedException", self.emu.idp, "RevokeToken",
                         Token=res["RefreshToken"], ClientId=SECRET_CLIENT,
                         ClientSecret="wrong-secret-wrong-secret-wrong")
        self.assertError("UnauthorizedException", self.emu.idp, "RevokeToken",
                         Token=res["RefreshToken"], ClientId=PUBLIC)
        self.emu.idp("RevokeToken", Token=res["RefreshToken"], ClientId=SECRET_CLIENT,
                     ClientSecret=SECRET)
        self.assertError("NotAuthorizedException", self.refresh, res["RefreshToken"],
                         SECRET_CLIENT, SECRET_HASH=secret_hash(SECRET, "alice", SECRET_CLIENT),
                         message="Refresh Token has been revoked")

    def test_admin_global_sign_out(self):
        one, two = self.tokens(), self.tokens()
        bob = self.tokens("bob", "Bob-Passw0rd!")
        self.assertEqual(self.emu.idp("AdminUserGlobalSignOut", UserPoolId=POOL,
                                      Username="ALICE"), {})
        for res in (one, two):
            self.assertError("NotAuthorizedException", self.refresh, res["RefreshToken"],
                             message="Refresh Token has been revoked")
            self.assertError("NotAuthorizedException", self.emu.idp, "GetUser",
                             AccessToken=res["AccessToken"],
                             message="Access Token has been revoked")
        self.refresh(bob["RefreshToken"])
        # a new sign-in after the sign-out works
        self.refresh(self.tokens()["RefreshToken"])
        self.assertError("UserNotFoundException", self.emu.idp, "AdminUserGlobalSignOut",
                         UserPoolId=POOL, Username="nobody")

    def test_global_sign_out(self):
        one, two = self.tokens(), self.tokens()
        self.assertEqual(self.emu.idp("GlobalSignOut", AccessToken=two["AccessToken"]), {})
        for res in (one, two):
            self.assertError("NotAuthorizedException", self.refresh, res["RefreshToken"],
                             message="Refresh Token has been revoked")
        self.assertError("NotAuthorizedException", self.emu.idp, "GlobalSignOut",
                         AccessToken=two["AccessToken"], message="Access Token has been revoked")

    def test_disabled_user_cannot_refresh(self):
        res = self.tokens()
        self.emu.idp("AdminDisableUser", UserPoolId=POOL, Username="alice")
        self.assertError("NotAuthorizedException", self.refresh, res["RefreshToken"],
                         message="User is disabled.")
        self.emu.idp("AdminEnableUser", UserPoolId=POOL, Username="alice")
        self.refresh(res["RefreshToken"])


class GroupApiTest(TokenCase):
    def test_create_group_and_list_pages(self):
        r = self.emu.idp("CreateGroup", UserPoolId=POOL, GroupName="ops", Precedence=5,
                         Description="operators")
        self.assertEqual(r["Group"]["GroupName"], "ops")
        self.assertEqual(r["Group"]["Precedence"], 5)
        self.assertNotIn("RoleArn", r["Group"])
        self.assertIsInstance(r["Group"]["CreationDate"], float)
        self.assertError("GroupExistsException", self.emu.idp, "CreateGroup", UserPoolId=POOL,
                         GroupName="ops")
        for g in ("ops", "admins"):
            self.emu.idp("AdminAddUserToGroup", UserPoolId=POOL, Username="alice", GroupName=g)
        names, token, pages = [], None, 0
        while True:
            body = {"UserPoolId": POOL, "Username": "alice", "Limit": 2}
            if token:
                body["NextToken"] = token
            r = self.emu.idp("AdminListGroupsForUser", **body)
            pages += 1
            names += [g["GroupName"] for g in r["Groups"]]
            token = r.get("NextToken")
            if not token:
                break
        self.assertEqual(pages, 2)
        self.assertEqual(names, ["admins", "ops", "users"])   # by precedence, then name
        self.assertEqual(parts(self.tokens()["IdToken"])[1]["cognito:groups"],
                         ["admins", "ops", "users"])
        self.assertError("InvalidParameterException", self.emu.idp, "AdminListGroupsForUser",
                         UserPoolId=POOL, Username="alice", Limit=61)
        self.assertError("InvalidParameterException", self.emu.idp, "AdminListGroupsForUser",
                         UserPoolId=POOL, Username="alice", NextToken="bogus!")



class KeyStockTest(unittest.TestCase):
    """The keys of a run (PC_EMULATOR_KEYS): each made once, then every
    emulator takes the same ones in the same order, never one twice."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="pc-test-keys-")
        cls.addClassCleanup(shutil.rmtree, cls.dir, True)

    def test_one_directory_serves_every_emulator(self):
        first, second = KeyStock(self.dir), KeyStock(self.dir)
        kids = [first.take().kid for _ in range(3)]
        self.assertEqual(len(set(kids)), 3)
        self.assertEqual([second.take().kid for _ in range(3)], kids)
        self.assertTrue({"key-000.der", "key-001.der", "key-002.der"} <= set(os.listdir(self.dir)))

    def test_a_rotation_brings_keys_the_ring_never_had(self):
        ring = KeyRing(KeyStock(self.dir))
        seen = {ring.id_key.kid, ring.access_key.kid, ring.other().kid}
        ring.rotate()
        self.assertFalse({ring.id_key.kid, ring.access_key.kid} & seen)
        ring.reset()
        ring.rotate(keep_old=True)
        self.assertEqual(len({k["kid"] for k in ring.jwks()["keys"]}), 4)


if __name__ == "__main__":
    unittest.main()
