"""How the fault-matrix faults (tests/FAULTS.md) put an answer on the wire:
a reset before or during the answer, no answer, a trickle, a wrong
Content-Type, and HTTP 200 answers that also carry an error __type."""

import json
import select
import socket
import struct
import time

HANG_LIMIT = 60.0       # a hang ends when the client leaves, or after this
TRICKLE_INTERVAL = 0.25  # seconds between bytes
TRICKLE_LIMIT = 60.0
ERROR_TYPE = "NotAuthorizedException"
ERROR_MESSAGE = "Incorrect username or password."


def reset(handler):
    """Close with a TCP RST (SO_LINGER 0), without any answer."""
    handler.close_connection = True
    try:
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                      struct.pack("ii", 1, 0))
        handler.connection.close()
    except OSError:
        pass


def hang(handler, limit):
    """Answer nothing until the client gives up (or `limit` seconds)."""
    handler.close_connection = True
    deadline = time.monotonic() + (limit or HANG_LIMIT)
    conn = handler.connection
    while time.monotonic() < deadline:
        ready, _, _ = select.select([conn], [], [], 0.2)
        if ready:
            try:
                if not conn.recv(4096, socket.MSG_PEEK):
                    break  # the client closed
                conn.recv(4096)
            except OSError:
                break


def error_body(result=None):
    """An error __type and message; with `result`, its members follow."""
    out = {"__type": ERROR_TYPE, "message": ERROR_MESSAGE}
    if isinstance(result, dict):
        out.update(result)
    return out


def mint_tokens(st, request):
    """Valid tokens for the user a request names, as a server that gives
    tokens after an error would: the client must still refuse them."""
    import auth
    from grants import issue_tokens
    if not isinstance(request, dict):
        return None
    try:
        with st.lock:
            client = auth.get_client(st, request)
            params = {}
            for name in ("AuthParameters", "ChallengeResponses"):
                if isinstance(request.get(name), dict):
                    params.update(request[name])
            user = client.pool.find_user(params.get("USERNAME", ""))
            if user is None:
                return None
            return issue_tokens(st, client.pool, client, user, st.now(), with_refresh=True)
    except Exception:  # no client or user: no tokens to add
        return None


def send(handler, fault, status, payload, content_type, headers=()):
    """Send payload with the transport faults (truncated, trickle,
    reset_mid_body, wrong_type) applied. True when fault was one of them."""
    kind = fault.kind if fault is not None else None
    if kind == "truncated":
        payload = payload[:len(payload) // 2]
    if kind == "wrong_type":
        content_type = "text/html; charset=utf-8"
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(payload)))
    for name, value in headers:
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.flush()
    if kind == "reset_mid_body":
        handler.wfile.write(payload[:len(payload) // 2])
        handler.wfile.flush()
        time.sleep(0.05)
        reset(handler)
        return
    if kind == "trickle":
        interval = float(fault.value) if fault.value else TRICKLE_INTERVAL
        deadline = time.monotonic() + TRICKLE_LIMIT
        try:
            for i in range(len(payload)):
                if time.monotonic() > deadline:
                    break
                handler.wfile.write(payload[i:i + 1])
                handler.wfile.flush()
                time.sleep(interval)
        except OSError:
            pass
        handler.close_connection = True
        return
    if payload:
        handler.wfile.write(payload)
    handler.wfile.flush()


def dumps(obj):
    return json.dumps(obj).encode("utf-8")
