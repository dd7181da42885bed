"""The updated issuer (issuer-cognito-idp) and a secondary replica Region,
over HTTP only.

Run: python3 -m unittest discover -s tests/emulator -p 'test_*.py'
"""

import http.client
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from test_emulator import (EmulatorCase, IDENTITY_POOL, POOL, PROVIDER, PUBLIC,  # noqa: E402
                           jwt_claims)
from test_tokens import rs256_valid  # noqa: E402

ORIGINAL = "https://cognito-idp.us-east-1.amazonaws.com/" + POOL
UPDATED = "https://issuer-cognito-idp.us-east-1.amazonaws.com/" + POOL


class IssuerCase(EmulatorCase):
    def jwks(self, path):
        conn = http.client.HTTPConnection("127.0.0.1", self.emu.port, timeout=10)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp.status, json.loads(resp.read() or b"{}")
        finally:
            conn.close()

    def original_keys(self):
        status, keys = self.jwks("/%s/.well-known/jwks.json" % POOL)
        self.assertEqual(status, 200)
        return keys

    def updated_keys(self):
        status, keys = self.jwks("/issuer-cognito-idp/%s/.well-known/jwks.json" % POOL)
        self.assertEqual(status, 200)
        return keys

    def updated(self):
        self.emu.control("SetIssuerType", Type="UPDATED", UserPoolId=POOL)


class UpdatedIssuerTest(IssuerCase):
    def test_original_by_default(self):
        tokens = self.tokens()
        self.assertEqual(jwt_claims(tokens["IdToken"])["iss"], ORIGINAL)
        self.assertTrue(rs256_valid(tokens["IdToken"], self.original_keys()))
        self.assertFalse(rs256_valid(tokens["IdToken"], self.updated_keys()))

    def test_updated_tokens_and_their_own_keys(self):
        self.updated()
        tokens = self.tokens()
        for name in ("IdToken", "AccessToken"):
            self.assertEqual(jwt_claims(tokens[name])["iss"], UPDATED)
            self.assertTrue(rs256_valid(tokens[name], self.updated_keys()), name)
            self.assertFalse(rs256_valid(tokens[name], self.original_keys()), name)
        # the access token still works for the user's own calls
        user = self.emu.idp("GetUser", AccessToken=tokens["AccessToken"])
        self.assertEqual(user["Username"], "alice")
        self.assertEqual(self.jwks("/issuer-cognito-idp/us-east-1_NoSuchPool/"
                                   ".well-known/jwks.json")[0], 404)

    def test_fixture_sets_the_issuer(self):
        self.assertEqual(self.emu.control("SetIssuerType", Type="ORIGINAL")["Issuers"][POOL],
                         ORIGINAL)
        self.assertError("InvalidParameterException", self.emu.control, "SetIssuerType",
                         Type="NEWEST")

    def test_identity_pool_takes_the_provider_name(self):
        self.updated()
        token = self.tokens()["IdToken"]
        r = self.emu.identity("GetId", IdentityPoolId=IDENTITY_POOL, Logins={PROVIDER: token})
        creds = self.emu.identity("GetCredentialsForIdentity", IdentityId=r["IdentityId"],
                                  Logins={PROVIDER: token})
        self.assertTrue(creds["Credentials"]["AccessKeyId"].startswith("ASIA"))
        # the issuer's own host is no provider name the identity pool knows
        self.assertError("NotAuthorizedException", self.emu.identity, "GetId",
                         IdentityPoolId=IDENTITY_POOL, Logins={UPDATED[8:]: token},
                         message="Token is not from a supported provider of this identity pool.")

    def test_other_issuer_key_fault(self):
        self.updated()
        self.emu.control("SetFault", Kind="token_other_issuer_key")
        token = self.tokens()["IdToken"]
        self.assertEqual(jwt_claims(token)["iss"], UPDATED)
        self.assertTrue(rs256_valid(token, self.original_keys()))
        self.assertFalse(rs256_valid(token, self.updated_keys()))


class ReplicaTest(IssuerCase):
    def test_secondary_refuses_writes(self):
        self.emu.control("SetReplicaRole", Role="SECONDARY")
        tokens = self.tokens()       # sign-in works in a secondary Region
        for op, args in (
                ("ChangePassword", {"AccessToken": tokens["AccessToken"],
                                    "PreviousPassword": "Alice-Passw0rd!",
                                    "ProposedPassword": "Alice-Passw0rd!2"}),
                ("ForgotPassword", {"ClientId": PUBLIC, "Username": "alice"}),
                ("AssociateSoftwareToken", {"AccessToken": tokens["AccessToken"]})):
            self.assertError("OperationNotEnabledException", self.emu.idp, op, **args)
        self.emu.idp("GetUser", AccessToken=tokens["AccessToken"])
        self.emu.control("SetReplicaRole", Role="PRIMARY")
        self.emu.idp("ForgotPassword", ClientId=PUBLIC, Username="alice")

    def test_reset_is_primary(self):
        self.emu.control("SetReplicaRole", Role="SECONDARY")
        self.emu.control("Reset")
        self.emu.idp("ForgotPassword", ClientId=PUBLIC, Username="alice")
        self.assertError("InvalidParameterException", self.emu.control, "SetReplicaRole",
                         Role="TERTIARY")


if __name__ == "__main__":
    unittest.main()
