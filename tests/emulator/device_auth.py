"""Device authentication after the user's factors: DEVICE_SRP_AUTH
(client sends SRP_A for its device) and DEVICE_PASSWORD_VERIFIER (client
proves the device secret). The SRP is the user sign-in's arithmetic with
the device group key in the pool name's place, the device key as the user
id, and the verifier the client registered with ConfirmDevice."""

import auth
import devices
import srp
from errors import CognitoError, invalid_parameter, not_authorized

WRONG_DEVICE = "Invalid device key given."


def _session_device(st, pool, user, session, answers):
    key = auth.need(answers, "DEVICE_KEY")
    if session.device is None or key != session.device.key:
        raise not_authorized(WRONG_DEVICE)
    dev = devices.of_user(st, pool, user, key)
    if dev is None or not dev.confirmed:
        raise CognitoError("ResourceNotFoundException", devices.NO_DEVICE)
    return dev


def start(st, pool, client, user, session, answers):
    """DEVICE_SRP_AUTH {USERNAME, DEVICE_KEY, SRP_A} -> DEVICE_PASSWORD_VERIFIER."""
    dev = _session_device(st, pool, user, session, answers)
    big_a = srp.parse_hex(auth.need(answers, "SRP_A"))
    if big_a is None or big_a % srp.N == 0:
        raise invalid_parameter("Invalid SRP_A value")
    exchange = srp.Exchange(pool.id, dev.key, None, big_a, salt=dev.salt,
                            verifier=dev.verifier, name=dev.group_key)
    block = auth.issue_block(st, {"exchange": exchange, "pool": pool.id, "client": client.id,
                                  "username": user.username, "device": dev.key})
    session.used = True
    return auth._challenge(st, pool, client, user, "DEVICE_PASSWORD_VERIFIER",
                           {"SRP_B": exchange.b_hex(), "SALT": exchange.salt_hex(),
                            "SECRET_BLOCK": block, "USERNAME": user.username,
                            "DEVICE_KEY": dev.key},
                           session.auth_time, session.login, device=dev)


def verify(st, pool, client, user, session, answers):
    """DEVICE_PASSWORD_VERIFIER {PASSWORD_CLAIM_SIGNATURE,
    PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP, USERNAME, DEVICE_KEY} -> tokens."""
    for field in ("PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP"):
        auth.need(answers, field)
    dev = _session_device(st, pool, user, session, answers)
    raw, block_id = auth.open_block(st, answers["PASSWORD_CLAIM_SECRET_BLOCK"])
    pending = st.srp.pop(block_id, None)               # single use
    if pending is None or pending.get("device") != dev.key or pending["client"] != client.id:
        raise not_authorized(auth.WRONG_PASSWORD)
    if st.now() >= pending["expires"]:
        raise not_authorized(auth.EXPIRED_SESSION)
    if not auth.timestamp_ok(st, answers["TIMESTAMP"]) or \
            not pending["exchange"].check_signature(dev.key, raw, answers["TIMESTAMP"],
                                                    answers["PASSWORD_CLAIM_SIGNATURE"]):
        session.dead = True
        raise not_authorized(auth.WRONG_PASSWORD)
    session.used = True
    dev.last_auth = st.now()
    return auth.sign_in_tokens(st, pool, client, user, session.auth_time, dev)
