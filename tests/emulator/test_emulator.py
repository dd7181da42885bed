"""Tests for the Cognito emulator, over HTTP only.

Run: python3 -m unittest discover -s tests/emulator -p 'test_*.py'
"""

import base64
import copy
import datetime
import hashlib
import hmac
import http.client
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from control import Emulator, EmulatorError, default_fixture  # noqa: E402
from srp_client import SrpClient, secret_hash, timestamp, PRIME  # noqa: E402

POOL = "us-east-1_Emul4tor"
PUBLIC = "publicclient0000000000000001"
SECRET_CLIENT = "secretclient0000000000000001"
SECRET = "s3cr3t_client_secret_for_tests_0123456789"
EMAIL_POOL = "us-east-1_EmailPool"
EMAIL_CLIENT = "emailpoolclient000000000000001"
IDENTITY_POOL = "us-east-1:11111111-2222-3333-4444-555555555555"
PROVIDER = "cognito-idp.us-east-1.amazonaws.com/" + POOL
AUTH_ROLE = "arn:aws:iam::123456789012:role/CognitoAuthRole"
ADMIN_ROLE = "arn:aws:iam::123456789012:role/CognitoAdminRole"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def jwt_claims(token):
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def totp_now(secret_b32, offset_steps=0):
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    counter = int(time.time() // 30) + offset_steps
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


class EmulatorCase(unittest.TestCase):
    """One emulator per test class, reset to the fixture before each test."""

    fixture = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator(fixture=cls.fixture).start()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.control("Reset")

    # -- helpers ---------------------------------------------------------------
    def code(self, username, pool=None):
        """The code the emulator last sent to username."""
        return self.emu.last_code(username, pool)

    def calls(self, op):
        """How many times op was called since the test began."""
        return self.emu.calls(op)

    def assertError(self, kind, fn, *args, message=None, **kwargs):
        with self.assertRaises(EmulatorError) as ctx:
            fn(*args, **kwargs)
        self.assertEqual(ctx.exception.type, kind, ctx.exception)
        if message is not None:
            self.assertEqual(ctx.exception.message, message)
        return ctx.exception

    def srp_start(self, username, client=PUBLIC, pool=POOL, secret=None):
        c = SrpClient(pool)
        params = {"USERNAME": username, "SRP_A": c.srp_a()}
        if secret:
            params["SECRET_HASH"] = secret_hash(secret, username, client)
        r = self.emu.idp("InitiateAuth", AuthFlow="USER_SRP_AUTH", ClientId=client,
                         AuthParameters=params)
        return c, r

    def srp_login(self, username, password, client=PUBLIC, pool=POOL, secret=None,
                  stamp=None):
        c, r = self.srp_start(username, client, pool, secret)
        self.assertEqual(r["ChallengeName"], "PASSWORD_VERIFIER")
        answers = c.answer(r["ChallengeParameters"], password, stamp=stamp)
        if secret:
            answers["SECRET_HASH"] = secret_hash(secret, answers["USERNAME"], client)
        return self.emu.idp("RespondToAuthChallenge", ChallengeName="PASSWORD_VERIFIER",
                            ClientId=client, ChallengeResponses=answers)

    def pw_login(self, username, password, client=PUBLIC, secret=None):
        params = {"USERNAME": username, "PASSWORD": password}
        if secret:
            params["SECRET_HASH"] = secret_hash(secret, username, client)
        return self.emu.idp("InitiateAuth", AuthFlow="USER_PASSWORD_AUTH", ClientId=client,
                            AuthParameters=params)

    def answer(self, challenge, session, username, client=PUBLIC, **responses):
        responses["USERNAME"] = username
        return self.emu.idp("RespondToAuthChallenge", ChallengeName=challenge, ClientId=client,
                            Session=session, ChallengeResponses=responses)

    def tokens(self, username="alice", password="Alice-Passw0rd!"):
        return self.pw_login(username, password)["AuthenticationResult"]


class CliTest(unittest.TestCase):
    """The command line: port file, banner, loopback only, clean stop."""

    def run_emulator(self, *extra):
        tmp = tempfile.mkdtemp()
        port_file = os.path.join(tmp, "port")
        proc = subprocess.Popen([sys.executable, os.path.join(HERE, "cognito_emulator.py"),
                                 "--port", "0", "--port-file", port_file] + list(extra),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

        def cleanup():
            if proc.poll() is None:
                proc.kill()
                proc.wait(5)
            proc.stdout.close()
            proc.stderr.close()
            shutil.rmtree(tmp, ignore_errors=True)
        self.addCleanup(cleanup)
        return proc, port_file, tmp

    def test_banner_port_file_and_sigterm(self):
        proc, port_file, _ = self.run_emulator()
        line = proc.stdout.readline().decode()
        with open(port_file) as fh:
            port = int(fh.read())
        self.assertEqual(line.strip(), "cognito emulator listening on http://127.0.0.1:%d" % port)
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        os.kill(proc.pid, signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=5), 0)

    def test_sigint_stops(self):
        proc, port_file, _ = self.run_emulator()
        proc.stdout.readline()
        os.kill(proc.pid, signal.SIGINT)
        self.assertEqual(proc.wait(timeout=5), 0)

    def test_refuses_non_loopback_host(self):
        proc, _, _ = self.run_emulator("--host", "0.0.0.0")
        self.assertEqual(proc.wait(timeout=5), 2)
        self.assertIn(b"non-loopback", proc.stderr.read())

    def test_bad_fixture_fails(self):
        tmp = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        tmp.write("{not json")
        tmp.close()
        self.addCleanup(os.unlink, tmp.name)
        proc, _, _ = self.run_emulator("--fixture", tmp.name)
        self.assertEqual(proc.wait(timeout=5), 2)

    def test_control_client_start_stop(self):
        emu = Emulator().start()
        pid = emu.pid
        self.assertTrue(emu.url.startswith("http://127.0.0.1:"))
        emu.stop()
        emu.stop()  # idempotent
        with self.assertRaises(ProcessLookupError):
            for _ in range(50):
                os.kill(pid, 0)
                time.sleep(0.1)


class ProtocolTest(EmulatorCase):
    """Transport, error shapes and dispatch."""

    def test_error_shape_and_headers(self):
        status, body, headers = self.emu.call(
            "AWSCognitoIdentityProviderService.InitiateAuth",
            {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": PUBLIC,
             "AuthParameters": {"USERNAME": "alice", "PASSWORD": "wrong"}})
        self.assertEqual(status, 400)
        self.assertEqual(body, {"__type": "NotAuthorizedException",
                                "message": "Incorrect username or password."})
        self.assertEqual(headers["x-amzn-errortype"], "NotAuthorizedException:")
        self.assertEqual(headers["x-amzn-ErrorType"], "NotAuthorizedException:")
        self.assertEqual(headers["content-type"], "application/x-amz-json-1.1")

    def test_unknown_target(self):
        for target in ("AWSCognitoIdentityProviderService.NoSuchOp", "Foo.Bar", None):
            status, body, _ = self.emu.call(target, {})
            self.assertEqual(status, 400)
            self.assertEqual(body["__type"], "UnknownOperationException")

    def test_malformed_json(self):
        status, body, _ = self.emu.call_raw("AWSCognitoIdentityProviderService.InitiateAuth",
                                            b"{not json")[0:3]
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body)["__type"], "SerializationException")
        status, body, _ = self.emu.call("AWSCognitoIdentityProviderService.InitiateAuth", [1])
        self.assertEqual(body["__type"], "SerializationException")

    def test_missing_parameters(self):
        self.assertError("InvalidParameterException", self.emu.idp, "InitiateAuth",
                         ClientId=PUBLIC, AuthParameters={})
        self.assertError("InvalidParameterException", self.emu.idp, "InitiateAuth",
                         AuthFlow="USER_PASSWORD_AUTH", ClientId=PUBLIC,
                         AuthParameters={"USERNAME": "alice"},
                         message="Missing required parameter PASSWORD")
        self.assertError("InvalidParameterException", self.emu.idp, "InitiateAuth",
                         AuthFlow="NOT_A_FLOW", ClientId=PUBLIC, AuthParameters={})

    def test_unknown_client(self):
        self.assertError("ResourceNotFoundException", self.emu.idp, "InitiateAuth",
                         AuthFlow="USER_PASSWORD_AUTH", ClientId="nosuchclient",
                         AuthParameters={"USERNAME": "alice", "PASSWORD": "x"})

    def test_get_is_not_an_operation(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.emu.port, timeout=5)
        conn.request("GET", "/health")
        self.assertEqual(conn.getresponse().status, 200)
        conn.close()

    def test_keep_alive_and_stats(self):
        self.emu.control("ResetStats")
        conn = http.client.HTTPConnection("127.0.0.1", self.emu.port, timeout=5)
        body = json.dumps({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": PUBLIC,
                           "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Alice-Passw0rd!"}})
        for _ in range(3):
            conn.request("POST", "/", body=body, headers={
                "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
                "Content-Type": "application/x-amz-json-1.1"})
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200)
            self.assertTrue(resp.getheader("Content-Length"))
            resp.read()
        # one request announcing Expect: 100-continue, as libcurl does for big bodies
        conn.putrequest("POST", "/")
        conn.putheader("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth")
        conn.putheader("Content-Type", "application/x-amz-json-1.1")
        conn.putheader("Content-Length", str(len(body)))
        conn.putheader("Expect", "100-continue")
        conn.endheaders()
        conn.send(body.encode())
        resp = conn.getresponse()
        while resp.status == 100:  # http.client skips interim answers; be safe
            resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        resp.read()
        conn.close()
        stats = self.emu.control("Stats")
        self.assertEqual(stats["Connections"], 1)
        self.assertEqual(stats["Requests"], 4)
        self.assertEqual(stats["ExpectContinue"], 1)
        self.assertEqual(stats["ByOperation"], {"InitiateAuth": 4})
        self.emu.control("ResetStats")
        self.assertEqual(self.emu.control("Stats")["Requests"], 0)

    def test_concurrent_logins(self):
        errors = []

        def worker():
            try:
                self.srp_login("alice", "Alice-Passw0rd!")
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(errors, [])


class SrpTest(EmulatorCase):
    def test_challenge_shape(self):
        _, r = self.srp_start("alice")
        self.assertEqual(r["ChallengeName"], "PASSWORD_VERIFIER")
        self.assertNotIn("Session", r)
        p = r["ChallengeParameters"]
        self.assertEqual(set(p), {"SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP", "USERNAME"})
        self.assertEqual(p["USER_ID_FOR_SRP"], "alice")
        self.assertGreater(len(p["SECRET_BLOCK"]), 1500)
        base64.b64decode(p["SECRET_BLOCK"], validate=True)
        int(p["SRP_B"], 16)
        int(p["SALT"], 16)
        # the salt is stored with the verifier: the same until the password changes
        _, r2 = self.srp_start("alice")
        self.assertEqual(p["SALT"], r2["ChallengeParameters"]["SALT"])
        self.assertNotEqual(p["SRP_B"], r2["ChallengeParameters"]["SRP_B"])
        self.assertNotEqual(p["SALT"], self.srp_start("bob")[1]["ChallengeParameters"]["SALT"])
        self.emu.idp("AdminSetUserPassword", UserPoolId=POOL, Username="alice",
                     Password="Alice-Passw0rd!2", Permanent=True)
        self.assertNotEqual(p["SALT"], self.srp_start("alice")[1]["ChallengeParameters"]["SALT"])

    def test_login_success_and_tokens(self):
        r = self.srp_login("alice", "Alice-Passw0rd!")
        self.assertEqual(r["ChallengeParameters"], {})
        res = r["AuthenticationResult"]
        self.assertEqual(res["TokenType"], "Bearer")
        self.assertEqual(res["ExpiresIn"], 3600)
        idc = jwt_claims(res["IdToken"])
        self.assertEqual(idc["cognito:username"], "alice")
        self.assertEqual(idc["token_use"], "id")
        self.assertEqual(idc["aud"], PUBLIC)
        self.assertEqual(idc["iss"], "https://cognito-idp.us-east-1.amazonaws.com/" + POOL)
        self.assertEqual(idc["email"], "alice@example.com")
        self.assertIs(idc["email_verified"], True)
        self.assertEqual(idc["cognito:groups"], ["users"])
        self.assertEqual(idc["sub"], "a11ce000-0000-4000-8000-000000000001")
        self.assertGreater(idc["exp"], idc["iat"])
        acc = jwt_claims(res["AccessToken"])
        self.assertEqual(acc["token_use"], "access")
        self.assertEqual(acc["client_id"], PUBLIC)
        self.assertEqual(acc["username"], "alice")
        self.assertEqual(acc["scope"], "aws.cognito.signin.user.admin")
        self.assertTrue(res["RefreshToken"])

    def test_username_is_case_insensitive(self):
        r = self.srp_login("ALICE", "Alice-Passw0rd!")
        self.assertIn("AuthenticationResult", r)

    def test_wrong_password(self):
        self.assertError("NotAuthorizedException", self.srp_login, "alice", "Bad-Passw0rd!",
                         message="Incorrect username or password.")

    def test_unknown_user(self):
        self.assertError("UserNotFoundException", self.srp_start, "nobody",
                         message="User does not exist.")

    def test_disabled_and_unconfirmed(self):
        self.assertError("NotAuthorizedException", self.srp_login, "disabled",
                         "Disabled-Passw0rd1!", message="User is disabled.")
        self.assertError("UserNotConfirmedException", self.srp_login, "unconfirmed",
                         "Unconfirmed-Passw0rd1!")
        self.assertError("NotAuthorizedException", self.srp_login, "unconfirmed", "Wrong-1!aA")

    def test_secret_block_is_single_use_and_tamper_proof(self):
        c, r = self.srp_start("alice")
        answers = c.answer(r["ChallengeParameters"], "Alice-Passw0rd!")
        ok = self.emu.idp("RespondToAuthChallenge", ChallengeName="PASSWORD_VERIFIER",
                          ClientId=PUBLIC, ChallengeResponses=answers)
        self.assertIn("AuthenticationResult", ok)
        self.assertError("NotAuthorizedException", self.emu.idp, "RespondToAuthChallenge",
                         ChallengeName="PASSWORD_VERIFIER", ClientId=PUBLIC,
                         ChallengeResponses=answers)
        c, r = self.srp_start("alice")
        raw = bytearray(base64.b64decode(r["ChallengeParameters"]["SECRET_BLOCK"]))
        raw[100] ^= 1
        params = dict(r["ChallengeParameters"], SECRET_BLOCK=base64.b64encode(raw).decode())
        answers = c.answer(params, "Alice-Passw0rd!")
        self.assertError("NotAuthorizedException", self.emu.idp, "RespondToAuthChallenge",
                         ChallengeName="PASSWORD_VERIFIER", ClientId=PUBLIC,
                         ChallengeResponses=answers)

    def test_timestamp_format_is_strict(self):
        # a zero-padded day is not Cognito's format: the signature cannot match
        day = datetime.datetime(2026, 3, 5, 4, 5, 6, tzinfo=datetime.timezone.utc)
        self.assertEqual(timestamp(day), "Thu Mar 5 04:05:06 UTC 2026")
        self.assertEqual(timestamp(day, pad_day=True), "Thu Mar 05 04:05:06 UTC 2026")
        now = datetime.datetime.now(datetime.timezone.utc)
        if now.day < 10:
            self.assertError("NotAuthorizedException", self.srp_login, "alice",
                             "Alice-Passw0rd!", stamp=timestamp(now, pad_day=True))
        # far from now
        self.assertError("NotAuthorizedException", self.srp_login, "alice", "Alice-Passw0rd!",
                         stamp=timestamp(now - datetime.timedelta(hours=3)))
        self.assertError("NotAuthorizedException", self.srp_login, "alice", "Alice-Passw0rd!",
                         stamp="Mon, 02 Nov 2026 04:05:06 GMT")

    def test_srp_state_expires(self):
        self.emu.control("SetOptions", SrpTtlSeconds=1, SessionTtlSeconds=600)
        c, r = self.srp_start("alice")
        time.sleep(1.2)
        answers = c.answer(r["ChallengeParameters"], "Alice-Passw0rd!")
        self.assertError("NotAuthorizedException", self.emu.idp, "RespondToAuthChallenge",
                         ChallengeName="PASSWORD_VERIFIER", ClientId=PUBLIC,
                         ChallengeResponses=answers,
                         message="Invalid session for the user, session is expired.")

    def test_short_session_ttl_does_not_cut_the_password_step(self):
        self.emu.control("SetOptions", SessionTtlSeconds=1)
        c, r = self.srp_start("smsuser")
        time.sleep(1.2)
        r = self.emu.idp("RespondToAuthChallenge", ChallengeName="PASSWORD_VERIFIER",
                         ClientId=PUBLIC,
                         ChallengeResponses=c.answer(r["ChallengeParameters"], "Sms-Passw0rd1!"))
        self.assertEqual(r["ChallengeName"], "SMS_MFA")

    def test_bad_srp_a(self):
        for bad in ("xyz", "0", format(PRIME, "x"), format(PRIME * 2, "x")):
            self.assertError("InvalidParameterException", self.emu.idp, "InitiateAuth",
                             AuthFlow="USER_SRP_AUTH", ClientId=PUBLIC,
                             AuthParameters={"USERNAME": "alice", "SRP_A": bad})

    def test_email_pool_user_id_for_srp(self):
        c, r = self.srp_start("carol@example.com", EMAIL_CLIENT, EMAIL_POOL)
        p = r["ChallengeParameters"]
        self.assertEqual(p["USER_ID_FOR_SRP"], "ca201000-0000-4000-8000-00000000000c")
        # x computed with the login name instead of USER_ID_FOR_SRP must fail
        wrong = c.answer(p, "Carol-Passw0rd!", user_id="carol@example.com")
        wrong["USERNAME"] = p["USER_ID_FOR_SRP"]
        self.assertError("NotAuthorizedException", self.emu.idp, "RespondToAuthChallenge",
                         ChallengeName="PASSWORD_VERIFIER", ClientId=EMAIL_CLIENT,
                         ChallengeResponses=wrong)
        r = self.srp_login("carol@example.com", "Carol-Passw0rd!", EMAIL_CLIENT, EMAIL_POOL)
        idc = jwt_claims(r["AuthenticationResult"]["IdToken"])
        self.assertEqual(idc["cognito:username"], "ca201000-0000-4000-8000-00000000000c")
        self.assertEqual(idc["email"], "carol@example.com")


class SecretHashTest(EmulatorCase):
    def test_srp_with_secret(self):
        r = self.srp_login("alice", "Alice-Passw0rd!", SECRET_CLIENT, secret=SECRET)
        self.assertEqual(jwt_claims(r["AuthenticationResult"]["IdToken"])["aud"], SECRET_CLIENT)

    def test_password_auth_with_secret(self):
        r = self.pw_login("alice", "Alice-Passw0rd!", SECRET_CLIENT, secret=SECRET)
        self.assertIn("AuthenticationResult", r)

    def test_missing_secret_hash(self):
        self.assertError("NotAuthorizedException", self.pw_login, "alice", "Alice-Passw0rd!",
                         SECRET_CLIENT, message="Client %s is configured with secret but "
                         "SECRET_HASH was not received" % SECRET_CLIENT)
        self.assertError("NotAuthorizedException", self.srp_start, "alice", SECRET_CLIENT)

    def test_wrong_secret_hash(self):
        self.assertError("NotAuthorizedException", self.pw_login, "alice", "Alice-Passw0rd!",
                         SECRET_CLIENT, secret="not-the-secret",
                         message="Unable to verify secret hash for client %s" % SECRET_CLIENT)

    def test_challenge_answer_needs_secret_hash(self):
        c, r = self.srp_start("alice", SECRET_CLIENT, secret=SECRET)
        answers = c.answer(r["ChallengeParameters"], "Alice-Passw0rd!")
        self.assertError("NotAuthorizedException", self.emu.idp, "RespondToAuthChallenge",
                         ChallengeName="PASSWORD_VERIFIER", ClientId=SECRET_CLIENT,
                         ChallengeResponses=answers)

    def test_mfa_answer_with_secret(self):
        r = self.pw_login("smsuser", "Sms-Passw0rd1!", SECRET_CLIENT, secret=SECRET)
        code = self.code("smsuser")
        self.assertError("NotAuthorizedException", self.answer, "SMS_MFA", r["Session"],
                         "smsuser", SECRET_CLIENT, SMS_MFA_CODE=code)
        done = self.answer("SMS_MFA", r["Session"], "smsuser", SECRET_CLIENT, SMS_MFA_CODE=code,
                           SECRET_HASH=secret_hash(SECRET, "smsuser", SECRET_CLIENT))
        self.assertIn("AuthenticationResult", done)


class PasswordAuthTest(EmulatorCase):
    def test_success(self):
        r = self.pw_login("alice", "Alice-Passw0rd!")
        self.assertIn("AuthenticationResult", r)

    def test_temporary_password_gives_new_password_required(self):
        r = self.pw_login("newbie", "Temp-Passw0rd1!")
        self.assertEqual(r["ChallengeName"], "NEW_PASSWORD_REQUIRED")
        self.assertTrue(r["Session"])
        self.assertError("NotAuthorizedException", self.pw_login, "newbie", "Temp-Passw0rd9!")

    def test_errors(self):
        self.assertError("NotAuthorizedException", self.pw_login, "alice", "nope",
                         message="Incorrect username or password.")
        self.assertError("UserNotFoundException", self.pw_login, "ghost", "x",
                         message="User does not exist.")
        self.assertError("NotAuthorizedException", self.pw_login, "disabled",
                         "Disabled-Passw0rd1!", message="User is disabled.")
        self.assertError("UserNotConfirmedException", self.pw_login, "unconfirmed",
                         "Unconfirmed-Passw0rd1!")


class PreventExistenceErrorsTest(EmulatorCase):
    fixture = copy.deepcopy(default_fixture())
    fixture["UserPools"][0]["Clients"][0]["PreventUserExistenceErrors"] = "ENABLED"
    fixture["UserPools"][0]["Clients"][0]["ExplicitAuthFlows"] = ["ALLOW_USER_SRP_AUTH",
                                                                  "ALLOW_REFRESH_TOKEN_AUTH"]

    def test_unknown_user_looks_like_wrong_password(self):
        c, r = self.srp_start("ghost")          # a simulated challenge
        self.assertEqual(r["ChallengeName"], "PASSWORD_VERIFIER")
        answers = c.answer(r["ChallengeParameters"], "whatever")
        self.assertError("NotAuthorizedException", self.emu.idp, "RespondToAuthChallenge",
                         ChallengeName="PASSWORD_VERIFIER", ClientId=PUBLIC,
                         ChallengeResponses=answers, message="Incorrect username or password.")

    def test_flow_not_enabled(self):
        self.assertError("InvalidParameterException", self.pw_login, "alice", "Alice-Passw0rd!",
                         message="USER_PASSWORD_AUTH flow not enabled for this client")


class ChallengeTest(EmulatorCase):
    def test_new_password_required(self):
        r = self.pw_login("newbie", "Temp-Passw0rd1!")
        self.assertEqual(r["ChallengeName"], "NEW_PASSWORD_REQUIRED")
        p = r["ChallengeParameters"]
        self.assertEqual(json.loads(p["requiredAttributes"]), ["userAttributes.name"])
        self.assertEqual(json.loads(p["userAttributes"])["email"], "newbie@example.com")
        s = r["Session"]
        self.assertError("InvalidParameterException", self.answer, "NEW_PASSWORD_REQUIRED", s,
                         "newbie", NEW_PASSWORD="Newbie-Passw0rd9!",
                         message="Invalid attributes given, name is missing")
        cases = {"Sh0rt!a": "Password not long enough",
                 "alllower-passw0rd": "Password must have uppercase characters",
                 "ALLUPPER-PASSW0RD": "Password must have lowercase characters",
                 "No-Digits-Here": "Password must have numeric characters",
                 "NoSymbols1234": "Password must have symbol characters"}
        for pw, why in cases.items():
            self.assertError("InvalidPasswordException", self.answer, "NEW_PASSWORD_REQUIRED", s,
                             "newbie", NEW_PASSWORD=pw, **{"userAttributes.name": "N"},
                             message="Password did not conform with policy: " + why)
        done = self.answer("NEW_PASSWORD_REQUIRED", s, "newbie", NEW_PASSWORD="Newbie-Passw0rd9!",
                           **{"userAttributes.name": "New Bie"})
        self.assertEqual(jwt_claims(done["AuthenticationResult"]["IdToken"])["name"], "New Bie")
        self.assertIn("AuthenticationResult", self.srp_login("newbie", "Newbie-Passw0rd9!"))
        self.assertError("NotAuthorizedException", self.answer, "NEW_PASSWORD_REQUIRED", s,
                         "newbie", NEW_PASSWORD="Newbie-Passw0rd9!",
                         **{"userAttributes.name": "x"})

    def test_sms_mfa(self):
        r = self.srp_login("smsuser", "Sms-Passw0rd1!")
        self.assertEqual(r["ChallengeName"], "SMS_MFA")
        self.assertEqual(r["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"], "+*******1234")
        self.assertEqual(r["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"], "SMS")
        last = self.emu.control("GetLastCode", UserPoolId=POOL, Username="smsuser")
        self.assertEqual(last["Medium"], "SMS")
        self.assertEqual(last["Destination"], "+15555551234")
        self.assertRegex(last["Code"], r"^\d{6}$")
        done = self.answer("SMS_MFA", r["Session"], "smsuser", SMS_MFA_CODE=last["Code"])
        self.assertIn("AuthenticationResult", done)
        self.assertError("NotAuthorizedException", self.answer, "SMS_MFA", r["Session"],
                         "smsuser", SMS_MFA_CODE=last["Code"])

    def test_wrong_codes_then_session_dies(self):
        r = self.pw_login("smsuser", "Sms-Passw0rd1!")
        code = self.code("smsuser")
        wrong = "%06d" % ((int(code) + 1) % 1000000)
        for _ in range(3):
            self.assertError("CodeMismatchException", self.answer, "SMS_MFA", r["Session"],
                             "smsuser", SMS_MFA_CODE=wrong,
                             message="Invalid code or auth state for the user.")
        self.assertError("NotAuthorizedException", self.answer, "SMS_MFA", r["Session"],
                         "smsuser", SMS_MFA_CODE=code, message="Invalid session for the user.")

    def test_wrong_code_then_right_code(self):
        r = self.pw_login("smsuser", "Sms-Passw0rd1!")
        code = self.code("smsuser")
        self.assertError("CodeMismatchException", self.answer, "SMS_MFA", r["Session"], "smsuser",
                         SMS_MFA_CODE="%06d" % ((int(code) + 7) % 1000000))
        self.assertIn("AuthenticationResult",
                      self.answer("SMS_MFA", r["Session"], "smsuser", SMS_MFA_CODE=code))

    def test_expired_code_and_session(self):
        r = self.pw_login("smsuser", "Sms-Passw0rd1!")
        code = self.code("smsuser")
        self.emu.control("ExpireCode", Username="smsuser")
        self.assertError("ExpiredCodeException", self.answer, "SMS_MFA", r["Session"],
                         "smsuser", SMS_MFA_CODE=code)
        self.emu.control("SetOptions", SessionTtlSeconds=1)
        r = self.pw_login("smsuser", "Sms-Passw0rd1!")
        code = self.code("smsuser")
        time.sleep(1.2)
        self.assertError("NotAuthorizedException", self.answer, "SMS_MFA", r["Session"],
                         "smsuser", SMS_MFA_CODE=code,
                         message="Invalid session for the user, session is expired.")

    def test_session_needs_username_and_matching_user(self):
        r = self.pw_login("smsuser", "Sms-Passw0rd1!")
        code = self.code("smsuser")
        self.assertError("InvalidParameterException", self.emu.idp, "RespondToAuthChallenge",
                         ChallengeName="SMS_MFA", ClientId=PUBLIC, Session=r["Session"],
                         ChallengeResponses={"SMS_MFA_CODE": code})
        self.assertError("NotAuthorizedException", self.answer, "SMS_MFA", r["Session"],
                         "alice", SMS_MFA_CODE=code)
        self.assertError("NotAuthorizedException", self.answer, "SMS_MFA", "bogus-session",
                         "smsuser", SMS_MFA_CODE=code)
        self.assertError("InvalidParameterException", self.emu.idp, "RespondToAuthChallenge",
                         ChallengeName="SMS_MFA", ClientId=PUBLIC,
                         ChallengeResponses={"USERNAME": "smsuser", "SMS_MFA_CODE": code})

    def test_totp(self):
        r = self.srp_login("totpuser", "Totp-Passw0rd1!")
        self.assertEqual(r["ChallengeName"], "SOFTWARE_TOKEN_MFA")
        self.assertError("CodeMismatchException", self.answer, "SOFTWARE_TOKEN_MFA",
                         r["Session"], "totpuser",
                         SOFTWARE_TOKEN_MFA_CODE=totp_now(TOTP_SECRET, 10))
        done = self.answer("SOFTWARE_TOKEN_MFA", r["Session"], "totpuser",
                           SOFTWARE_TOKEN_MFA_CODE=totp_now(TOTP_SECRET, -1))
        self.assertIn("AuthenticationResult", done)
        self.assertEqual(self.emu.control("TotpCode", Username="totpuser")["Code"],
                         totp_now(TOTP_SECRET))

    def test_set_totp_secret(self):
        self.emu.control("SetTotpSecret", UserPoolId=POOL, Username="alice",
                         Secret="GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        self.emu.idp("AdminSetUserMFAPreference", UserPoolId=POOL, Username="alice",
                     SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
        r = self.pw_login("alice", "Alice-Passw0rd!")
        self.assertEqual(r["ChallengeName"], "SOFTWARE_TOKEN_MFA")
        done = self.answer("SOFTWARE_TOKEN_MFA", r["Session"], "alice",
                           SOFTWARE_TOKEN_MFA_CODE=totp_now("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"))
        self.assertIn("AuthenticationResult", done)

    def test_email_otp(self):
        r = self.pw_login("emailuser", "Email-Passw0rd1!")
        self.assertEqual(r["ChallengeName"], "EMAIL_OTP")
        self.assertEqual(r["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"], "e***@e***")
        self.assertEqual(r["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"], "EMAIL")
        last = self.emu.control("GetLastCode", Username="emailuser")
        self.assertEqual((last["Medium"], last["Destination"]), ("EMAIL", "emailuser@example.com"))
        done = self.answer("EMAIL_OTP", r["Session"], "emailuser", EMAIL_OTP_CODE=last["Code"])
        self.assertIn("AuthenticationResult", done)

    def test_select_mfa_type(self):
        for choice in ("SMS_MFA", "SOFTWARE_TOKEN_MFA"):
            r = self.pw_login("chooser", "Choose-Passw0rd1!")
            self.assertEqual(r["ChallengeName"], "SELECT_MFA_TYPE")
            self.assertEqual(json.loads(r["ChallengeParameters"]["MFAS_CAN_CHOOSE"]),
                             ["SMS_MFA", "SOFTWARE_TOKEN_MFA"])
            nxt = self.answer("SELECT_MFA_TYPE", r["Session"], "chooser", ANSWER=choice)
            self.assertEqual(nxt["ChallengeName"], choice)
            if choice == "SMS_MFA":
                code = self.code("chooser")
                done = self.answer(choice, nxt["Session"], "chooser", SMS_MFA_CODE=code)
            else:
                done = self.answer(choice, nxt["Session"], "chooser",
                                   SOFTWARE_TOKEN_MFA_CODE=totp_now(TOTP_SECRET))
            self.assertIn("AuthenticationResult", done)

    def test_new_password_then_sms(self):
        r = self.srp_login("newsms", "Temp-Passw0rd2!")
        self.assertEqual(r["ChallengeName"], "NEW_PASSWORD_REQUIRED")
        self.assertEqual(json.loads(r["ChallengeParameters"]["requiredAttributes"]), [])
        r = self.answer("NEW_PASSWORD_REQUIRED", r["Session"], "newsms",
                        NEW_PASSWORD="Newsms-Passw0rd9!")
        self.assertEqual(r["ChallengeName"], "SMS_MFA")
        code = self.code("newsms")
        self.assertIn("AuthenticationResult",
                      self.answer("SMS_MFA", r["Session"], "newsms", SMS_MFA_CODE=code))

    def test_mfa_setup(self):
        r = self.pw_login("setupuser", "Setup-Passw0rd1!")
        self.assertEqual(r["ChallengeName"], "MFA_SETUP")
        self.assertIn("SOFTWARE_TOKEN_MFA", json.loads(r["ChallengeParameters"]["MFAS_CAN_SETUP"]))
        self.assertError("NotAuthorizedException", self.answer, "MFA_SETUP", r["Session"],
                         "setupuser")
        assoc = self.emu.idp("AssociateSoftwareToken", Session=r["Session"])
        ver = self.emu.idp("VerifySoftwareToken", Session=assoc["Session"],
                           UserCode=totp_now(assoc["SecretCode"]))
        self.assertEqual(ver["Status"], "SUCCESS")
        done = self.answer("MFA_SETUP", ver["Session"], "setupuser")
        self.assertIn("AuthenticationResult", done)
        self.assertEqual(self.pw_login("setupuser", "Setup-Passw0rd1!")["ChallengeName"],
                         "SOFTWARE_TOKEN_MFA")

    def test_codes_file(self):
        codes = tempfile.NamedTemporaryFile(delete=False)
        codes.close()
        self.addCleanup(os.unlink, codes.name)
        with Emulator(codes_file=codes.name) as emu:
            emu.idp("InitiateAuth", AuthFlow="USER_PASSWORD_AUTH", ClientId=PUBLIC,
                    AuthParameters={"USERNAME": "smsuser", "PASSWORD": "Sms-Passw0rd1!"})
            code = emu.control("GetLastCode", Username="smsuser")["Code"]
        with open(codes.name) as fh:
            lines = fh.read().splitlines()
        self.assertEqual(lines, ["%s smsuser SMS +15555551234 %s" % (POOL, code)])


class RefreshTest(EmulatorCase):
    def refresh(self, token, client=PUBLIC, **extra):
        params = {"REFRESH_TOKEN": token}
        params.update(extra)
        return self.emu.idp("InitiateAuth", AuthFlow="REFRESH_TOKEN_AUTH", ClientId=client,
                            AuthParameters=params)

    def test_refresh(self):
        first = self.tokens()
        r = self.refresh(first["RefreshToken"])["AuthenticationResult"]
        self.assertNotIn("RefreshToken", r)
        self.assertEqual(jwt_claims(r["IdToken"])["cognito:username"], "alice")
        self.assertEqual(jwt_claims(r["IdToken"])["auth_time"],
                         jwt_claims(first["IdToken"])["auth_time"])

    def test_invalid_and_expired(self):
        self.assertError("NotAuthorizedException", self.refresh, "garbage",
                         message="Invalid Refresh Token.")
        first = self.tokens()
        self.assertError("NotAuthorizedException", self.refresh, first["RefreshToken"],
                         SECRET_CLIENT, message="Invalid Refresh Token.")
        self.emu.control("SetOptions", RefreshTokenTtlSeconds=1)
        tok = self.tokens()["RefreshToken"]
        time.sleep(1.2)
        self.assertError("NotAuthorizedException", self.refresh, tok,
                         message="Refresh Token has expired")

    def test_refresh_with_secret(self):
        tok = self.pw_login("alice", "Alice-Passw0rd!", SECRET_CLIENT,
                            secret=SECRET)["AuthenticationResult"]["RefreshToken"]
        self.assertError("NotAuthorizedException", self.refresh, tok, SECRET_CLIENT)
        for name in ("alice", "a11ce000-0000-4000-8000-000000000001"):
            r = self.refresh(tok, SECRET_CLIENT,
                             SECRET_HASH=secret_hash(SECRET, name, SECRET_CLIENT))
            self.assertIn("IdToken", r["AuthenticationResult"])


class ChangePasswordTest(EmulatorCase):
    def test_change(self):
        access = self.tokens()["AccessToken"]
        self.assertEqual(self.emu.idp("ChangePassword", PreviousPassword="Alice-Passw0rd!",
                                      ProposedPassword="Alice-Passw0rd2!", AccessToken=access), {})
        self.assertIn("AuthenticationResult", self.srp_login("alice", "Alice-Passw0rd2!"))
        self.assertError("NotAuthorizedException", self.srp_login, "alice", "Alice-Passw0rd!")

    def test_errors(self):
        access = self.tokens()["AccessToken"]
        self.assertError("NotAuthorizedException", self.emu.idp, "ChangePassword",
                         PreviousPassword="nope", ProposedPassword="Alice-Passw0rd2!",
                         AccessToken=access, message="Incorrect username or password.")
        self.assertError("InvalidPasswordException", self.emu.idp, "ChangePassword",
                         PreviousPassword="Alice-Passw0rd!", ProposedPassword="weakpassword",
                         AccessToken=access)
        forged = access[:-6] + ("AAAAAA" if not access.endswith("AAAAAA") else "BBBBBB")
        self.assertError("NotAuthorizedException", self.emu.idp, "ChangePassword",
                         PreviousPassword="Alice-Passw0rd!", ProposedPassword="Alice-Passw0rd2!",
                         AccessToken=forged, message="Invalid Access Token")
        id_token = self.tokens()["IdToken"]
        self.assertError("NotAuthorizedException", self.emu.idp, "ChangePassword",
                         PreviousPassword="Alice-Passw0rd!", ProposedPassword="Alice-Passw0rd2!",
                         AccessToken=id_token, message="Invalid Access Token")
        self.emu.control("SetOptions", AccessTokenTtlSeconds=1)
        short = self.tokens()["AccessToken"]
        time.sleep(2.1)
        self.assertError("NotAuthorizedException", self.emu.idp, "ChangePassword",
                         PreviousPassword="Alice-Passw0rd!", ProposedPassword="Alice-Passw0rd2!",
                         AccessToken=short, message="Access Token has expired")

    def test_attempt_limit(self):
        access = self.tokens()["AccessToken"]
        for _ in range(5):
            self.assertError("NotAuthorizedException", self.emu.idp, "ChangePassword",
                             PreviousPassword="nope", ProposedPassword="Alice-Passw0rd2!",
                             AccessToken=access)
        self.assertError("LimitExceededException", self.emu.idp, "ChangePassword",
                         PreviousPassword="Alice-Passw0rd!", ProposedPassword="Alice-Passw0rd2!",
                         AccessToken=access,
                         message="Attempt limit exceeded, please try after some time.")

    def test_advance_clock_expires_access_token(self):
        access = self.tokens()["AccessToken"]
        self.emu.control("AdvanceClock", Seconds=3601)
        self.assertError("NotAuthorizedException", self.emu.idp, "GetUser", AccessToken=access,
                         message="Access Token has expired")
        self.emu.control("SetOptions", ClockOffsetSeconds=0)
        self.assertEqual(self.emu.idp("GetUser", AccessToken=access)["Username"], "alice")

    def test_get_user(self):
        u = self.emu.idp("GetUser", AccessToken=self.tokens()["AccessToken"])
        self.assertEqual(u["Username"], "alice")
        self.assertIn({"Name": "email", "Value": "alice@example.com"}, u["UserAttributes"])


class AdminTest(EmulatorCase):
    def test_create_user_and_first_login(self):
        u = self.emu.idp("AdminCreateUser", UserPoolId=POOL, Username="dave",
                         TemporaryPassword="Dave-Temp0!x", MessageAction="SUPPRESS",
                         UserAttributes=[{"Name": "email", "Value": "dave@example.com"},
                                         {"Name": "name", "Value": "Dave"}])["User"]
        self.assertEqual(u["UserStatus"], "FORCE_CHANGE_PASSWORD")
        self.assertError("UsernameExistsException", self.emu.idp, "AdminCreateUser",
                         UserPoolId=POOL, Username="dave", TemporaryPassword="Dave-Temp0!x")
        r = self.srp_login("dave", "Dave-Temp0!x")
        self.assertEqual(r["ChallengeName"], "NEW_PASSWORD_REQUIRED")
        self.emu.idp("AdminSetUserPassword", UserPoolId=POOL, Username="dave",
                     Password="Dave-Perm0!x", Permanent=True)
        self.assertEqual(self.emu.idp("AdminGetUser", UserPoolId=POOL,
                                      Username="dave")["UserStatus"], "CONFIRMED")
        self.assertIn("AuthenticationResult", self.srp_login("dave", "Dave-Perm0!x"))
        self.emu.idp("AdminDeleteUser", UserPoolId=POOL, Username="dave")
        self.assertError("UserNotFoundException", self.emu.idp, "AdminGetUser", UserPoolId=POOL,
                         Username="dave")

    def test_get_user_state(self):
        access = self.tokens()["AccessToken"]
        self.emu.idp("ChangePassword", PreviousPassword="Alice-Passw0rd!",
                     ProposedPassword="Alice-Passw0rd3!", AccessToken=access)
        st = self.emu.control("GetUserState", Username="alice")
        self.assertEqual((st["Password"], st["UserStatus"], st["Groups"]),
                         ("Alice-Passw0rd3!", "CONFIRMED", ["users"]))

    def test_disable_enable(self):
        self.emu.idp("AdminDisableUser", UserPoolId=POOL, Username="alice")
        self.assertError("NotAuthorizedException", self.pw_login, "alice", "Alice-Passw0rd!",
                         message="User is disabled.")
        self.emu.idp("AdminEnableUser", UserPoolId=POOL, Username="alice")
        self.assertIn("AuthenticationResult", self.pw_login("alice", "Alice-Passw0rd!"))

    def test_mfa_preference_and_attributes(self):
        self.emu.idp("AdminUpdateUserAttributes", UserPoolId=POOL, Username="alice",
                     UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}])
        self.emu.idp("AdminSetUserMFAPreference", UserPoolId=POOL, Username="alice",
                     SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
        u = self.emu.idp("AdminGetUser", UserPoolId=POOL, Username="alice")
        self.assertEqual(u["PreferredMfaSetting"], "SMS_MFA")
        r = self.pw_login("alice", "Alice-Passw0rd!")
        self.assertEqual(r["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"], "+*******0100")
        self.assertError("InvalidParameterException", self.emu.idp, "AdminSetUserMFAPreference",
                         UserPoolId=POOL, Username="bob",
                         SoftwareTokenMfaSettings={"Enabled": True})

    def test_groups(self):
        self.emu.idp("AdminAddUserToGroup", UserPoolId=POOL, Username="alice", GroupName="admins")
        idc = jwt_claims(self.tokens()["IdToken"])
        self.assertEqual(idc["cognito:groups"], ["admins", "users"])
        self.assertEqual(idc["cognito:roles"], [ADMIN_ROLE])
        self.assertError("ResourceNotFoundException", self.emu.idp, "AdminAddUserToGroup",
                         UserPoolId=POOL, Username="alice", GroupName="nosuch")
        for group in ("users", "admins"):
            self.emu.idp("AdminRemoveUserFromGroup", UserPoolId=POOL, Username="alice",
                         GroupName=group)
        idc = jwt_claims(self.tokens()["IdToken"])
        self.assertNotIn("cognito:groups", idc)
        self.assertNotIn("cognito:roles", idc)

    def test_create_client_with_secret(self):
        c = self.emu.idp("CreateUserPoolClient", UserPoolId=POOL, ClientName="extra",
                         GenerateSecret=True)["UserPoolClient"]
        self.assertTrue(c["ClientSecret"])
        r = self.pw_login("alice", "Alice-Passw0rd!", c["ClientId"], secret=c["ClientSecret"])
        self.assertIn("AuthenticationResult", r)

    def test_email_pool_create_user(self):
        u = self.emu.idp("AdminCreateUser", UserPoolId=EMAIL_POOL, Username="erin@example.com",
                         TemporaryPassword="Erin-Temp0!x")["User"]
        self.assertNotEqual(u["Username"], "erin@example.com")
        r = self.pw_login("erin@example.com", "Erin-Temp0!x", EMAIL_CLIENT)
        self.assertEqual(r["ChallengeName"], "NEW_PASSWORD_REQUIRED")
        self.assertEqual(r["ChallengeParameters"]["USER_ID_FOR_SRP"], u["Username"])


class IdentityTest(EmulatorCase):
    def test_get_id_and_credentials(self):
        tok = self.tokens()["IdToken"]
        logins = {PROVIDER: tok}
        ident = self.emu.identity("GetId", IdentityPoolId=IDENTITY_POOL, Logins=logins)["IdentityId"]
        self.assertRegex(ident, r"^us-east-1:[0-9a-f-]{36}$")
        again = self.emu.identity("GetId", IdentityPoolId=IDENTITY_POOL,
                                  Logins={PROVIDER: self.tokens()["IdToken"]})["IdentityId"]
        self.assertEqual(ident, again)
        r = self.emu.identity("GetCredentialsForIdentity", IdentityId=ident, Logins=logins)
        self.assertEqual(r["IdentityId"], ident)
        c = r["Credentials"]
        self.assertRegex(c["AccessKeyId"], r"^ASIA[A-Z0-9]{16}$")
        self.assertEqual(len(c["SecretKey"]), 40)
        self.assertGreater(len(c["SessionToken"]), 200)
        self.assertIsInstance(c["Expiration"], (int, float))
        self.assertAlmostEqual(c["Expiration"], time.time() + 3600, delta=30)
        issued = self.emu.control("IssuedCredentials")["Credentials"]
        self.assertEqual(len(issued), 1)
        self.assertEqual(issued[0]["Credentials"]["AccessKeyId"], c["AccessKeyId"])
        self.assertEqual(issued[0]["RoleArn"], AUTH_ROLE)
        self.assertEqual(issued[0]["Username"], "alice")

    def test_custom_role_and_ttl(self):
        self.emu.control("SetOptions", CredentialTtlSeconds=900)
        logins = {PROVIDER: self.tokens()["IdToken"]}
        ident = self.emu.identity("GetId", IdentityPoolId=IDENTITY_POOL, Logins=logins)["IdentityId"]
        c = self.emu.identity("GetCredentialsForIdentity", IdentityId=ident, Logins=logins,
                              CustomRoleArn=ADMIN_ROLE)["Credentials"]
        self.assertAlmostEqual(c["Expiration"], time.time() + 900, delta=30)
        self.assertEqual(self.emu.control("IssuedCredentials")["Credentials"][0]["RoleArn"],
                         ADMIN_ROLE)
        self.assertError("InvalidParameterException", self.emu.identity,
                         "GetCredentialsForIdentity", IdentityId=ident, Logins=logins,
                         CustomRoleArn="arn:aws:iam::123456789012:role/Other")

    def test_errors(self):
        tok = self.tokens()["IdToken"]
        self.assertError("ResourceNotFoundException", self.emu.identity, "GetId",
                         IdentityPoolId="us-east-1:00000000-0000-0000-0000-000000000000",
                         Logins={PROVIDER: tok})
        self.assertError("NotAuthorizedException", self.emu.identity, "GetId",
                         IdentityPoolId=IDENTITY_POOL,
                         Logins={"cognito-idp.us-east-1.amazonaws.com/us-east-1_Other": tok})
        self.assertError("NotAuthorizedException", self.emu.identity, "GetId",
                         IdentityPoolId=IDENTITY_POOL, Logins={})
        access = self.tokens()["AccessToken"]
        self.assertError("NotAuthorizedException", self.emu.identity, "GetId",
                         IdentityPoolId=IDENTITY_POOL, Logins={PROVIDER: access})
        self.assertError("NotAuthorizedException", self.emu.identity, "GetId",
                         IdentityPoolId=IDENTITY_POOL, Logins={PROVIDER: tok[:-3] + "abc"})
        email_tok = self.pw_login("carol@example.com", "Carol-Passw0rd!",
                                  EMAIL_CLIENT)["AuthenticationResult"]["IdToken"]
        self.assertError("NotAuthorizedException", self.emu.identity, "GetId",
                         IdentityPoolId=IDENTITY_POOL, Logins={PROVIDER: email_tok})

    def test_expired_token(self):
        self.emu.control("SetOptions", IdTokenTtlSeconds=1)
        tok = self.tokens()["IdToken"]
        time.sleep(2.1)
        err = self.assertError("NotAuthorizedException", self.emu.identity, "GetId",
                               IdentityPoolId=IDENTITY_POOL, Logins={PROVIDER: tok})
        self.assertTrue(err.message.startswith("Invalid login token. Token expired: "))

    def test_identity_belongs_to_user(self):
        alice = {PROVIDER: self.tokens()["IdToken"]}
        bob = {PROVIDER: self.tokens("bob", "Bob-Passw0rd!")["IdToken"]}
        a_id = self.emu.identity("GetId", IdentityPoolId=IDENTITY_POOL, Logins=alice)["IdentityId"]
        b_id = self.emu.identity("GetId", IdentityPoolId=IDENTITY_POOL, Logins=bob)["IdentityId"]
        self.assertNotEqual(a_id, b_id)
        self.assertError("NotAuthorizedException", self.emu.identity, "GetCredentialsForIdentity",
                         IdentityId=a_id, Logins=bob)
        self.assertError("ResourceNotFoundException", self.emu.identity,
                         "GetCredentialsForIdentity",
                         IdentityId="us-east-1:00000000-0000-0000-0000-000000000000", Logins=bob)


class FaultTest(EmulatorCase):
    BODY = {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": PUBLIC,
            "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Alice-Passw0rd!"}}
    TARGET = "AWSCognitoIdentityProviderService.InitiateAuth"

    def fault(self, kind, **extra):
        self.emu.control("SetFault", Operation="InitiateAuth", Kind=kind, **extra)

    def test_garbage_empty_truncated(self):
        self.fault("garbage")
        status, data, _ = self.emu.call_raw(self.TARGET, self.BODY)
        self.assertEqual(status, 200)
        self.assertRaises(ValueError, json.loads, data.decode("utf-8", "replace"))
        self.fault("empty")
        status, data, _ = self.emu.call_raw(self.TARGET, self.BODY)
        self.assertEqual((status, data), (200, b""))
        self.fault("truncated")
        status, data, _ = self.emu.call_raw(self.TARGET, self.BODY)
        self.assertEqual(status, 200)
        self.assertTrue(data.startswith(b'{"AuthenticationResult"'))
        self.assertRaises(ValueError, json.loads, data)
        # faults are used up: the next call is normal
        self.assertEqual(self.emu.call(self.TARGET, self.BODY)[0], 200)

    def test_http500_throttle_count(self):
        self.fault("http500")
        status, body, headers = self.emu.call(self.TARGET, self.BODY)
        self.assertEqual((status, body["__type"]), (500, "InternalErrorException"))
        self.fault("throttle", Count=2)
        for _ in range(2):
            status, body, _ = self.emu.call(self.TARGET, self.BODY)
            self.assertEqual((status, body["__type"], body["message"]),
                             (400, "TooManyRequestsException", "Rate exceeded"))
        self.assertEqual(self.emu.call(self.TARGET, self.BODY)[0], 200)

    def test_close_and_slow(self):
        self.fault("close")
        with self.assertRaises((http.client.HTTPException, ConnectionError, OSError)):
            self.emu.call_raw(self.TARGET, self.BODY)
        self.fault("slow", DelaySeconds=0.6)
        t0 = time.monotonic()
        self.assertEqual(self.emu.call(self.TARGET, self.BODY)[0], 200)
        self.assertGreaterEqual(time.monotonic() - t0, 0.6)

    def test_oversized(self):
        self.fault("oversized")
        status, data, _ = self.emu.call_raw(self.TARGET, self.BODY)
        self.assertEqual(status, 200)
        self.assertGreater(len(data), 2 * 1024 * 1024)

    def test_srp_faults(self):
        for kind, check in (("missing_field", lambda p: "SRP_B" not in p),
                            ("bad_srp_b", lambda p: not all(
                                ch in "0123456789abcdef" for ch in p["SRP_B"])),
                            ("zero_srp_b", lambda p: p["SRP_B"] == "0"),
                            ("n_srp_b", lambda p: int(p["SRP_B"], 16) == PRIME)):
            self.fault(kind)
            _, r = self.srp_start("alice")
            self.assertTrue(check(r["ChallengeParameters"]), kind)

    def test_wildcard_spares_control(self):
        self.emu.control("SetFault", Operation="*", Kind="http500", Count=1)
        self.emu.control("Stats")  # control calls are never faulted
        self.assertEqual(len(self.emu.control("ListFaults")["Faults"]), 1)
        status, _, _ = self.emu.call("AWSCognitoIdentityService.GetId", {})
        self.assertEqual(status, 500)
        self.emu.control("SetFault", Operation="GetId", Kind="throttle", Count=5)
        self.emu.control("ClearFaults")
        status, body, _ = self.emu.call("AWSCognitoIdentityService.GetId", {})
        self.assertEqual(body["__type"], "InvalidParameterException")

    def test_unknown_kind(self):
        self.assertError("InvalidParameterException", self.emu.control, "SetFault",
                         Operation="InitiateAuth", Kind="explode")


class ResetTest(EmulatorCase):
    def test_reset_restores_fixture(self):
        self.emu.idp("AdminDisableUser", UserPoolId=POOL, Username="alice")
        self.emu.control("SetOptions", SessionTtlSeconds=5)
        self.emu.control("Reset")
        self.assertIn("AuthenticationResult", self.pw_login("alice", "Alice-Passw0rd!"))

    def test_custom_fixture_dict(self):
        fx = default_fixture()
        fx["UserPools"][0]["Users"] = [{"Username": "zed", "Password": "Zed-Passw0rd!"}]
        with Emulator(fixture=fx) as emu:
            r = emu.idp("InitiateAuth", AuthFlow="USER_PASSWORD_AUTH", ClientId=PUBLIC,
                        AuthParameters={"USERNAME": "zed", "PASSWORD": "Zed-Passw0rd!"})
            self.assertIn("AuthenticationResult", r)
            with self.assertRaises(EmulatorError):
                emu.idp("InitiateAuth", AuthFlow="USER_PASSWORD_AUTH", ClientId=PUBLIC,
                        AuthParameters={"USERNAME": "alice", "PASSWORD": "Alice-Passw0rd!"})


if __name__ == "__main__":
    unittest.main()
