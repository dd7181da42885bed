"""Identity pools beyond two roles (issue 24 item 8), through a real libpam
stack against the emulator: token-based role mapping (the ID token's
cognito:roles and cognito:preferred_role, set by the user pool from the
user's groups), role_arn checked against cognito:roles before any call, the
identity pool's ambiguous-role refusal explained, and the basic flow
(GetId, GetOpenIdToken, STS AssumeRoleWithWebIdentity) with
identity_flow = "basic". Runs as root (the module chowns the cache)."""
import json
import os
import subprocess
import time
import unittest

from pamrun import BUILD, CacheTest, IDENTITY_POOL, POOL, PUBLIC_CLIENT, Stack, base_config

# tests/pyrunner.py --jobs: adds and removes local accounts.
PYRUNNER_ALONE = True

ACCOUNT = "arn:aws:iam::123456789012:role/"
AUTH_ROLE = ACCOUNT + "CognitoAuthRole"
ADMIN_ROLE = ACCOUNT + "CognitoAdminRole"
DEV_ROLE = ACCOUNT + "DevRole"
OPS_ROLE = ACCOUNT + "OpsRole"
MAPPING_KEY = "cognito-idp.us-east-1.amazonaws.com/%s:%s" % (POOL, PUBLIC_CLIENT)
FULL = ("auth", "setcred", "open")
PASSWORD = "Alice-Passw0rd!"
NOT_MINE = "the AWS role this computer asks for is not one of your roles"
AMBIGUOUS = "you have several AWS roles and none is preferred"
NO_ROLE = "no AWS role to ask for"


def iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))


class RolesTest(CacheTest):
    def setUp(self):
        super().setUp()
        # alice in two groups with roles; equal precedence: no preferred role
        self.groups(dev=5, ops=5)

    def groups(self, dev, ops):
        for name, role, prec in (("dev", DEV_ROLE, dev), ("ops", OPS_ROLE, ops)):
            self.emu.idp("CreateGroup", UserPoolId=POOL, GroupName=name, RoleArn=role,
                         Precedence=prec)
            self.emu.idp("AdminAddUserToGroup", UserPoolId=POOL, Username="alice",
                         GroupName=name)

    def mapping(self, resolution="Deny"):
        self.emu.control("SetIdentityPoolRoles", IdentityPoolId=IDENTITY_POOL, RoleMappings={
            MAPPING_KEY: {"Type": "Token", "AmbiguousRoleResolution": resolution}},
            TrustedRoleArns=[AUTH_ROLE, DEV_ROLE, OPS_ROLE])

    def login(self, **over):
        over.setdefault("identity_pool_id", IDENTITY_POOL)
        over.setdefault("cache_dir", self.cache)
        s = Stack(base_config(self.emu, **over), args="debug")
        self.stacks.append(s)
        self.emu.control("ResetStats")
        return s.run("alice", [PASSWORD], stages=FULL)

    def ops(self):
        return self.emu.control("Stats")["ByOperation"]

    def issued(self):
        return self.emu.control("IssuedCredentials")["Credentials"]

    def assert_env_is(self, r, issued):
        c = issued["Credentials"]
        self.assertEqual(r.env.get("AWS_ACCESS_KEY_ID"), c["AccessKeyId"])
        self.assertEqual(r.env.get("AWS_SECRET_ACCESS_KEY"), c["SecretKey"])
        self.assertEqual(r.env.get("AWS_SESSION_TOKEN"), c["SessionToken"])
        exp = c["Expiration"]
        self.assertEqual(r.env.get("AWS_CREDENTIAL_EXPIRATION"),
                         exp if isinstance(exp, str) else iso(exp))
        with open(os.path.join(self.cache, "alice", "credentials.json")) as f:
            doc = json.load(f)
        self.assertEqual((doc["AccessKeyId"], doc["SessionToken"]),
                         (c["AccessKeyId"], c["SessionToken"]))

    def assert_no_aws(self, r):
        self.assertEqual([k for k in r.env if k.startswith("AWS_")], [], r.env)

    # ---- enhanced flow, token-based role mapping ----

    def test_role_arn_among_the_users_roles(self):
        self.mapping()
        r = self.login(role_arn=OPS_ROLE)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r.stderr)
        issued = self.issued()
        self.assertEqual([c["RoleArn"] for c in issued], [OPS_ROLE])
        self.assert_env_is(r, issued[0])

    def test_role_arn_not_among_the_users_roles_is_refused_before_the_call(self):
        self.mapping()
        r = self.login(role_arn=ADMIN_ROLE)
        # no credentials_required: the login stands, without AWS credentials
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r.stderr)
        self.assert_no_aws(r)
        self.assertTrue(any(NOT_MINE in m for m in r.infos), r.infos)
        self.assertTrue(any("AWS role: role_arn %s is not one of the user's roles" % ADMIN_ROLE
                            in l and DEV_ROLE in l and OPS_ROLE in l for l in r.syslog),
                        r.syslog)
        self.assertNotIn("GetCredentialsForIdentity", self.ops())
        self.assertEqual(self.issued(), [])
        # credentials_required: the login is refused, and the person told why
        r = self.login(role_arn=ADMIN_ROLE, credentials_required=True)
        self.assertEqual(r.codes(), ["PAM_AUTHINFO_UNAVAIL"], r.stderr)
        self.assertTrue(any(NOT_MINE in m for m in r.errors), (r.errors, r.infos))
        self.assertNotIn("GetCredentialsForIdentity", self.ops())

    def test_preferred_role_when_role_arn_is_unset(self):
        self.emu.control("Reset")
        self.groups(dev=5, ops=3)  # ops has the best precedence
        self.mapping()
        r = self.login()
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r.stderr)
        issued = self.issued()
        self.assertEqual([c["RoleArn"] for c in issued], [OPS_ROLE])
        self.assert_env_is(r, issued[0])

    def test_ambiguous_roles_denied_and_explained(self):
        self.mapping("Deny")
        r = self.login()
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r.stderr)
        self.assert_no_aws(r)
        self.assertTrue(any(AMBIGUOUS in m for m in r.infos), r.infos)
        line = [l for l in r.syslog if "no AWS credentials" in l]
        self.assertEqual(len(line), 1, r.syslog)
        self.assertIn("AmbiguousRoleResolution is Deny", line[0])
        self.assertIn("The ambiguous role mapping rules for: cognito-idp.us-east-1."
                      "amazonaws.com/%s denied this request." % POOL, line[0])
        self.assertIn("2 roles in cognito:roles", line[0])
        self.assertIn("role_arn is not set", line[0])
        # asked once: a role refusal is not a stale identity id
        self.assertEqual(self.ops().get("GetCredentialsForIdentity"), 1)
        r = self.login(credentials_required=True)
        self.assertEqual(r.codes(), ["PAM_AUTHINFO_UNAVAIL"], r.stderr)
        self.assertTrue(any(AMBIGUOUS in m for m in r.errors), r.errors)

    def test_ambiguous_roles_with_the_authenticated_role_resolution(self):
        self.mapping("AuthenticatedRole")
        r = self.login()
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r.stderr)
        self.assertEqual([c["RoleArn"] for c in self.issued()], [AUTH_ROLE])

    # ---- the basic flow ----

    def classic(self, trusted=(AUTH_ROLE, DEV_ROLE, OPS_ROLE)):
        """The basic flow allowed; no role mappings (Cognito refuses
        GetOpenIdToken with them); the roles that trust the pool."""
        self.emu.control("SetIdentityPoolRoles", IdentityPoolId=IDENTITY_POOL,
                         AllowClassicFlow=True, TrustedRoleArns=list(trusted))

    def basic(self, **over):
        over.setdefault("identity_flow", "basic")
        over.setdefault("sts_endpoint", self.emu.url)
        return self.login(**over)

    def test_basic_flow_delivers_the_assumed_roles_credentials(self):
        self.classic()
        r = self.basic(role_arn=DEV_ROLE)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r.stderr)
        issued = self.issued()
        self.assertEqual([(c["RoleArn"], c.get("Flow")) for c in issued],
                         [(DEV_ROLE, "basic")])
        self.assertEqual(issued[0]["RoleSessionName"], "pam_cognito-alice")
        self.assert_env_is(r, issued[0])
        ops = self.ops()
        self.assertEqual((ops.get("GetId"), ops.get("GetOpenIdToken"),
                          ops.get("AssumeRoleWithWebIdentity")), (1, 1, 1))
        self.assertNotIn("GetCredentialsForIdentity", ops)
        for line in r.stderr.splitlines():  # never a secret in a log, even with debug
            self.assertNotIn(issued[0]["Credentials"]["SecretKey"], line)
            self.assertNotIn(issued[0]["Credentials"]["SessionToken"][:40], line)

    def test_the_helper_renews_by_the_basic_flow(self):
        self.classic()
        r = self.basic(role_arn=DEV_ROLE)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r.stderr)
        # more validity asked for than the credentials have: a renewal
        p = subprocess.run(["runuser", "-u", "alice", "--", str(BUILD / "pam_cognito-credentials"),
                            "--cache-dir", self.cache, "--min-validity", "4000"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        issued = self.issued()
        self.assertEqual([(c["RoleArn"], c.get("Flow")) for c in issued],
                         [(DEV_ROLE, "basic")] * 2)
        doc = json.loads(p.stdout)
        self.assertEqual(doc["AccessKeyId"], issued[1]["Credentials"]["AccessKeyId"])
        self.assertEqual(doc["Expiration"], issued[1]["Credentials"]["Expiration"])

    def test_basic_flow_takes_the_preferred_role(self):
        self.emu.control("Reset")
        self.groups(dev=2, ops=7)
        self.classic()
        r = self.basic()
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r.stderr)
        self.assertEqual([c["RoleArn"] for c in self.issued()], [DEV_ROLE])

    def test_basic_flow_without_a_role_is_refused_before_any_call(self):
        self.classic()
        r = self.basic()  # two roles, none preferred, no role_arn
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r.stderr)
        self.assert_no_aws(r)
        self.assertTrue(any(NO_ROLE in m for m in r.infos), r.infos)
        self.assertTrue(any('identity_flow "basic" needs a role' in l for l in r.syslog),
                        r.syslog)
        ops = self.ops()
        self.assertNotIn("GetOpenIdToken", ops)
        self.assertNotIn("AssumeRoleWithWebIdentity", ops)

    def test_sts_refusing_a_bad_token_gives_no_credentials(self):
        self.classic()
        self.emu.control("SetFault", Operation="GetOpenIdToken", Kind="token_bad_signature",
                         Count=5)
        r = self.basic(role_arn=DEV_ROLE)
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 3, r.stderr)  # not required
        self.assert_no_aws(r)
        self.assertEqual(self.issued(), [])
        self.assertTrue(any("STS AssumeRoleWithWebIdentity refused: InvalidIdentityToken"
                            in l for l in r.syslog), r.syslog)
        self.assertFalse(os.path.exists(os.path.join(self.cache, "alice", "credentials.json")))
        # credentials_required: fail closed
        r = self.basic(role_arn=DEV_ROLE, credentials_required=True)
        self.assertEqual(r.codes(), ["PAM_AUTHINFO_UNAVAIL"], r.stderr)
        self.assert_no_aws(r)
        self.assertTrue(any("credentials_required is set: denying" in l for l in r.syslog))
        self.assertEqual(self.issued(), [])

    def test_basic_flow_refused_by_the_identity_pool(self):
        # Cognito: no basic flow unless allowed, and none with role mappings
        r = self.basic(role_arn=DEV_ROLE, credentials_required=True)
        self.assertEqual(r.codes(), ["PAM_AUTHINFO_UNAVAIL"], r.stderr)
        self.assertTrue(any("Basic (classic) flow is not enabled" in l for l in r.syslog),
                        r.syslog)
        self.classic()
        self.mapping()
        r = self.basic(role_arn=DEV_ROLE, credentials_required=True)
        self.assertEqual(r.codes(), ["PAM_AUTHINFO_UNAVAIL"], r.stderr)
        self.assertTrue(any("not supported with RoleMappings" in l for l in r.syslog),
                        r.syslog)
        self.assertNotIn("AssumeRoleWithWebIdentity", self.ops())
        self.assertEqual(self.issued(), [])

    def test_sts_refusing_an_untrusted_role(self):
        self.classic(trusted=[AUTH_ROLE])
        r = self.basic(role_arn=DEV_ROLE, credentials_required=True)
        self.assertEqual(r.codes(), ["PAM_AUTHINFO_UNAVAIL"], r.stderr)
        self.assert_no_aws(r)
        self.assertTrue(any("AccessDenied" in l and "trust policy" in l for l in r.syslog),
                        r.syslog)

    def test_sts_answering_garbage_is_malformed(self):
        self.classic()
        self.emu.control("SetFault", Operation="AssumeRoleWithWebIdentity", Kind="garbage",
                         Count=5)
        r = self.basic(role_arn=DEV_ROLE, credentials_required=True)
        self.assertEqual(r.codes(), ["PAM_AUTHINFO_UNAVAIL"], r.stderr)
        self.assert_no_aws(r)
        self.assertTrue(any("STS AssumeRoleWithWebIdentity: malformed reply" in l
                            for l in r.syslog), r.syslog)


if __name__ == "__main__":
    unittest.main()
