"""The emulator's passkey checks against a known-good WebAuthn client:
python-fido2's Fido2Client (Debian's python3-fido2) builds the client data
and drives the CTAP2 exchange with the test software key
(tests/fido/authenticator.py, called directly as a CTAP device); the
emulator must accept its registration and assertion, and refuse them
tampered. Needs python3-fido2 (scripts/install-deps installs it); without
it these tests are reported as skipped.

Run: /usr/bin/python3 tests/pyrunner.py tests/emulator test_webauthn_fido2.py
"""

import base64
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "fido"))

import authenticator  # noqa: E402
import softkey  # noqa: E402
from test_emulator import EmulatorCase  # noqa: E402

try:
    from fido2.client import Fido2Client
    from fido2.ctap import CtapDevice, CtapError
    from fido2.hid import CAPABILITY, CTAPHID
    from fido2.server import Fido2Server
    from fido2.client import ClientData
    from fido2.ctap2 import AttestationObject, AuthenticatorData
    from fido2.attestation import Attestation, AttestationType
    HAVE_FIDO2 = True
except ImportError:  # pragma: no cover - reported as a skip
    HAVE_FIDO2 = False
    CtapDevice = object

CLIENT = "passkeyclient000000000000001"
POOL = "us-east-1_PasskeyPool"
ORIGIN = "https://auth.example.com"


def b64u(raw):
    return base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


def unb64u(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftDevice(CtapDevice):
    """The software key as python-fido2's CTAP transport (CBOR only)."""

    def __init__(self, key):
        self.key = key

    @property
    def capabilities(self):
        return CAPABILITY.CBOR

    def call(self, cmd, data=b"", event=None, on_keepalive=None):
        if cmd != CTAPHID.CBOR:
            raise CtapError(CtapError.ERR.INVALID_COMMAND)
        return self.key._ctap2(bytes(data))

    def close(self):
        pass

    @classmethod
    def list_devices(cls):
        return iter(())


@unittest.skipUnless(HAVE_FIDO2, "python3-fido2 is not installed")
class KnownGoodClientTest(EmulatorCase):
    def setUp(self):
        super().setUp()
        self.key = authenticator.Authenticator("/nonexistent", pin="8642")
        self.client = Fido2Client(SoftDevice(self.key), ORIGIN)
        r = self.emu.idp("InitiateAuth", AuthFlow="USER_AUTH", ClientId=CLIENT,
                         AuthParameters={"USERNAME": "alice", "PREFERRED_CHALLENGE": "PASSWORD",
                                         "PASSWORD": "Alice-Passkey1!"})
        self.token = r["AuthenticationResult"]["AccessToken"]

    def register(self):
        o = self.emu.idp("StartWebAuthnRegistration",
                         AccessToken=self.token)["CredentialCreationOptions"]
        options = {
            "rp": o["rp"], "challenge": unb64u(o["challenge"]),
            "user": {"id": unb64u(o["user"]["id"]), "name": o["user"]["name"],
                     "displayName": o["user"]["displayName"]},
            "pubKeyCredParams": o["pubKeyCredParams"], "timeout": o["timeout"],
            "authenticatorSelection": {"requireResidentKey": True,
                                       "userVerification": "required"}}
        att = self.client.make_credential(options, pin="8642")
        cred_id = att.attestation_object.auth_data.credential_data.credential_id
        self.emu.idp("CompleteWebAuthnRegistration", AccessToken=self.token, Credential={
            "id": b64u(cred_id), "rawId": b64u(cred_id), "type": "public-key",
            "response": {"clientDataJSON": b64u(att.client_data),
                         "attestationObject": b64u(att.attestation_object.with_string_keys())}})
        return cred_id

    def sign_in_answer(self, tamper=None):
        r = self.emu.idp("InitiateAuth", AuthFlow="USER_AUTH", ClientId=CLIENT,
                         AuthParameters={"USERNAME": "alice", "PREFERRED_CHALLENGE": "WEB_AUTHN"})
        o = json.loads(r["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
        options = {"challenge": unb64u(o["challenge"]), "rpId": o["rpId"],
                   "allowCredentials": [{"type": "public-key", "id": unb64u(c["id"])}
                                        for c in o["allowCredentials"]],
                   "userVerification": "required"}
        a = self.client.get_assertion(options, pin="8642").get_response(0)
        response = {"clientDataJSON": b64u(a.client_data),
                    "authenticatorData": b64u(a.authenticator_data),
                    "signature": b64u(a.signature)}
        if tamper:
            tamper(response)
        cred = {"id": b64u(a.credential_id), "rawId": b64u(a.credential_id),
                "type": "public-key", "response": response}
        return self.emu.idp("RespondToAuthChallenge", ChallengeName="WEB_AUTHN",
                            ClientId=CLIENT, Session=r["Session"],
                            ChallengeResponses={"USERNAME": "alice",
                                                "CREDENTIAL": json.dumps(cred)})

    def test_registration_and_sign_in(self):
        self.emu.control("SetPoolWebAuthn", UserPoolId=POOL, UserVerification="required")
        cred_id = self.register()
        listed = self.emu.idp("ListWebAuthnCredentials", AccessToken=self.token)["Credentials"]
        self.assertEqual([c["CredentialId"] for c in listed], [b64u(cred_id)])
        self.assertIn("AuthenticationResult", self.sign_in_answer())

    def test_tampered_answers_refused(self):
        self.register()

        def sig(resp):
            raw = bytearray(unb64u(resp["signature"]))
            raw[-1] ^= 1
            resp["signature"] = b64u(raw)

        def client_data(resp):
            data = json.loads(unb64u(resp["clientDataJSON"]))
            data["origin"] = "https://evil.example"
            resp["clientDataJSON"] = b64u(json.dumps(data).encode())

        for tamper in (sig, client_data):
            with self.subTest(tamper=tamper.__name__):
                self.assertError("NotAuthorizedException", self.sign_in_answer, tamper)



@unittest.skipUnless(HAVE_FIDO2, "python3-fido2 is not installed")
class IndependentRelyingPartyTest(EmulatorCase):
    """The other direction: what the project's software key makes
    (tests/fido/softkey.py: authenticator data, packed self-attestation,
    ES256 signatures) checked by python-fido2's own relying party
    (Fido2Server) as well as by the emulator, so that the key and the
    emulator cannot agree on a mistake between themselves."""

    def test_registration_and_assertion_verify_in_python_fido2(self):
        import hashlib
        token = self.emu.idp("InitiateAuth", AuthFlow="USER_AUTH", ClientId=CLIENT,
                             AuthParameters={"USERNAME": "alice", "PREFERRED_CHALLENGE": "PASSWORD",
                                             "PASSWORD": "Alice-Passkey1!"})[
            "AuthenticationResult"]["AccessToken"]
        key = softkey.SoftKey()
        o = self.emu.idp("StartWebAuthnRegistration",
                         AccessToken=token)["CredentialCreationOptions"]
        cd = json.dumps({"type": "webauthn.create", "challenge": o["challenge"],
                         "origin": ORIGIN}).encode()
        cred, _, att = key.make_credential(o["rp"]["id"], hashlib.sha256(cd).digest(),
                                           unb64u(o["user"]["id"]), o["user"]["name"], uv=False)

        def packed(att_obj, client_hash):     # the self-attestation's signature
            result = Attestation.for_type(att_obj.fmt)().verify(
                att_obj.att_statement, att_obj.auth_data, client_hash)
            self.assertEqual(result.attestation_type, AttestationType.SELF)

        server = Fido2Server(o["rp"], attestation="direct", verify_attestation=packed)
        registered = server.register_complete(
            {"challenge": o["challenge"], "user_verification": None},
            ClientData(cd), AttestationObject(att)).credential_data
        self.assertEqual(registered.credential_id, cred.id)
        self.emu.idp("CompleteWebAuthnRegistration", AccessToken=token, Credential={
            "id": b64u(cred.id), "rawId": b64u(cred.id), "type": "public-key",
            "response": {"clientDataJSON": b64u(cd), "attestationObject": b64u(att)}})

        r = self.emu.idp("InitiateAuth", AuthFlow="USER_AUTH", ClientId=CLIENT,
                         AuthParameters={"USERNAME": "alice", "PREFERRED_CHALLENGE": "WEB_AUTHN"})
        opts = json.loads(r["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
        cd = json.dumps({"type": "webauthn.get", "challenge": opts["challenge"],
                         "origin": ORIGIN}).encode()
        ad, sig = key.get_assertion(cred, hashlib.sha256(cd).digest(), uv=False)
        server = Fido2Server({"id": opts["rpId"], "name": "pool"})
        state = {"challenge": opts["challenge"], "user_verification": None}
        self.assertIs(server.authenticate_complete(state, [registered], cred.id, ClientData(cd),
                                                   AuthenticatorData(ad), sig), registered)
        bad = bytearray(sig)
        bad[-1] ^= 1
        with self.assertRaisesRegex(ValueError, "Invalid signature"):
            server.authenticate_complete(state, [registered], cred.id, ClientData(cd),
                                         AuthenticatorData(ad), bytes(bad))
        credential = {"id": b64u(cred.id), "rawId": b64u(cred.id), "type": "public-key",
                      "response": {"clientDataJSON": b64u(cd), "authenticatorData": b64u(ad),
                                   "signature": b64u(sig)}}
        done = self.emu.idp("RespondToAuthChallenge", ChallengeName="WEB_AUTHN",
                            ClientId=CLIENT, Session=r["Session"],
                            ChallengeResponses={"USERNAME": "alice",
                                                "CREDENTIAL": json.dumps(credential)})
        self.assertIn("AuthenticationResult", done)

if __name__ == "__main__":
    unittest.main()
