"""Identity pools beyond two roles: cognito:preferred_role by group
precedence, token-based role mapping in GetCredentialsForIdentity,
GetOpenIdToken and STS AssumeRoleWithWebIdentity (the basic flow)."""

import http.client
import os
import re
import sys
import unittest
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from control import EmulatorError  # noqa: E402
from test_emulator import (AUTH_ROLE, IDENTITY_POOL, POOL, PROVIDER, PUBLIC,  # noqa: E402
                           EmulatorCase, jwt_claims)

ACCOUNT = "arn:aws:iam::123456789012:role/"
DEV, OPS = ACCOUNT + "DevRole", ACCOUNT + "OpsRole"
MAPPING = "%s:%s" % (PROVIDER, PUBLIC)


class RolesStsTest(EmulatorCase):
    def groups(self, dev, ops):
        for name, role, prec in (("dev", DEV, dev), ("ops", OPS, ops)):
            self.emu.idp("CreateGroup", UserPoolId=POOL, GroupName=name, RoleArn=role,
                         Precedence=prec)
            self.emu.idp("AdminAddUserToGroup", UserPoolId=POOL, Username="alice",
                         GroupName=name)

    def identity(self):
        logins = {PROVIDER: self.tokens()["IdToken"]}
        ident = self.emu.identity("GetId", IdentityPoolId=IDENTITY_POOL,
                                  Logins=logins)["IdentityId"]
        return ident, logins

    def creds(self, **extra):
        ident, logins = self.identity()
        self.emu.identity("GetCredentialsForIdentity", IdentityId=ident, Logins=logins,
                          **extra)
        return self.emu.control("IssuedCredentials")["Credentials"][-1]["RoleArn"]

    def token_mapping(self, resolution="Deny"):
        self.emu.control("SetIdentityPoolRoles", IdentityPoolId=IDENTITY_POOL,
                         RoleMappings={MAPPING: {"Type": "Token",
                                                 "AmbiguousRoleResolution": resolution}})

    def test_preferred_role_by_precedence(self):
        self.groups(dev=5, ops=3)
        idc = jwt_claims(self.tokens()["IdToken"])
        self.assertEqual(sorted(idc["cognito:roles"]), [DEV, OPS])
        self.assertEqual(idc["cognito:preferred_role"], OPS)

    def test_no_preferred_role_on_a_tie(self):
        self.groups(dev=5, ops=5)
        idc = jwt_claims(self.tokens()["IdToken"])
        self.assertEqual(sorted(idc["cognito:roles"]), [DEV, OPS])
        self.assertNotIn("cognito:preferred_role", idc)

    def test_token_mapping(self):
        self.groups(dev=5, ops=5)
        self.token_mapping("Deny")
        self.assertEqual(self.creds(CustomRoleArn=DEV), DEV)
        with self.assertRaises(EmulatorError) as cm:
            self.creds(CustomRoleArn=AUTH_ROLE)
        self.assertEqual(cm.exception.type, "NotAuthorizedException")
        with self.assertRaises(EmulatorError) as cm:
            self.creds()
        self.assertEqual((cm.exception.type, cm.exception.message),
                         ("NotAuthorizedException", "The ambiguous role mapping rules for: "
                          "%s denied this request." % PROVIDER))
        self.token_mapping("AuthenticatedRole")
        self.assertEqual(self.creds(), AUTH_ROLE)

    def test_token_mapping_takes_the_preferred_role(self):
        self.groups(dev=1, ops=3)
        self.token_mapping("Deny")
        self.assertEqual(self.creds(), DEV)

    def test_get_open_id_token(self):
        ident, logins = self.identity()
        with self.assertRaises(EmulatorError) as cm:
            self.emu.identity("GetOpenIdToken", IdentityId=ident, Logins=logins)
        self.assertEqual((cm.exception.type, cm.exception.message),
                         ("InvalidParameterException",
                          "Basic (classic) flow is not enabled, please use enhanced flow."))
        self.emu.control("SetIdentityPoolRoles", IdentityPoolId=IDENTITY_POOL,
                         AllowClassicFlow=True)
        r = self.emu.identity("GetOpenIdToken", IdentityId=ident, Logins=logins)
        self.assertEqual(r["IdentityId"], ident)
        c = jwt_claims(r["Token"])
        self.assertEqual((c["iss"], c["aud"], c["sub"]),
                         ("https://cognito-identity.amazonaws.com", IDENTITY_POOL, ident))
        self.assertIn("authenticated", c["amr"])
        self.assertEqual(c["exp"] - c["iat"], 600)
        self.token_mapping()
        with self.assertRaises(EmulatorError) as cm:
            self.emu.identity("GetOpenIdToken", IdentityId=ident, Logins=logins)
        self.assertIn("not supported with RoleMappings", cm.exception.message)

    # ---- STS ----

    def open_id_token(self):
        self.emu.control("SetIdentityPoolRoles", IdentityPoolId=IDENTITY_POOL,
                         AllowClassicFlow=True, TrustedRoleArns=[DEV])
        ident, logins = self.identity()
        return self.emu.identity("GetOpenIdToken", IdentityId=ident, Logins=logins)["Token"]

    def sts(self, **params):
        form = dict({"Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15",
                     "RoleSessionName": "pam_cognito-alice"}, **params)
        conn = http.client.HTTPConnection("127.0.0.1", self.emu.port, timeout=10)
        try:
            conn.request("POST", "/", body=urlencode(form),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
            resp = conn.getresponse()
            return resp.status, resp.read().decode(), resp.getheader("Content-Type")
        finally:
            conn.close()

    def test_sts_assumes_a_trusted_role(self):
        status, xml, ctype = self.sts(RoleArn=DEV, WebIdentityToken=self.open_id_token())
        self.assertEqual((status, ctype), (200, "text/xml"))
        for field in ("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"):
            self.assertRegex(xml, "<Credentials>(.|\n)*<%s>[^<]+</%s>" % (field, field))
        issued = self.emu.control("IssuedCredentials")["Credentials"][-1]
        self.assertEqual((issued["RoleArn"], issued["Flow"]), (DEV, "basic"))
        self.assertIn("<AccessKeyId>%s</AccessKeyId>" % issued["Credentials"]["AccessKeyId"],
                      xml)

    def code(self, xml):
        return re.search(r"<Code>([^<]*)</Code>", xml).group(1)

    def test_sts_refusals(self):
        token = self.open_id_token()
        status, xml, _ = self.sts(RoleArn=OPS, WebIdentityToken=token)
        self.assertEqual((status, self.code(xml)), (403, "AccessDenied"))
        bad = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
        status, xml, _ = self.sts(RoleArn=DEV, WebIdentityToken=bad)
        self.assertEqual((status, self.code(xml)), (400, "InvalidIdentityToken"))
        id_token = self.tokens()["IdToken"]  # a user pool token: wrong issuer
        status, xml, _ = self.sts(RoleArn=DEV, WebIdentityToken=id_token)
        self.assertEqual((status, self.code(xml)), (400, "InvalidIdentityToken"))
        status, xml, _ = self.sts(RoleArn=DEV, WebIdentityToken=token,
                                  RoleSessionName="has space")
        self.assertEqual((status, self.code(xml)), (400, "ValidationError"))
        status, xml, _ = self.sts(RoleArn=DEV, WebIdentityToken=token, Action="AssumeRole")
        self.assertEqual((status, self.code(xml)), (400, "InvalidAction"))
        self.emu.control("AdvanceClock", Seconds=601)
        status, xml, _ = self.sts(RoleArn=DEV, WebIdentityToken=token)
        self.assertEqual((status, self.code(xml)), (400, "ExpiredTokenException"))

    def test_error_fault_answers_as_sts(self):
        # The error fault on STS answers XML with the code's status, not a
        # Cognito JSON error; only STS's own codes for the operation.
        self.emu.control("SetFault", Operation="AssumeRoleWithWebIdentity", Kind="error",
                         ErrorType="IDPRejectedClaim", Message="claim refused")
        status, xml, ctype = self.sts(RoleArn=DEV, WebIdentityToken="x.y.z")
        self.assertEqual((status, ctype, self.code(xml)), (403, "text/xml", "IDPRejectedClaim"))
        self.assertIn("<Message>claim refused</Message>", xml)
        self.emu.control("SetFault", Operation="AssumeRoleWithWebIdentity", Kind="error",
                         ErrorType="MalformedPolicyDocument", Message="bad policy")
        status, xml, _ = self.sts(RoleArn=DEV, WebIdentityToken="x.y.z")
        self.assertEqual((status, self.code(xml)), (400, "MalformedPolicyDocument"))
        with self.assertRaises(EmulatorError):
            self.emu.control("SetFault", Operation="AssumeRoleWithWebIdentity", Kind="error",
                             ErrorType="NotAuthorizedException")


if __name__ == "__main__":
    unittest.main()
