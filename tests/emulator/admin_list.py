"""ListUsersInGroup, ListGroups and ListUserPoolClients, paginated like
Cognito: Limit (MaxResults for the clients) 1..60, 60 when absent, an
opaque NextToken bound to the call that issued it; and
DescribeUserPoolClient, which pam_cognito-sync asks for each client's
WriteAttributes."""

import base64
import hashlib
import hmac
import json
import time

import admin
from errors import CognitoError, invalid_parameter, optional, require

MAX_LIMIT = 60


def _limit(body, key="Limit"):
    limit = optional(body, key, int, MAX_LIMIT)
    field = key[0].lower() + key[1:]
    if isinstance(limit, bool) or limit > MAX_LIMIT:
        raise invalid_parameter(
            "1 validation error detected: Value '%s' at '%s' failed to satisfy "
            "constraint: Member must have value less than or equal to %d"
            % (limit, field, MAX_LIMIT))
    if limit < 0 or (key == "MaxResults" and limit < 1):
        raise invalid_parameter(
            "1 validation error detected: Value '%s' at '%s' failed to satisfy "
            "constraint: Member must have value greater than or equal to %d"
            % (limit, field, 0 if key == "Limit" else 1))
    return limit or MAX_LIMIT


def _token(st, scope, offset):
    raw = json.dumps([scope, offset]).encode()
    mac = hmac.new(st.block_key, raw, hashlib.sha256).digest()[:12]
    return base64.b64encode(raw + mac).decode()


def _offset(st, body, scope):
    token = optional(body, "NextToken", str)
    if token is None:
        return 0
    try:
        blob = base64.b64decode(token, validate=True)
        raw, mac = blob[:-12], blob[-12:]
        ok = hmac.compare_digest(mac, hmac.new(st.block_key, raw, hashlib.sha256).digest()[:12])
        got_scope, offset = json.loads(raw)
    except (ValueError, TypeError):
        ok = False
    if not ok or got_scope != scope or not isinstance(offset, int) or offset < 0:
        raise invalid_parameter("Invalid pagination token")
    return offset


def _page(st, body, scope, items, key="Limit"):
    limit = _limit(body, key)
    start = _offset(st, body, scope)
    page = items[start:start + limit]
    out = {"Page": page}
    if start + limit < len(items):
        out["NextToken"] = _token(st, scope, start + limit)
    return out


def list_users_in_group(st, body):
    pool = admin._pool(st, body)
    name = require(body, "GroupName")
    if name not in pool.groups:
        raise CognitoError("ResourceNotFoundException", "Group not found.")
    members = [u for u in pool.users.values() if name in u.groups]
    page = _page(st, body, [pool.id, "users", name], members)
    out = {"Users": [admin._describe_created(u) for u in page["Page"]]}
    if "NextToken" in page:
        out["NextToken"] = page["NextToken"]
    return out


def list_groups(st, body):
    pool = admin._pool(st, body)
    groups = sorted(pool.groups.values(), key=lambda g: g.name)
    page = _page(st, body, [pool.id, "groups"], groups)
    now = time.time()
    out = {"Groups": [{"GroupName": g.name, "UserPoolId": pool.id, "Description": g.description,
                       "RoleArn": g.role_arn, "Precedence": g.precedence,
                       "LastModifiedDate": now, "CreationDate": now} for g in page["Page"]]}
    for g in out["Groups"]:
        for k in ("RoleArn", "Precedence"):
            if g[k] is None:
                del g[k]
    if "NextToken" in page:
        out["NextToken"] = page["NextToken"]
    return out


def list_user_pool_clients(st, body):
    pool = admin._pool(st, body)
    clients = list(pool.clients.values())
    page = _page(st, body, [pool.id, "clients"], clients, "MaxResults")
    out = {"UserPoolClients": [{"ClientId": c.id, "UserPoolId": pool.id,
                                "ClientName": c.name} for c in page["Page"]]}
    if "NextToken" in page:
        out["NextToken"] = page["NextToken"]
    return out


def describe_user_pool_client(st, body):
    pool = admin._pool(st, body)
    client_id = require(body, "ClientId")
    client = pool.clients.get(client_id)
    if client is None:
        raise CognitoError("ResourceNotFoundException",
                           "User pool client %s does not exist." % client_id)
    return {"UserPoolClient": client.describe()}


OPERATIONS = {"ListUsersInGroup": list_users_in_group, "ListGroups": list_groups,
              "ListUserPoolClients": list_user_pool_clients,
              "DescribeUserPoolClient": describe_user_pool_client}
