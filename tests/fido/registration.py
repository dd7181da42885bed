"""A passkey on the software key, registered in the emulator's pool the
way a browser would (StartWebAuthnRegistration, a webauthn.create
credential, CompleteWebAuthnRegistration): for tests that need a user who
already has one, without the registration tool.

    cred = register(emu, store, access_token)
    token = sign_in_by_email(emu, pool, client, "keyonly")
"""

import base64
import hashlib
import json


def b64u(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def register(emu, store, token, user_verification=False):
    """Make a credential on store (softkey.SoftKey) for the user of the
    access token and register it; the credential."""
    opts = emu.idp("StartWebAuthnRegistration", AccessToken=token)["CredentialCreationOptions"]
    cd = json.dumps({"type": "webauthn.create", "challenge": opts["challenge"],
                     "origin": "https://" + opts["rp"]["id"]}).encode()
    uid = base64.urlsafe_b64decode(opts["user"]["id"] + "==")
    cred, _, att = store.make_credential(opts["rp"]["id"], hashlib.sha256(cd).digest(), uid,
                                         opts["user"]["name"], uv=user_verification)
    emu.idp("CompleteWebAuthnRegistration", AccessToken=token, Credential={
        "id": b64u(cred.id), "rawId": b64u(cred.id), "type": "public-key",
        "response": {"clientDataJSON": b64u(cd), "attestationObject": b64u(att)}})
    return cred


def sign_in_with_password(emu, client, user, password):
    """USER_AUTH with the password: the access token."""
    r = emu.idp("InitiateAuth", AuthFlow="USER_AUTH", ClientId=client,
                AuthParameters={"USERNAME": user, "PREFERRED_CHALLENGE": "PASSWORD",
                                "PASSWORD": password})
    return r["AuthenticationResult"]["AccessToken"]


def sign_in_by_email(emu, pool, client, user):
    """USER_AUTH with an email code (a user without a password): the
    access token."""
    r = emu.idp("InitiateAuth", AuthFlow="USER_AUTH", ClientId=client,
                AuthParameters={"USERNAME": user, "PREFERRED_CHALLENGE": "EMAIL_OTP"})
    r = emu.idp("RespondToAuthChallenge", ClientId=client, ChallengeName="EMAIL_OTP",
                Session=r["Session"],
                ChallengeResponses={"USERNAME": user,
                                    "EMAIL_OTP_CODE": emu.last_code(user, pool)})
    return r["AuthenticationResult"]["AccessToken"]
