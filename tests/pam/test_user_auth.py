"""Choice-based sign-in (auth_flow = "USER_AUTH", first_factors) through a
real libpam stack: the password as PASSWORD_SRP or PASSWORD, a one-time code
by email or SMS as the first factor, the host's first_factors refusing what
it does not accept, MFA after the password, an ALLOW_USER_AUTH-only client
(with and without a secret), and no offline login from a code."""
import os

from pamrun import CacheTest, EmulatorTest, Stack, base_config, ensure_user

CHOICE = "us-east-1_ChoicePool"
ONLY = "userauthonly0000000000000001"       # ALLOW_USER_AUTH (and refresh) only
SECRET_ONLY = "choicesecret0000000000000001"
SECRET = "s3cr3t_client_secret_for_tests_0123456789"
ALICE_PW, BOB_PW = "Alice-Choice1!", "Bob-Choice1!"
PW_CODE = "Password (or Enter for a one-time code): "
ASK_EMAIL = "Send a code by email? [Y/n] "
ASK_WHICH = "Send a one-time code by 1) email or 2) SMS? [1-2] "
CODE_AND_SRP = ["PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]


def choice(**over):
    keys = {"user_pool_id": CHOICE, "client_id": ONLY, "auth_flow": "USER_AUTH"}
    keys.update(over)
    return keys


class UserAuthTest(EmulatorTest):
    config = choice()

    def stack(self, **over):
        s = Stack(base_config(self.emu, **choice(**over)))
        self.addCleanup(s.cleanup)
        return s

    def code(self, user, pool=CHOICE):
        return super().code(user, pool)

    # ---- the password ----

    def test_password_srp_is_the_default_factor(self):
        self.emu.control("ResetStats")
        r = self.s.run("alice", [ALICE_PW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompt_styles, [("echo_off", "Password: ")])
        # InitiateAuth (PREFERRED_CHALLENGE=PASSWORD_SRP) and PASSWORD_VERIFIER
        self.assertEqual((self.calls("InitiateAuth"), self.calls("RespondToAuthChallenge")),
                         (1, 1))
        self.assertEqual(self.s.run("alice", ["Wrong-Passw0rd!"]).code, "PAM_AUTH_ERR")
        # an empty password asks for no code when first_factors names none
        self.emu.control("ResetStats")
        r = self.s.run("alice", [""])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(self.calls("InitiateAuth"), 0)

    def test_password_factor_is_one_call(self):
        s = self.stack(first_factors=["PASSWORD"])
        self.emu.control("ResetStats")
        r = s.run("bob", [BOB_PW])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual((self.calls("InitiateAuth"), self.calls("RespondToAuthChallenge")),
                         (1, 0))
        self.assertEqual(s.run("bob", ["Wrong-Passw0rd!"]).code, "PAM_AUTH_ERR")

    def test_mfa_after_the_password(self):
        from otp_reference import totp
        r = self.s.run("totpuser", ["Totp-Choice1!", lambda *_: totp("JBSWY3DPEHPK3PXP")])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompts, ["Password: ", "Authenticator app code: "])

    def test_client_with_a_secret(self):
        s = self.stack(client_id=SECRET_ONLY, client_secret=SECRET,
                       first_factors=CODE_AND_SRP)
        self.assertEqual(s.run("alice", [ALICE_PW]).code, "PAM_SUCCESS")
        r = s.run("bob", ["", "y", self.code("bob")])
        self.assertEqual(r.code, "PAM_SUCCESS", r)

    def test_user_without_a_password(self):
        s = self.stack(first_factors=CODE_AND_SRP)
        r = s.run("nopass", ["Some-Passw0rd!"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertIn("Your account cannot sign in with a password; press Enter at the "
                      "password prompt for a one-time code.", r.errors)
        self.assertTrue(any("AvailableChallenges: EMAIL_OTP" in l for l in r.syslog), r.syslog)
        r = s.run("nopass", ["", "", self.code("nopass")])
        self.assertEqual(r.code, "PAM_SUCCESS", r)

    # ---- one-time codes ----

    def test_email_code(self):
        s = self.stack(first_factors=CODE_AND_SRP)
        self.emu.control("ResetStats")
        r = s.run("bob", ["", "", self.code("bob")])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompt_styles, [("echo_off", PW_CODE), ("echo_on", ASK_EMAIL),
                                           ("echo_on", "Email code: ")])
        self.assertIn("A code was sent to b***@e***.", r.infos)
        # InitiateAuth (the choice), SELECT_CHALLENGE (sends), EMAIL_OTP
        self.assertEqual((self.calls("InitiateAuth"), self.calls("RespondToAuthChallenge")),
                         (1, 2))

    def test_sms_code_chosen_of_two(self):
        s = self.stack(first_factors=CODE_AND_SRP)
        r = s.run("alice", ["", "2", self.code("alice")])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompts, [PW_CODE, ASK_WHICH, "SMS code: "])
        self.assertIn("A code was sent to +*******0101.", r.infos)
        self.assertEqual(self.emu.control("GetLastCode", Username="alice", UserPoolId=CHOICE)["Medium"], "SMS")

    def test_codes_only_host_asks_no_password(self):
        s = self.stack(first_factors=["EMAIL_OTP"])
        r = s.run("bob", ["y", self.code("bob")])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompts, [ASK_EMAIL, "Email code: "])

    def test_factor_the_host_does_not_accept_is_never_offered(self):
        # alice has email and phone; the host takes email codes only
        s = self.stack(first_factors=["PASSWORD_SRP", "EMAIL_OTP"])
        r = s.run("alice", ["", "", self.code("alice")])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.prompts, [PW_CODE, ASK_EMAIL, "Email code: "])
        # smsonly has a phone only: nothing the host accepts, nothing sent
        self.emu.control("ResetStats")
        r = s.run("smsonly", [""])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertIn("No one-time code can be sent to your account here.", r.errors)
        self.assertEqual(self.calls("RespondToAuthChallenge"), 0)
        self.assertTrue(any("AvailableChallenges: PASSWORD, PASSWORD_SRP, SMS_OTP" in l
                            for l in r.syslog), r.syslog)

    def test_declined_code_sends_nothing(self):
        s = self.stack(first_factors=CODE_AND_SRP)
        self.emu.control("ResetStats")
        r = s.run("bob", ["", "n"])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertIn("No code was sent.", r.errors)
        self.assertEqual(self.calls("RespondToAuthChallenge"), 0)

    def test_wrong_code_asked_again_in_cognitos_words(self):
        s = self.stack(first_factors=CODE_AND_SRP)

        def wrong(*_):
            return "000000" if self.emu.last_code("bob", CHOICE) != "000000" \
                else "111111"
        r = s.run("bob", ["", "", wrong, self.code("bob")])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("Invalid code or auth state for the user.", r.errors)
        self.assertEqual(r.prompts.count("Email code: "), 2)
        # max_attempts wrong codes end the login
        r = s.run("bob", ["", "", wrong, wrong, wrong, wrong])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.prompts.count("Email code: "), 3)

    def test_expired_code_brings_a_new_one(self):
        s = self.stack(first_factors=CODE_AND_SRP)
        self.emu.control("SetOptions", CodeTtlSeconds=0)
        first = {}

        def expired(*_):
            self.emu.control("SetOptions", CodeTtlSeconds=180)
            first["code"] = self.emu.last_code("bob", CHOICE)
            return first["code"]
        self.emu.control("ResetStats")
        r = s.run("bob", ["", "", expired, self.code("bob")])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertIn("Invalid code provided, please request a code again.", r.errors)
        self.assertEqual(r.infos.count("A code was sent to b***@e***."), 2)
        # the new code came from an InitiateAuth that named EMAIL_OTP
        self.assertEqual(self.calls("InitiateAuth"), 2)

    def test_dead_session_brings_a_new_code(self):
        # After MaxCodeAttempts wrong codes Cognito takes the session no
        # more (NotAuthorizedException "Invalid session for the user."):
        # the person is told so and a new code is sent and asked for.
        s = self.stack(first_factors=CODE_AND_SRP)
        self.emu.control("SetOptions", MaxCodeAttempts=1)
        self.emu.control("ResetStats")
        r = s.run("bob", ["", "", "000000", self.code("bob"), self.code("bob")])
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(r.errors, ["Invalid code or auth state for the user.",
                                    "Invalid session for the user."], r)
        self.assertEqual(r.infos.count("A code was sent to b***@e***."), 2)
        self.assertEqual(r.prompts.count("Email code: "), 3)
        self.assertEqual(self.calls("InitiateAuth"), 2)

    def test_other_refusal_of_a_code_ends_the_login(self):
        # Only the error table's spent-session row brings a new code: a
        # NotAuthorizedException it does not know as one (whatever its words
        # say) is a no, and no code is sent again.
        s = self.stack(first_factors=CODE_AND_SRP)

        def refused(*_):
            self.emu.control("SetFault", Operation="RespondToAuthChallenge", Kind="error",
                             ErrorType="NotAuthorizedException",
                             Message="The sign-in session was refused.", Count=1)
            return self.emu.last_code("bob", CHOICE)
        self.emu.control("ResetStats")
        r = s.run("bob", ["", "", refused, self.code("bob")])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.prompts.count("Email code: "), 1)
        self.assertEqual(self.calls("InitiateAuth"), 1)

    def test_resend_limit(self):
        s = self.stack(first_factors=CODE_AND_SRP)
        self.emu.control("SetOptions", OtpSendLimit=1)
        self.emu.idp("InitiateAuth", AuthFlow="USER_AUTH", ClientId=ONLY,
                     AuthParameters={"USERNAME": "bob", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
        r = s.run("bob", ["", ""])
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertEqual(r.errors, ["Too many codes were sent to you; wait a while before "
                                    "asking for another."])
        self.assertTrue(any("resend limit" in l for l in r.syslog), r.syslog)

    def test_conversation_without_visible_prompts_sends_no_code(self):
        # sshd's PasswordAuthentication answers echo-off prompts only
        s = self.stack(first_factors=CODE_AND_SRP)
        self.emu.control("ResetStats")
        r = s.run("bob", ["", "@FAIL"])
        self.assertEqual(r.code, "PAM_CONV_ERR", r)
        self.assertTrue(any("keyboard-interactive" in e for e in r.errors), r.errors)
        self.assertTrue(any("no code was sent" in l for l in r.syslog), r.syslog)
        self.assertEqual(self.calls("RespondToAuthChallenge"), 0)


class CodeLoginOfflineTest(CacheTest):
    """A code login keeps no offline verifier and never logs in offline."""

    def test_no_offline_from_a_code(self):
        ensure_user("bob")
        s = Stack(base_config(self.emu, **choice(cache_dir=self.cache, offline_days=7,
                                                 first_factors=CODE_AND_SRP)))
        self.stacks.append(s)
        r = s.run("bob", ["", "", lambda *_: self.emu.last_code("bob", CHOICE)],
                  stages=("auth", "acct"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS", "PAM_SUCCESS"], r)
        record = os.path.join(self.cache, ".private", "bob", "offline.json")
        self.assertFalse(os.path.exists(record))
        # the password login keeps one, as with any other flow
        r = s.run("bob", [BOB_PW], stages=("auth", "acct"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS", "PAM_SUCCESS"], r)
        self.assertTrue(os.path.exists(record))
        # Cognito down: an empty password (a code) is never an offline login
        down = Stack(base_config(self.emu, **choice(
            cache_dir=self.cache, offline_days=7, first_factors=CODE_AND_SRP,
            idp_endpoint="http://127.0.0.1:9/", identity_endpoint="http://127.0.0.1:9/")))
        self.stacks.append(down)
        r = down.run("bob", [""])
        self.assertNotEqual(r.code, "PAM_SUCCESS", r)
        # Not even tried: a failed try would log "offline authentication
        # failure;" and answer PAM_AUTH_ERR instead of the outage.
        self.assertEqual(r.code, "PAM_AUTHINFO_UNAVAIL", r)
        self.assertFalse(any("offline authentication" in l for l in r.syslog), r.syslog)


def _fixture_with_devices_and_identities():
    """The default fixture, with the ChoicePool tracking devices and known
    to the identity pool (as the main pool is)."""
    from control import default_fixture
    fixture = default_fixture()
    for pool in fixture["UserPools"]:
        if pool["Id"] == CHOICE:
            pool["DeviceConfiguration"] = {"ChallengeRequiredOnNewDevice": True,
                                           "DeviceOnlyRememberedOnUserPrompt": False}
    provider = "cognito-idp.us-east-1.amazonaws.com/" + CHOICE
    fixture["IdentityPools"][0]["CognitoIdentityProviders"].append(
        {"ProviderName": provider, "ClientId": ONLY})
    return fixture


class CodeLoginLikeAnyOtherTest(CacheTest):
    """After a code, the rest is any login's: the access rules, AWS
    credentials, this host as a remembered device, revoke_on_logout."""

    @classmethod
    def setUpClass(cls):
        from pamrun import Emulator
        cls.alice = ensure_user("alice")
        cls.bob = ensure_user("bob")
        cls.emu = Emulator(fixture=_fixture_with_devices_and_identities()).start()

    def stack(self, **over):
        from pamrun import IDENTITY_POOL
        keys = choice(cache_dir=self.cache, first_factors=CODE_AND_SRP,
                      identity_pool_id=IDENTITY_POOL)
        keys.update(over)
        s = Stack(base_config(self.emu, **keys))
        self.stacks.append(s)
        return s

    def code_login(self, s, user="bob", stages=("auth",)):
        return s.run(user, ["", "", lambda *_: self.emu.last_code(user, CHOICE)], stages=stages)

    def test_access_rules(self):
        s = self.stack(allowed_users=["alice"])
        r = self.code_login(s)
        self.assertEqual(r.code, "PAM_AUTH_ERR", r)
        self.assertTrue(any("allowed_users" in l for l in r.syslog), r.syslog)

    def test_credentials_device_and_logout(self):
        s = self.stack(revoke_on_logout=True)
        r = self.code_login(s, stages=("auth", "acct", "setcred", "open", "close"))
        self.assertEqual(r.codes(), ["PAM_SUCCESS"] * 5, r)
        self.assertIn("AWS_ACCESS_KEY_ID", r.env)
        self.assertEqual(self.calls("ConfirmDevice"), 1)
        self.assertEqual(self.calls("RevokeToken"), 1)
        # the next code login proves the device (DEVICE_SRP_AUTH), no new one:
        # SELECT_CHALLENGE, EMAIL_OTP, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER
        self.emu.control("ResetStats")
        r = self.code_login(s)
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual((self.calls("RespondToAuthChallenge"), self.calls("ConfirmDevice")),
                         (4, 0))
        devices = self.emu.control("GetUserState", UserPoolId=CHOICE, Username="bob")["Devices"]
        self.assertEqual(len(devices), 1, devices)
