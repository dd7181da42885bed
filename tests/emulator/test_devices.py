"""Device tracking, refresh bound to a device, refresh-token rotation and
revocation of device-issued tokens, over HTTP only.

Run: python3 -m unittest discover -s tests/emulator -p 'test_*.py'
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from test_emulator import EmulatorCase, POOL, PUBLIC, jwt_claims  # noqa: E402
from srp_client import SrpClient, device_secret, secret_hash  # noqa: E402

DEV_POOL = "us-east-1_DevAlways"
DEV_CLIENT = "devicesclient000000000000001"
DEV_SECRET_CLIENT = "devicessecret000000000000001"
DEV_SECRET = "d3v1ces_client_secret_for_tests_0123456789"
DEV_ROTATION = "devicesrotation0000000000001"
ROTATION = "rotationclient00000000000001"
ROTATION_SECRET_CLIENT = "rotationsecret00000000000001"
ROTATION_SECRET = "r0tat1ng_client_secret_for_tests_0123456789"
SMS_USER, SMS_PASSWORD = "devsms", "DevSms-Passw0rd1!"
PLAIN_USER, PLAIN_PASSWORD = "devplain", "DevPlain-Passw0rd1!"
NO_DEVICE = "Device does not exist."


class DeviceCase(EmulatorCase):
    """Sign-ins against the device pool, with or without a device."""

    def password_step(self, user, password, device_key=None, client=DEV_CLIENT, secret=None,
                      key_in_initiate=False):
        c = SrpClient(DEV_POOL)
        params = {"USERNAME": user, "SRP_A": c.srp_a()}
        if key_in_initiate and device_key:
            params["DEVICE_KEY"] = device_key
        if secret:
            params["SECRET_HASH"] = secret_hash(secret, user, client)
        r = self.emu.idp("InitiateAuth", AuthFlow="USER_SRP_AUTH", ClientId=client,
                         AuthParameters=params)
        answers = c.answer(r["ChallengeParameters"], password)
        if device_key and not key_in_initiate:
            answers["DEVICE_KEY"] = device_key
        if secret:
            answers["SECRET_HASH"] = secret_hash(secret, answers["USERNAME"], client)
        return self.emu.idp("RespondToAuthChallenge", ChallengeName="PASSWORD_VERIFIER",
                            ClientId=client, ChallengeResponses=answers)

    def sms(self, r, user=SMS_USER, client=DEV_CLIENT):
        self.assertEqual(r["ChallengeName"], "SMS_MFA")
        code = self.code(user, DEV_POOL)
        return self.answer("SMS_MFA", r["Session"], user, client=client, SMS_MFA_CODE=code)

    def first_login(self, user=SMS_USER, password=SMS_PASSWORD, client=DEV_CLIENT):
        """Password (+ SMS) from a new device: tokens and NewDeviceMetadata."""
        r = self.password_step(user, password, client=client)
        if user == SMS_USER:
            r = self.sms(r, user, client)
        return r["AuthenticationResult"]

    def remember(self, user=SMS_USER, password=SMS_PASSWORD, client=DEV_CLIENT):
        """A confirmed device: (result, device key, group key, device password)."""
        result = self.first_login(user, password, client)
        meta = result["NewDeviceMetadata"]
        dev_password, config = device_secret(meta["DeviceGroupKey"], meta["DeviceKey"])
        confirmed = self.emu.idp("ConfirmDevice", AccessToken=result["AccessToken"],
                                 DeviceKey=meta["DeviceKey"],
                                 DeviceSecretVerifierConfig=config, DeviceName="host-a")
        return result, meta["DeviceKey"], meta["DeviceGroupKey"], dev_password, confirmed

    def device_srp(self, r, user, key, group, dev_password, client=DEV_CLIENT, stamp=None):
        self.assertEqual(r["ChallengeName"], "DEVICE_SRP_AUTH")
        d = SrpClient(DEV_POOL, device_group=group)
        r = self.answer("DEVICE_SRP_AUTH", r["Session"], user, client=client, DEVICE_KEY=key,
                        SRP_A=d.srp_a())
        self.assertEqual(r["ChallengeName"], "DEVICE_PASSWORD_VERIFIER")
        answers = d.device_answer(r["ChallengeParameters"], dev_password, user, stamp=stamp)
        return r, self.emu.idp("RespondToAuthChallenge", ChallengeName="DEVICE_PASSWORD_VERIFIER",
                               ClientId=client, Session=r["Session"], ChallengeResponses=answers)


class NewDeviceTest(DeviceCase):
    def test_new_device_metadata_after_mfa(self):
        result = self.first_login()
        meta = result["NewDeviceMetadata"]
        self.assertRegex(meta["DeviceKey"],
                         r"^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$")
        self.assertRegex(meta["DeviceGroupKey"], r"^-[A-Za-z0-9]{8}$")
        self.assertIn("RefreshToken", result)
        again = self.first_login()["NewDeviceMetadata"]
        self.assertNotEqual(again["DeviceKey"], meta["DeviceKey"])

    def test_no_metadata_in_a_pool_without_tracking(self):
        r = self.srp_login("alice", "Alice-Passw0rd!")
        self.assertNotIn("NewDeviceMetadata", r["AuthenticationResult"])
        self.emu.control("SetDeviceConfiguration", UserPoolId=POOL,
                         DeviceConfiguration={"ChallengeRequiredOnNewDevice": True,
                                              "DeviceOnlyRememberedOnUserPrompt": True})
        r = self.srp_login("alice", "Alice-Passw0rd!")
        self.assertIn("NewDeviceMetadata", r["AuthenticationResult"])

    def test_confirm_device_always_remembers(self):
        _, key, group, _, confirmed = self.remember()
        self.assertEqual(confirmed, {"UserConfirmationNecessary": False})
        state = self.emu.control("GetUserState", UserPoolId=DEV_POOL, Username=SMS_USER)
        self.assertEqual(state["Devices"], [{"DeviceKey": key, "DeviceGroupKey": group,
                                             "Confirmed": True, "Remembered": True,
                                             "DeviceName": "host-a"}])

    def test_confirm_device_errors(self):
        result = self.first_login()
        key = result["NewDeviceMetadata"]["DeviceKey"]
        _, config = device_secret(result["NewDeviceMetadata"]["DeviceGroupKey"], key)
        self.assertError("ResourceNotFoundException", self.emu.idp, "ConfirmDevice",
                         AccessToken=result["AccessToken"],
                         DeviceKey="us-east-1_00000000-0000-4000-8000-000000000000",
                         DeviceSecretVerifierConfig=config, message=NO_DEVICE)
        self.assertError("InvalidParameterException", self.emu.idp, "ConfirmDevice",
                         AccessToken=result["AccessToken"], DeviceKey="not a key",
                         DeviceSecretVerifierConfig=config)
        self.assertError("InvalidParameterException", self.emu.idp, "ConfirmDevice",
                         AccessToken=result["AccessToken"], DeviceKey=key,
                         DeviceSecretVerifierConfig={"Salt": config["Salt"]})
        self.assertError("NotAuthorizedException", self.emu.idp, "ConfirmDevice",
                         AccessToken="x.y.z", DeviceKey=key, DeviceSecretVerifierConfig=config)
        other = self.first_login(PLAIN_USER, PLAIN_PASSWORD)
        self.assertError("ResourceNotFoundException", self.emu.idp, "ConfirmDevice",
                         AccessToken=other["AccessToken"], DeviceKey=key,
                         DeviceSecretVerifierConfig=config, message=NO_DEVICE)
        self.emu.idp("ConfirmDevice", AccessToken=result["AccessToken"], DeviceKey=key,
                     DeviceSecretVerifierConfig=config)
        self.assertError("DeviceKeyExistsException", self.emu.idp, "ConfirmDevice",
                         AccessToken=result["AccessToken"], DeviceKey=key,
                         DeviceSecretVerifierConfig=config)


class RememberedDeviceTest(DeviceCase):
    def test_remembered_device_skips_mfa_with_device_srp(self):
        _, key, group, dev_password, _ = self.remember()
        sent = self.emu.control("GetLastCode", UserPoolId=DEV_POOL, Username=SMS_USER)
        r = self.password_step(SMS_USER, SMS_PASSWORD, key)
        self.assertEqual(r["ChallengeName"], "DEVICE_SRP_AUTH")
        self.assertTrue(r["Session"])
        challenge, done = self.device_srp(r, SMS_USER, key, group, dev_password)
        params = challenge["ChallengeParameters"]
        self.assertEqual(params["DEVICE_KEY"], key)
        self.assertEqual(params["USERNAME"], SMS_USER)
        self.assertRegex(params["SRP_B"], r"^[0-9a-f]+$")
        self.assertRegex(params["SALT"], r"^[0-9a-f]+$")
        result = done["AuthenticationResult"]
        self.assertNotIn("NewDeviceMetadata", result)
        self.assertEqual(jwt_claims(result["IdToken"])["cognito:username"], SMS_USER)
        # no new code was sent: MFA really was skipped
        self.assertEqual(self.emu.control("GetLastCode", UserPoolId=DEV_POOL,
                                          Username=SMS_USER)["Time"], sent["Time"])

    def test_device_key_in_initiate_auth_works_too(self):
        _, key, group, dev_password, _ = self.remember()
        r = self.password_step(SMS_USER, SMS_PASSWORD, key, key_in_initiate=True)
        _, done = self.device_srp(r, SMS_USER, key, group, dev_password)
        self.assertIn("AccessToken", done["AuthenticationResult"])

    def test_wrong_device_password_is_refused(self):
        _, key, group, _, _ = self.remember()
        r = self.password_step(SMS_USER, SMS_PASSWORD, key)
        self.assertError("NotAuthorizedException", self.device_srp, r, SMS_USER, key, group,
                         "not-the-device-password", message="Incorrect username or password.")

    def test_device_srp_with_another_key_is_refused(self):
        _, key, group, dev_password, _ = self.remember()
        other = self.remember()[1]
        r = self.password_step(SMS_USER, SMS_PASSWORD, key)
        d = SrpClient(DEV_POOL, device_group=group)
        self.assertError("NotAuthorizedException", self.answer, "DEVICE_SRP_AUTH", r["Session"],
                         SMS_USER, client=DEV_CLIENT, DEVICE_KEY=other, SRP_A=d.srp_a(),
                         message="Invalid device key given.")

    def test_stale_timestamp_is_refused(self):
        _, key, group, dev_password, _ = self.remember()
        r = self.password_step(SMS_USER, SMS_PASSWORD, key)
        self.assertError("NotAuthorizedException", self.device_srp, r, SMS_USER, key, group,
                         dev_password, stamp="Mon Jan 1 00:00:00 UTC 2001")

    def test_user_opt_in_needs_update_device_status(self):
        self.emu.control("SetDeviceConfiguration", UserPoolId=DEV_POOL,
                         DeviceConfiguration={"ChallengeRequiredOnNewDevice": True,
                                              "DeviceOnlyRememberedOnUserPrompt": True})
        result, key, group, dev_password, confirmed = self.remember()
        self.assertEqual(confirmed, {"UserConfirmationNecessary": True})
        self.assertEqual(self.emu.idp("ListDevices", AccessToken=result["AccessToken"]),
                         {"Devices": []})
        self.assertError("ResourceNotFoundException", self.emu.idp, "GetDevice",
                         AccessToken=result["AccessToken"], DeviceKey=key, message=NO_DEVICE)
        # confirmed, not remembered: MFA, then the device proves itself
        r = self.sms(self.password_step(SMS_USER, SMS_PASSWORD, key))
        _, done = self.device_srp(r, SMS_USER, key, group, dev_password)
        self.assertNotIn("NewDeviceMetadata", done["AuthenticationResult"])
        self.assertEqual(self.emu.idp("UpdateDeviceStatus", AccessToken=result["AccessToken"],
                                      DeviceKey=key, DeviceRememberedStatus="remembered"), {})
        r = self.password_step(SMS_USER, SMS_PASSWORD, key)
        self.assertEqual(r["ChallengeName"], "DEVICE_SRP_AUTH")
        self.emu.idp("UpdateDeviceStatus", AccessToken=result["AccessToken"], DeviceKey=key,
                     DeviceRememberedStatus="not_remembered")
        self.assertEqual(self.password_step(SMS_USER, SMS_PASSWORD, key)["ChallengeName"],
                         "SMS_MFA")
        self.assertError("InvalidParameterException", self.emu.idp, "UpdateDeviceStatus",
                         AccessToken=result["AccessToken"], DeviceKey=key,
                         DeviceRememberedStatus="forever")

    def test_challenge_required_false_keeps_mfa_for_remembered_devices(self):
        _, key, group, dev_password, _ = self.remember()
        self.emu.control("SetDeviceConfiguration", UserPoolId=DEV_POOL,
                         DeviceConfiguration={"ChallengeRequiredOnNewDevice": False,
                                              "DeviceOnlyRememberedOnUserPrompt": False})
        r = self.sms(self.password_step(SMS_USER, SMS_PASSWORD, key))
        _, done = self.device_srp(r, SMS_USER, key, group, dev_password)
        self.assertIn("AccessToken", done["AuthenticationResult"])

    def test_user_without_mfa_does_device_srp(self):
        _, key, group, dev_password, _ = self.remember(PLAIN_USER, PLAIN_PASSWORD)
        r = self.password_step(PLAIN_USER, PLAIN_PASSWORD, key)
        _, done = self.device_srp(r, PLAIN_USER, key, group, dev_password)
        self.assertIn("AccessToken", done["AuthenticationResult"])

    def test_secret_client_device_flow(self):
        r = self.password_step(PLAIN_USER, PLAIN_PASSWORD, client=DEV_SECRET_CLIENT,
                               secret=DEV_SECRET)
        meta = r["AuthenticationResult"]["NewDeviceMetadata"]
        dev_password, config = device_secret(meta["DeviceGroupKey"], meta["DeviceKey"])
        self.emu.idp("ConfirmDevice", AccessToken=r["AuthenticationResult"]["AccessToken"],
                     DeviceKey=meta["DeviceKey"], DeviceSecretVerifierConfig=config)
        r = self.password_step(PLAIN_USER, PLAIN_PASSWORD, meta["DeviceKey"],
                               client=DEV_SECRET_CLIENT, secret=DEV_SECRET)
        d = SrpClient(DEV_POOL, device_group=meta["DeviceGroupKey"])
        base = {"USERNAME": PLAIN_USER, "DEVICE_KEY": meta["DeviceKey"], "SRP_A": d.srp_a()}
        self.assertError("NotAuthorizedException", self.emu.idp, "RespondToAuthChallenge",
                         ChallengeName="DEVICE_SRP_AUTH", ClientId=DEV_SECRET_CLIENT,
                         Session=r["Session"], ChallengeResponses=base)
        base["SECRET_HASH"] = secret_hash(DEV_SECRET, PLAIN_USER, DEV_SECRET_CLIENT)
        r = self.emu.idp("RespondToAuthChallenge", ChallengeName="DEVICE_SRP_AUTH",
                         ClientId=DEV_SECRET_CLIENT, Session=r["Session"],
                         ChallengeResponses=base)
        answers = d.device_answer(r["ChallengeParameters"], dev_password, PLAIN_USER)
        answers["SECRET_HASH"] = base["SECRET_HASH"]
        done = self.emu.idp("RespondToAuthChallenge", ChallengeName="DEVICE_PASSWORD_VERIFIER",
                            ClientId=DEV_SECRET_CLIENT, Session=r["Session"],
                            ChallengeResponses=answers)
        self.assertIn("AccessToken", done["AuthenticationResult"])

    def test_user_password_auth_with_a_remembered_device(self):
        _, key, group, dev_password, _ = self.remember()
        r = self.emu.idp("InitiateAuth", AuthFlow="USER_PASSWORD_AUTH", ClientId=DEV_CLIENT,
                         AuthParameters={"USERNAME": SMS_USER, "PASSWORD": SMS_PASSWORD,
                                         "DEVICE_KEY": key})
        _, done = self.device_srp(r, SMS_USER, key, group, dev_password)
        self.assertIn("AccessToken", done["AuthenticationResult"])


class UnknownDeviceTest(DeviceCase):
    def test_forgotten_device_does_not_exist_and_retry_without_it_works(self):
        result, key, _, _, _ = self.remember()
        self.assertEqual(self.emu.idp("ForgetDevice", AccessToken=result["AccessToken"],
                                      DeviceKey=key), {})
        # the official client sends the same PASSWORD_VERIFIER again without the key
        c = SrpClient(DEV_POOL)
        r = self.emu.idp("InitiateAuth", AuthFlow="USER_SRP_AUTH", ClientId=DEV_CLIENT,
                         AuthParameters={"USERNAME": SMS_USER, "SRP_A": c.srp_a()})
        answers = c.answer(r["ChallengeParameters"], SMS_PASSWORD)
        answers["DEVICE_KEY"] = key
        self.assertError("ResourceNotFoundException", self.emu.idp, "RespondToAuthChallenge",
                         ChallengeName="PASSWORD_VERIFIER", ClientId=DEV_CLIENT,
                         ChallengeResponses=answers, message=NO_DEVICE)
        answers["DEVICE_KEY"] = None
        r = self.emu.idp("RespondToAuthChallenge", ChallengeName="PASSWORD_VERIFIER",
                         ClientId=DEV_CLIENT, ChallengeResponses=answers)
        self.assertEqual(r["ChallengeName"], "SMS_MFA")
        self.assertIn("NewDeviceMetadata", self.sms(r)["AuthenticationResult"])

    def test_admin_forget_device_brings_mfa_back(self):
        _, key, _, _, _ = self.remember()
        self.assertEqual(self.emu.idp("AdminForgetDevice", UserPoolId=DEV_POOL,
                                      Username=SMS_USER, DeviceKey=key), {})
        self.assertError("ResourceNotFoundException", self.password_step, SMS_USER,
                         SMS_PASSWORD, key, message=NO_DEVICE)
        self.assertError("ResourceNotFoundException", self.emu.idp, "AdminForgetDevice",
                         UserPoolId=DEV_POOL, Username=SMS_USER, DeviceKey=key)
        self.assertEqual(self.password_step(SMS_USER, SMS_PASSWORD)["ChallengeName"], "SMS_MFA")

    def test_another_users_device_does_not_exist(self):
        _, key, _, _, _ = self.remember(PLAIN_USER, PLAIN_PASSWORD)
        self.assertError("ResourceNotFoundException", self.password_step, SMS_USER,
                         SMS_PASSWORD, key, message=NO_DEVICE)

    def test_unconfirmed_device_gets_a_new_key(self):
        key = self.first_login()["NewDeviceMetadata"]["DeviceKey"]
        r = self.sms(self.password_step(SMS_USER, SMS_PASSWORD, key))
        self.assertNotEqual(r["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"], key)


class DeviceApiTest(DeviceCase):
    def test_list_get_and_admin_calls(self):
        result, key, _, _, _ = self.remember()
        second = self.remember()[1]
        listed = self.emu.idp("ListDevices", AccessToken=result["AccessToken"])
        self.assertEqual([d["DeviceKey"] for d in listed["Devices"]], [key, second])
        one = self.emu.idp("ListDevices", AccessToken=result["AccessToken"], Limit=1)
        self.assertEqual([d["DeviceKey"] for d in one["Devices"]], [key])
        rest = self.emu.idp("ListDevices", AccessToken=result["AccessToken"], Limit=1,
                            PaginationToken=one["PaginationToken"])
        self.assertEqual([d["DeviceKey"] for d in rest["Devices"]], [second])
        self.assertNotIn("PaginationToken", rest)
        device = self.emu.idp("GetDevice", AccessToken=result["AccessToken"],
                              DeviceKey=key)["Device"]
        attrs = {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}
        self.assertEqual(attrs["device_name"], "host-a")
        self.assertEqual(attrs["dev:device_remembered_status"], "remembered")
        for field in ("DeviceCreateDate", "DeviceLastModifiedDate"):
            self.assertIsInstance(device[field], float)
        self.emu.idp("AdminUpdateDeviceStatus", UserPoolId=DEV_POOL, Username=SMS_USER,
                     DeviceKey=key, DeviceRememberedStatus="not_remembered")
        admin = self.emu.idp("AdminGetDevice", UserPoolId=DEV_POOL, Username=SMS_USER,
                             DeviceKey=key)["Device"]
        attrs = {a["Name"]: a["Value"] for a in admin["DeviceAttributes"]}
        self.assertEqual(attrs["dev:device_remembered_status"], "not_remembered")
        self.assertEqual(len(self.emu.idp("AdminListDevices", UserPoolId=DEV_POOL,
                                          Username=SMS_USER)["Devices"]), 2)
        self.assertEqual(len(self.emu.idp("ListDevices",
                                          AccessToken=result["AccessToken"])["Devices"]), 1)
        self.assertError("UserNotFoundException", self.emu.idp, "AdminListDevices",
                         UserPoolId=DEV_POOL, Username="nobody")
        self.assertError("InvalidParameterException", self.emu.idp, "ListDevices",
                         AccessToken=result["AccessToken"], Limit=61)

    def test_forget_device_by_key_alone(self):
        _, key, _, _, _ = self.remember()
        self.assertEqual(self.emu.idp("ForgetDevice", DeviceKey=key), {})
        self.assertError("ResourceNotFoundException", self.emu.idp, "ForgetDevice",
                         DeviceKey=key, message=NO_DEVICE)

    def test_device_configuration_control_checks_its_input(self):
        self.assertError("InvalidParameterException", self.emu.control, "SetDeviceConfiguration",
                         UserPoolId=DEV_POOL, DeviceConfiguration={"Always": True})
        off = self.emu.control("SetDeviceConfiguration", UserPoolId=DEV_POOL,
                               DeviceConfiguration=None)
        self.assertIsNone(off["DeviceConfiguration"])
        r = self.sms(self.password_step(SMS_USER, SMS_PASSWORD))
        self.assertNotIn("NewDeviceMetadata", r["AuthenticationResult"])


class DeviceRefreshTest(DeviceCase):
    def test_refresh_needs_the_device_key(self):
        result, key, _, _, _ = self.remember()
        refresh = result["RefreshToken"]
        other = self.remember()[1]
        for params in ({}, {"DEVICE_KEY": other}):
            params["REFRESH_TOKEN"] = refresh
            self.assertError("NotAuthorizedException", self.emu.idp, "InitiateAuth",
                             AuthFlow="REFRESH_TOKEN_AUTH", ClientId=DEV_CLIENT,
                             AuthParameters=params, message="Invalid Refresh Token.")
        fresh = self.emu.idp("InitiateAuth", AuthFlow="REFRESH_TOKEN_AUTH", ClientId=DEV_CLIENT,
                             AuthParameters={"REFRESH_TOKEN": refresh, "DEVICE_KEY": key})
        self.assertNotIn("RefreshToken", fresh["AuthenticationResult"])
        got = self.emu.idp("GetTokensFromRefreshToken", RefreshToken=refresh,
                           ClientId=DEV_CLIENT, DeviceKey=key)
        self.assertNotIn("RefreshToken", got["AuthenticationResult"])
        self.assertError("NotAuthorizedException", self.emu.idp, "GetTokensFromRefreshToken",
                         RefreshToken=refresh, ClientId=DEV_CLIENT,
                         message="Invalid Refresh Token.")

    def test_refresh_of_a_forgotten_device_fails(self):
        result, key, _, _, _ = self.remember()
        self.emu.idp("AdminForgetDevice", UserPoolId=DEV_POOL, Username=SMS_USER, DeviceKey=key)
        self.assertError("NotAuthorizedException", self.emu.idp, "InitiateAuth",
                         AuthFlow="REFRESH_TOKEN_AUTH", ClientId=DEV_CLIENT,
                         AuthParameters={"REFRESH_TOKEN": result["RefreshToken"],
                                         "DEVICE_KEY": key},
                         message="Invalid Refresh Token.")

    def test_unconfirmed_device_refreshes_with_its_key_only(self):
        # Issue 24: the key of NewDeviceMetadata serves without ConfirmDevice
        # (the developer guide), and is needed: without it, refused.
        unconfirmed = self.first_login()
        key = unconfirmed["NewDeviceMetadata"]["DeviceKey"]
        for call in ("InitiateAuth", "GetTokensFromRefreshToken"):
            bare = ({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": DEV_CLIENT,
                     "AuthParameters": {"REFRESH_TOKEN": unconfirmed["RefreshToken"]}}
                    if call == "InitiateAuth" else
                    {"RefreshToken": unconfirmed["RefreshToken"], "ClientId": DEV_CLIENT})
            self.assertError("NotAuthorizedException", self.emu.idp, call, **bare,
                             message="Invalid Refresh Token.")
        got = self.emu.idp("InitiateAuth", AuthFlow="REFRESH_TOKEN_AUTH", ClientId=DEV_CLIENT,
                           AuthParameters={"REFRESH_TOKEN": unconfirmed["RefreshToken"],
                                           "DEVICE_KEY": key})
        self.assertIn("IdToken", got["AuthenticationResult"])
        got = self.emu.idp("GetTokensFromRefreshToken", RefreshToken=unconfirmed["RefreshToken"],
                           ClientId=DEV_CLIENT, DeviceKey=key,
                           ClientMetadata={"host": "bastion"})
        self.assertIn("IdToken", got["AuthenticationResult"])
        log = self.emu.control("RefreshRequests")["Requests"]
        self.assertEqual([(r["Operation"], r["DeviceKey"]) for r in log],
                         [("REFRESH_TOKEN_AUTH", None), ("GetTokensFromRefreshToken", None),
                          ("REFRESH_TOKEN_AUTH", key), ("GetTokensFromRefreshToken", key)])
        self.assertEqual(log[-1]["ClientMetadata"], {"host": "bastion"})
        self.assertFalse(log[-1]["ClientSecretSent"])

    def test_revoke_token_of_a_device_sign_in(self):
        result, key, group, dev_password, _ = self.remember()
        r = self.password_step(SMS_USER, SMS_PASSWORD, key)
        done = self.device_srp(r, SMS_USER, key, group, dev_password)[1]["AuthenticationResult"]
        self.assertEqual(self.emu.idp("RevokeToken", Token=done["RefreshToken"],
                                      ClientId=DEV_CLIENT), {})
        self.assertError("NotAuthorizedException", self.emu.idp, "InitiateAuth",
                         AuthFlow="REFRESH_TOKEN_AUTH", ClientId=DEV_CLIENT,
                         AuthParameters={"REFRESH_TOKEN": done["RefreshToken"],
                                         "DEVICE_KEY": key},
                         message="Refresh Token has been revoked")
        self.assertError("NotAuthorizedException", self.emu.idp, "GetUser",
                         AccessToken=done["AccessToken"], message="Access Token has been revoked")
        # the first sign-in from the same device is untouched
        self.emu.idp("InitiateAuth", AuthFlow="REFRESH_TOKEN_AUTH", ClientId=DEV_CLIENT,
                     AuthParameters={"REFRESH_TOKEN": result["RefreshToken"], "DEVICE_KEY": key})


class RotationTest(DeviceCase):
    def login(self, client=ROTATION, secret=None):
        params = {"USERNAME": "alice", "PASSWORD": "Alice-Passw0rd!"}
        if secret:
            params["SECRET_HASH"] = secret_hash(secret, "alice", client)
        return self.emu.idp("InitiateAuth", AuthFlow="USER_PASSWORD_AUTH", ClientId=client,
                            AuthParameters=params)["AuthenticationResult"]

    def test_refresh_token_auth_is_refused_with_rotation(self):
        refresh = self.login()["RefreshToken"]
        self.assertError("InvalidParameterException", self.emu.idp, "InitiateAuth",
                         AuthFlow="REFRESH_TOKEN_AUTH", ClientId=ROTATION,
                         AuthParameters={"REFRESH_TOKEN": refresh},
                         message="REFRESH_TOKEN_AUTH flow not enabled for this client")

    def test_rotation_returns_a_new_token_and_retires_the_old(self):
        first = self.login()
        old = first["RefreshToken"]
        got = self.emu.idp("GetTokensFromRefreshToken", RefreshToken=old,
                           ClientId=ROTATION)["AuthenticationResult"]
        new = got["RefreshToken"]
        self.assertNotEqual(new, old)
        self.assertEqual(jwt_claims(got["IdToken"])["auth_time"],
                         jwt_claims(first["IdToken"])["auth_time"])
        # within the 10 s grace the old one still works; after it, reuse is refused
        self.emu.idp("GetTokensFromRefreshToken", RefreshToken=old, ClientId=ROTATION)
        self.emu.control("AdvanceClock", Seconds=11)
        self.assertError("RefreshTokenReuseException", self.emu.idp,
                         "GetTokensFromRefreshToken", RefreshToken=old, ClientId=ROTATION)
        newer = self.emu.idp("GetTokensFromRefreshToken", RefreshToken=new,
                             ClientId=ROTATION)["AuthenticationResult"]["RefreshToken"]
        self.assertNotEqual(newer, new)

    def test_rotated_token_lives_as_long_as_the_one_it_replaced(self):
        self.emu.control("SetOptions", RefreshTokenTtlSeconds=3600)
        old = self.login()["RefreshToken"]
        self.emu.control("AdvanceClock", Seconds=3000)
        new = self.emu.idp("GetTokensFromRefreshToken", RefreshToken=old,
                           ClientId=ROTATION)["AuthenticationResult"]["RefreshToken"]
        self.emu.control("AdvanceClock", Seconds=500)
        newer = self.emu.idp("GetTokensFromRefreshToken", RefreshToken=new,
                             ClientId=ROTATION)["AuthenticationResult"]["RefreshToken"]
        self.emu.control("AdvanceClock", Seconds=101)   # 3601 s after the sign-in
        self.assertError("NotAuthorizedException", self.emu.idp,
                         "GetTokensFromRefreshToken", RefreshToken=newer, ClientId=ROTATION,
                         message="Refresh Token has expired")

    def test_refused_refresh_token_auth_is_logged(self):
        refresh = self.login()["RefreshToken"]
        with self.assertRaises(Exception):
            self.emu.idp("InitiateAuth", AuthFlow="REFRESH_TOKEN_AUTH", ClientId=ROTATION,
                         AuthParameters={"REFRESH_TOKEN": refresh})
        log = self.emu.control("RefreshRequests")["Requests"]
        self.assertEqual([(r["Operation"], r["ClientId"]) for r in log],
                         [("REFRESH_TOKEN_AUTH", ROTATION)])

    def test_zero_grace_retires_at_once(self):
        self.emu.control("SetRefreshTokenRotation", ClientId=ROTATION,
                         RefreshTokenRotation={"Feature": "ENABLED",
                                               "RetryGracePeriodSeconds": 0})
        old = self.login()["RefreshToken"]
        self.emu.idp("GetTokensFromRefreshToken", RefreshToken=old, ClientId=ROTATION)
        self.assertError("RefreshTokenReuseException", self.emu.idp,
                         "GetTokensFromRefreshToken", RefreshToken=old, ClientId=ROTATION)
        self.assertError("InvalidParameterException", self.emu.control,
                         "SetRefreshTokenRotation", ClientId=ROTATION,
                         RefreshTokenRotation={"Feature": "ENABLED",
                                               "RetryGracePeriodSeconds": 61})

    def test_client_secret(self):
        old = self.login(ROTATION_SECRET_CLIENT, ROTATION_SECRET)["RefreshToken"]
        self.assertError("NotAuthorizedException", self.emu.idp, "GetTokensFromRefreshToken",
                         RefreshToken=old, ClientId=ROTATION_SECRET_CLIENT)
        self.assertError("NotAuthorizedException", self.emu.idp, "GetTokensFromRefreshToken",
                         RefreshToken=old, ClientId=ROTATION_SECRET_CLIENT,
                         ClientSecret="wrong")
        got = self.emu.idp("GetTokensFromRefreshToken", RefreshToken=old,
                           ClientId=ROTATION_SECRET_CLIENT, ClientSecret=ROTATION_SECRET)
        self.assertIn("RefreshToken", got["AuthenticationResult"])
        self.assertError("ResourceNotFoundException", self.emu.idp, "GetTokensFromRefreshToken",
                         RefreshToken=old, ClientId="nosuchclient0000000000000001")

    def test_without_rotation_no_new_refresh_token(self):
        first = self.tokens()
        got = self.emu.idp("GetTokensFromRefreshToken", RefreshToken=first["RefreshToken"],
                           ClientId=PUBLIC)["AuthenticationResult"]
        self.assertNotIn("RefreshToken", got)
        self.assertIn("IdToken", got)

    def test_rotation_under_device_tracking(self):
        result, key, _, _, _ = self.remember(client=DEV_ROTATION)
        old = result["RefreshToken"]
        self.assertError("NotAuthorizedException", self.emu.idp, "GetTokensFromRefreshToken",
                         RefreshToken=old, ClientId=DEV_ROTATION,
                         message="Invalid Refresh Token.")
        new = self.emu.idp("GetTokensFromRefreshToken", RefreshToken=old, ClientId=DEV_ROTATION,
                           DeviceKey=key)["AuthenticationResult"]["RefreshToken"]
        self.emu.idp("GetTokensFromRefreshToken", RefreshToken=new, ClientId=DEV_ROTATION,
                     DeviceKey=key)

    def test_revoke_covers_the_rotated_tokens(self):
        old = self.login()["RefreshToken"]
        new = self.emu.idp("GetTokensFromRefreshToken", RefreshToken=old,
                           ClientId=ROTATION)["AuthenticationResult"]["RefreshToken"]
        self.emu.idp("RevokeToken", Token=new, ClientId=ROTATION)
        for token in (old, new):
            self.assertError("NotAuthorizedException", self.emu.idp,
                             "GetTokensFromRefreshToken", RefreshToken=token, ClientId=ROTATION,
                             message="Refresh Token has been revoked")


if __name__ == "__main__":
    unittest.main()
