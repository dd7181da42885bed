"""Device tracking: the devices Cognito hands out at sign-in
(NewDeviceMetadata), ConfirmDevice with the client's SRP verifier, the
remembered status, and the device API (ListDevices, GetDevice,
UpdateDeviceStatus, ForgetDevice and their Admin forms).

What the user-facing calls see follows a real-Cognito integration test of
the Android SDK: ListDevices and GetDevice show remembered devices only,
the Admin calls every confirmed device; a forgotten device answers
ResourceNotFoundException "Device does not exist."."""

import base64
import binascii
import re
import secrets
import uuid

import admin
from errors import CognitoError, invalid_parameter, optional, require
from grants import user_from_access_token

NO_DEVICE = "Device does not exist."
STATUSES = ("remembered", "not_remembered")
KEY_PATTERN = re.compile(r"^[\w-]+_[0-9a-f-]+$")
GROUP_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


class Device:
    def __init__(self, st, pool, user):
        self.key = "%s_%s" % (pool.region, uuid.uuid4())
        self.group_key = group_key(st, pool, user)
        self.pool_id = pool.id
        self.username = user.username
        self.sub = user.sub
        self.created = self.modified = st.now()
        self.last_auth = None
        self.confirmed = False
        self.verifier = None          # int, from DeviceSecretVerifierConfig
        self.salt = None              # int
        self.name = None
        self.remembered = False

    def describe(self):
        """DeviceType."""
        attrs = [{"Name": "device_status", "Value": "valid"}]
        if self.name:
            attrs.append({"Name": "device_name", "Value": self.name})
        attrs.append({"Name": "last_ip_used", "Value": "127.0.0.1"})
        attrs.append({"Name": "dev:device_remembered_status",
                      "Value": "remembered" if self.remembered else "not_remembered"})
        out = {"DeviceKey": self.key, "DeviceAttributes": attrs,
               "DeviceCreateDate": self.created, "DeviceLastModifiedDate": self.modified}
        if self.last_auth is not None:
            out["DeviceLastAuthenticatedDate"] = self.last_auth
        return out


def group_key(st, pool, user):
    """One device group key per user, shaped like Cognito's (`-wt2ha1Zd`)."""
    k = (pool.id, user.username)
    if k not in st.device_groups:
        st.device_groups[k] = "-" + "".join(secrets.choice(GROUP_ALPHABET) for _ in range(8))
    return st.device_groups[k]


def new_device(st, pool, user):
    """A device for a sign-in that presented none; NewDeviceMetadata."""
    dev = Device(st, pool, user)
    st.devices[dev.key] = dev
    return dev


def metadata(dev):
    return {"DeviceKey": dev.key, "DeviceGroupKey": dev.group_key}


def of_user(st, pool, user, key):
    """The user's device with this key, or None."""
    dev = st.devices.get(key) if isinstance(key, str) else None
    if dev is None or dev.pool_id != pool.id or dev.username != user.username \
            or dev.sub != user.sub:
        return None
    return dev


def presented(st, pool, user, key):
    """The device a sign-in presents with DEVICE_KEY: None when it presents
    none or the pool does not track devices; ResourceNotFoundException for a
    key Cognito does not know (the official clients retry without it)."""
    if not key or pool.device_config is None:
        return None
    dev = of_user(st, pool, user, key)
    if dev is None:
        raise CognitoError("ResourceNotFoundException", NO_DEVICE)
    return dev


def usable_for_refresh(st, pool, user, grant, key):
    """Tokens issued to a device refresh only with that device's key while
    the device is not forgotten. The key of NewDeviceMetadata serves
    whether or not ConfirmDevice followed (developer guide, refresh tokens:
    the device key must be sent whether the sign-in presented one or
    received a new one); without it real Cognito answers
    NotAuthorizedException "Invalid Refresh Token." (the text SDK users
    report from pools with device tracking)."""
    bound = grant.get("device")
    if bound is None:
        return True
    if key != bound:
        return False
    return of_user(st, pool, user, bound) is not None


def forget(st, dev):
    st.devices.pop(dev.key, None)


def forget_all(st, pool, username):
    for key in [k for k, d in st.devices.items()
                if d.pool_id == pool.id and d.username == username]:
        del st.devices[key]


# -- the API -------------------------------------------------------------------

def _device_key(body):
    key = require(body, "DeviceKey")
    if len(key) > 55 or not KEY_PATTERN.match(key):
        raise invalid_parameter(
            "1 validation error detected: Value '%s' at 'deviceKey' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-f-]+"
            % key)
    return key


def _own_device(st, body, remembered_only=False):
    pool, user, _ = user_from_access_token(st, require(body, "AccessToken"))
    dev = of_user(st, pool, user, _device_key(body))
    if dev is None or (remembered_only and not (dev.confirmed and dev.remembered)):
        raise CognitoError("ResourceNotFoundException", NO_DEVICE)
    return pool, user, dev


def _b64_int(value, name):
    if not isinstance(value, str) or not value:
        raise invalid_parameter("Missing required parameter DeviceSecretVerifierConfig.%s" % name)
    try:
        n = int.from_bytes(base64.b64decode(value, validate=True), "big")
    except (binascii.Error, ValueError):
        raise invalid_parameter("Invalid DeviceSecretVerifierConfig.%s" % name)
    if n == 0:
        raise invalid_parameter("Invalid DeviceSecretVerifierConfig.%s" % name)
    return n


def confirm_device(st, body):
    pool, user, _ = user_from_access_token(st, require(body, "AccessToken"))
    dev = of_user(st, pool, user, _device_key(body))
    if dev is None:
        raise CognitoError("ResourceNotFoundException", NO_DEVICE)
    if dev.confirmed:
        raise CognitoError("DeviceKeyExistsException", "Device already confirmed.")
    config = optional(body, "DeviceSecretVerifierConfig", dict)
    if config is None:
        raise invalid_parameter("Missing required parameter DeviceSecretVerifierConfig")
    dev.verifier = _b64_int(config.get("PasswordVerifier"), "PasswordVerifier")
    dev.salt = _b64_int(config.get("Salt"), "Salt")
    name = optional(body, "DeviceName", str)
    if name is not None and not 1 <= len(name) <= 1024:
        raise invalid_parameter("Invalid DeviceName")
    dev.name = name
    dev.confirmed = True
    prompt = bool(pool.device_config.get("DeviceOnlyRememberedOnUserPrompt"))
    dev.remembered = not prompt
    dev.modified = st.now()
    return {"UserConfirmationNecessary": prompt}


def _status(body):
    status = optional(body, "DeviceRememberedStatus", str)
    if status is not None and status not in STATUSES:
        raise invalid_parameter(
            "1 validation error detected: Value '%s' at 'deviceRememberedStatus' failed to "
            "satisfy constraint: Member must satisfy enum value set: [remembered, "
            "not_remembered]" % status)
    return status


def _set_status(st, dev, status):
    if status is not None:
        dev.remembered = status == "remembered"
        dev.modified = st.now()


def update_device_status(st, body):
    status = _status(body)
    _, _, dev = _own_device(st, body)
    if not dev.confirmed:
        raise CognitoError("ResourceNotFoundException", NO_DEVICE)
    _set_status(st, dev, status)
    return {}


def get_device(st, body):
    _, _, dev = _own_device(st, body, remembered_only=True)
    return {"Device": dev.describe()}


def forget_device(st, body):
    key = _device_key(body)
    token = optional(body, "AccessToken", str)
    if token:
        pool, user, _ = user_from_access_token(st, token)
        dev = of_user(st, pool, user, key)
    else:
        dev = st.devices.get(key)        # the emulator checks no IAM credentials
    if dev is None:
        raise CognitoError("ResourceNotFoundException", NO_DEVICE)
    forget(st, dev)
    return {}


def _listing(devices, body):
    limit = optional(body, "Limit", int, 60)
    if limit < 0 or limit > 60:
        raise invalid_parameter(
            "1 validation error detected: Value '%d' at 'limit' failed to satisfy "
            "constraint: Member must have value less than or equal to 60" % limit)
    limit = limit or 60
    devices = sorted(devices, key=lambda d: (d.created, d.key))
    start = 0
    token = optional(body, "PaginationToken", str)
    if token:
        keys = [d.key for d in devices]
        if token not in keys:
            raise invalid_parameter("Invalid pagination token")
        start = keys.index(token)
    page = devices[start:start + limit]
    out = {"Devices": [d.describe() for d in page]}
    if start + limit < len(devices):
        out["PaginationToken"] = devices[start + limit].key
    return out


def list_devices(st, body):
    pool, user, _ = user_from_access_token(st, require(body, "AccessToken"))
    return _listing([d for d in st.devices.values() if of_user(st, pool, user, d.key)
                     and d.confirmed and d.remembered], body)


def _admin_device(st, body):
    pool, user = admin.find_pool_user(st, body)
    dev = of_user(st, pool, user, _device_key(body))
    if dev is None or not dev.confirmed:
        raise CognitoError("ResourceNotFoundException", NO_DEVICE)
    return dev


def admin_list_devices(st, body):
    pool, user = admin.find_pool_user(st, body)
    return _listing([d for d in st.devices.values() if of_user(st, pool, user, d.key)
                     and d.confirmed], body)


def admin_get_device(st, body):
    return {"Device": _admin_device(st, body).describe()}


def admin_update_device_status(st, body):
    status = _status(body)
    _set_status(st, _admin_device(st, body), status)
    return {}


def admin_forget_device(st, body):
    pool, user = admin.find_pool_user(st, body)
    dev = of_user(st, pool, user, _device_key(body))
    if dev is None:
        raise CognitoError("ResourceNotFoundException", NO_DEVICE)
    forget(st, dev)
    return {}
