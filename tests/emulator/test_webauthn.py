"""Passkeys in the emulator: registration (Start/Complete), list, delete and
the WEB_AUTHN first factor, each relying-party check refusing an answer that
is wrong in that one respect. The client side is the test software key
(tests/fido/softkey.py, ES256 through openssl).

Run: python3 tests/pyrunner.py tests/emulator test_webauthn.py
"""

import base64
import hashlib
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "fido"))

import cbor  # noqa: E402
import softkey  # noqa: E402
from test_emulator import EmulatorCase  # noqa: E402

POOL = "us-east-1_PasskeyPool"
CLIENT = "passkeyclient000000000000001"
RP = "auth.example.com"
PASSWORDS = {"alice": "Alice-Passkey1!", "bob": "Bob-Passkey1!"}


def b64u(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64u(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def client_data(kind, challenge, origin="https://" + RP):
    return json.dumps({"type": kind, "challenge": challenge, "origin": origin,
                       "crossOrigin": False}).encode()


class PasskeyCase(EmulatorCase):
    def setUp(self):
        super().setUp()
        self.key = softkey.SoftKey()

    def access(self, user="alice"):
        r = self.emu.idp("InitiateAuth", AuthFlow="USER_AUTH", ClientId=CLIENT,
                         AuthParameters={"USERNAME": user, "PREFERRED_CHALLENGE": "PASSWORD",
                                         "PASSWORD": PASSWORDS[user]})
        return r["AuthenticationResult"]["AccessToken"]

    def registration(self, token, fmt="packed", **change):
        """A RegistrationResponseJSON for the options Start gives."""
        opts = self.emu.idp("StartWebAuthnRegistration",
                            AccessToken=token)["CredentialCreationOptions"]
        cd = client_data(change.pop("kind", "webauthn.create"),
                         change.pop("challenge", opts["challenge"]),
                         change.pop("origin", "https://" + opts["rp"]["id"]))
        rp = change.pop("rp", opts["rp"]["id"])
        cred, _, att = self.key.make_credential(rp, hashlib.sha256(cd).digest(),
                                                unb64u(opts["user"]["id"]),
                                                opts["user"]["name"], uv=True, fmt=fmt)
        cred.rp_id = opts["rp"]["id"]
        return opts, {"id": b64u(cred.id), "rawId": b64u(cred.id), "type": "public-key",
                      "response": {"clientDataJSON": b64u(cd),
                                   "attestationObject": b64u(att),
                                   "transports": ["usb"]},
                      "authenticatorAttachment": "cross-platform",
                      "clientExtensionResults": {}}

    def register(self, user="alice"):
        token = self.access(user)
        _, cred = self.registration(token)
        self.assertEqual(self.emu.idp("CompleteWebAuthnRegistration", AccessToken=token,
                                      Credential=cred), {})
        return token

    def challenge(self, user="alice"):
        r = self.emu.idp("InitiateAuth", AuthFlow="USER_AUTH", ClientId=CLIENT,
                         AuthParameters={"USERNAME": user, "PREFERRED_CHALLENGE": "WEB_AUTHN"})
        self.assertEqual(r["ChallengeName"], "WEB_AUTHN")
        return r, json.loads(r["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])

    def assertion(self, options, uv=True, up=True, **change):
        allow = [unb64u(c["id"]) for c in options["allowCredentials"]]
        cred = self.key.find(options["rpId"], allow)[0]
        cd = client_data(change.pop("kind", "webauthn.get"),
                         change.pop("challenge", options["challenge"]),
                         change.pop("origin", "https://" + options["rpId"]))
        data, sig = self.key.get_assertion(cred, hashlib.sha256(cd).digest(), uv, up)
        data = change.pop("auth_data", lambda d: d)(data)
        out = {"id": b64u(cred.id), "rawId": b64u(cred.id), "type": "public-key",
               "response": {"clientDataJSON": b64u(cd), "authenticatorData": b64u(data),
                            "signature": b64u(change.pop("signature", sig)),
                            "userHandle": b64u(cred.user_id)},
               "clientExtensionResults": {}}
        return json.dumps(out)

    def answer(self, r, credential, user="alice"):
        return self.emu.idp("RespondToAuthChallenge", ChallengeName="WEB_AUTHN",
                            ClientId=CLIENT, Session=r["Session"],
                            ChallengeResponses={"USERNAME": user, "CREDENTIAL": credential})


class RegistrationTest(PasskeyCase):
    def test_start_gives_creation_options_for_the_pool(self):
        opts = self.emu.idp("StartWebAuthnRegistration",
                            AccessToken=self.access())["CredentialCreationOptions"]
        self.assertEqual(opts["rp"]["id"], RP)
        self.assertEqual(unb64u(opts["user"]["id"]), b"a11ce000-0000-4000-8000-0000000000f1")
        self.assertIn({"type": "public-key", "alg": -7}, opts["pubKeyCredParams"])
        self.assertEqual(opts["authenticatorSelection"]["residentKey"], "required")
        self.assertEqual(opts["authenticatorSelection"]["userVerification"], "preferred")
        self.assertEqual(len(unb64u(opts["challenge"])), 32)

    def test_register_list_delete(self):
        token = self.register()
        listed = self.emu.idp("ListWebAuthnCredentials", AccessToken=token)["Credentials"]
        self.assertEqual(len(listed), 1)
        self.assertEqual(listed[0]["RelyingPartyId"], RP)
        self.assertEqual(listed[0]["AuthenticatorTransports"], ["usb"])
        self.assertEqual(listed[0]["AuthenticatorAttachment"], "cross-platform")
        self.assertEqual(unb64u(listed[0]["CredentialId"]), self.key.creds[0].id)
        self.assertError("ResourceNotFoundException", self.emu.idp,
                         "DeleteWebAuthnCredential", AccessToken=token, CredentialId="nope")
        self.emu.idp("DeleteWebAuthnCredential", AccessToken=token,
                     CredentialId=listed[0]["CredentialId"])
        self.assertEqual(self.emu.idp("ListWebAuthnCredentials",
                                      AccessToken=token)["Credentials"], [])

    def test_none_attestation_is_accepted(self):
        token = self.access()
        _, cred = self.registration(token, fmt="none")
        self.emu.idp("CompleteWebAuthnRegistration", AccessToken=token, Credential=cred)

    def test_each_wrong_registration_is_refused(self):
        cases = [("WebAuthnChallengeNotFoundException", {"challenge": b64u(b"x" * 32)}),
                 ("WebAuthnOriginNotAllowedException", {"origin": "https://evil.example"}),
                 ("WebAuthnChallengeNotFoundException", {"kind": "webauthn.get"}),
                 ("WebAuthnRelyingPartyMismatchException", {"rp": "evil.example"})]
        token = self.access()
        for kind, change in cases:
            _, cred = self.registration(token, **change)
            self.assertError(kind, self.emu.idp, "CompleteWebAuthnRegistration",
                             AccessToken=token, Credential=cred)
        _, cred = self.registration(token)
        att = cbor.decode(unb64u(cred["response"]["attestationObject"]))
        att["attStmt"]["sig"] = att["attStmt"]["sig"][:-2] + b"\x00\x00"
        cred["response"]["attestationObject"] = b64u(cbor.encode(att))
        self.assertError("InvalidParameterException", self.emu.idp,
                         "CompleteWebAuthnRegistration", AccessToken=token, Credential=cred)
        # a challenge is used once
        self.assertError("WebAuthnChallengeNotFoundException", self.emu.idp,
                         "CompleteWebAuthnRegistration", AccessToken=token, Credential=cred)
        self.assertEqual(self.emu.idp("ListWebAuthnCredentials",
                                      AccessToken=token)["Credentials"], [])

    def test_a_pool_without_passkeys_refuses(self):
        r = self.emu.idp("InitiateAuth", AuthFlow="USER_AUTH",
                         ClientId="choiceclient0000000000000001",
                         AuthParameters={"USERNAME": "alice", "PREFERRED_CHALLENGE": "PASSWORD",
                                         "PASSWORD": "Alice-Choice1!"})
        self.assertError("WebAuthnNotEnabledException", self.emu.idp,
                         "StartWebAuthnRegistration",
                         AccessToken=r["AuthenticationResult"]["AccessToken"])


class SignInTest(PasskeyCase):
    def test_offered_only_with_a_passkey(self):
        r = self.emu.idp("InitiateAuth", AuthFlow="USER_AUTH", ClientId=CLIENT,
                         AuthParameters={"USERNAME": "alice"})
        self.assertNotIn("WEB_AUTHN", r["AvailableChallenges"])
        self.register()
        r = self.emu.idp("InitiateAuth", AuthFlow="USER_AUTH", ClientId=CLIENT,
                         AuthParameters={"USERNAME": "alice"})
        self.assertIn("WEB_AUTHN", r["AvailableChallenges"])
        r = self.emu.idp("RespondToAuthChallenge", ChallengeName="SELECT_CHALLENGE",
                         ClientId=CLIENT, Session=r["Session"],
                         ChallengeResponses={"USERNAME": "alice", "ANSWER": "WEB_AUTHN"})
        self.assertEqual(r["ChallengeName"], "WEB_AUTHN")
        options = json.loads(r["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
        self.assertIn("AuthenticationResult", self.answer(r, self.assertion(options)))

    def test_passkey_sign_in_gives_tokens(self):
        self.register()
        r, options = self.challenge()
        self.assertEqual(options["rpId"], RP)
        self.assertEqual(options["userVerification"], "preferred")
        self.assertEqual([unb64u(c["id"]) for c in options["allowCredentials"]],
                         [self.key.creds[0].id])
        out = self.answer(r, self.assertion(options))
        self.assertIn("IdToken", out["AuthenticationResult"])

    def test_each_tampered_field_is_refused(self):
        self.register()
        flip = lambda d: d[:-1] + bytes([d[-1] ^ 1])  # noqa: E731
        cases = {
            "The challenge does not match.": {"challenge": b64u(b"y" * 32)},
            "The origin is not allowed for this relying party.":
                {"origin": "https://evil.example"},
            "clientDataJSON type is not webauthn.get.": {"kind": "webauthn.create"},
            "The relying party ID hash does not match.":
                {"auth_data": lambda d: hashlib.sha256(b"evil").digest() + d[32:]},
            "User presence was not asserted.": {"up": False},
            "The signature counter did not increase.":
                {"auth_data": lambda d: d[:33] + b"\x00\x00\x00\x00" + d[37:]},
            "The passkey signature does not verify.": {"signature": b"0"},
            "The passkey signature does not verify. ": {"auth_data": flip},
        }
        for said, change in cases.items():
            with self.subTest(said=said):
                r, options = self.challenge()
                up = change.pop("up", True)
                self.assertError("NotAuthorizedException", self.answer, r,
                                 self.assertion(options, up=up, **change),
                                 message=said.strip())

    def test_user_verification_required_by_the_pool(self):
        self.register()
        self.emu.control("SetPoolWebAuthn", UserPoolId=POOL, UserVerification="required")
        r, options = self.challenge()
        self.assertEqual(options["userVerification"], "required")
        self.assertError("NotAuthorizedException", self.answer, r,
                         self.assertion(options, uv=False),
                         message="User verification is required.")
        r, options = self.challenge()
        self.assertIn("AuthenticationResult", self.answer(r, self.assertion(options)))

    def test_another_users_passkey_is_refused(self):
        self.register("alice")
        self.register("bob")
        r, options = self.challenge("bob")
        alice_cred = self.key.creds[0]
        cd = client_data("webauthn.get", options["challenge"])
        data, sig = self.key.get_assertion(alice_cred, hashlib.sha256(cd).digest(), True)
        cred = json.dumps({"id": b64u(alice_cred.id), "rawId": b64u(alice_cred.id),
                           "type": "public-key",
                           "response": {"clientDataJSON": b64u(cd),
                                        "authenticatorData": b64u(data),
                                        "signature": b64u(sig)}})
        self.assertError("NotAuthorizedException", self.answer, r, cred, "bob",
                         message="The passkey is not registered to this user.")

    def test_one_answer_per_challenge(self):
        self.register()
        r, options = self.challenge()
        self.answer(r, self.assertion(options))
        self.assertError("NotAuthorizedException", self.answer, r, self.assertion(options))


if __name__ == "__main__":
    unittest.main()
