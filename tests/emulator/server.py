"""HTTP front end: one POST / endpoint for both Cognito services and the
test-only control API, with keep-alive, statistics and fault injection."""

import http.server
import json
import socket
import threading
import time
import uuid

import dispatch
import refresh
import fault_replies
import journal
import multiregion
import reply_style
import sigv4
import sts
import usercontext
from errors import CognitoError

JSON_TYPE = "application/x-amz-json-1.1"
MAX_BODY = 1 << 20
OVERSIZE = 2 << 20


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "CognitoEmulator/1.0"
    timeout = 120            # idle keep-alive connections are dropped after this

    # quiet: tests read stdout for the "listening" line only
    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        self.counted = False
        self.active_fault = None  # the fault of the request being answered
        self.reply_service = None  # the service of the request being answered

    # -- plumbing ----------------------------------------------------------
    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks, total = [], 0
            while True:
                line = self.rfile.readline(1024)
                if not line:
                    break
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                total += size
                if total > MAX_BODY:
                    raise ValueError("body too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline(1024)
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY:
            raise ValueError("body too large")
        return self.rfile.read(length) if length else b""

    def _send(self, status, payload, error_type=None, message=None, content_type=JSON_TYPE):
        headers = [("x-amzn-RequestId", str(uuid.uuid4()))]
        if error_type:
            headers.append(("x-amzn-ErrorType", error_type + ":"))
            if message:
                headers.append(("x-amzn-ErrorMessage",
                                message.encode("ascii", "replace").decode("ascii")))
        if reply_style.applies(self.server.state, self.reply_service):
            # moto's way: text/html over the JSON body, one answer a connection
            content_type = reply_style.MOTO_TYPE
            headers.append(("Connection", "close"))
            self.close_connection = True
        fault_replies.send(self, self.active_fault, status, payload, content_type, headers)

    def _send_json(self, status, obj):
        self._send(status, json.dumps(obj).encode("utf-8"))

    def _send_error(self, err):
        self._send(err.status, json.dumps(err.body()).encode("utf-8"), err.type, err.message)

    # -- methods -------------------------------------------------------------
    def do_GET(self):
        self.active_fault = None
        self.reply_service = None
        path = self.path.split("?")[0]
        if path == "/health":
            self._send_json(200, {"status": "ok"})
            return
        self._count_http()
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[1:] == [".well-known", "jwks.json"]:
            self._jwks(parts[0])
        elif (len(parts) == 4 and parts[0] == multiregion.ISSUER_PATH
              and parts[2:] == [".well-known", "jwks.json"]):
            self._jwks(parts[1], "UPDATED")
        else:
            self._send_error(CognitoError("UnknownOperationException", "Use POST /", 404))

    def _jwks(self, pool_id, form="ORIGINAL"):
        """GET /<user pool id>/.well-known/jwks.json, as Cognito serves it;
        the updated issuer's at /issuer-cognito-idp/<user pool id>/..."""
        st = self.server.state
        with st.stats.lock:
            st.stats.jwks_fetches += 1
        with st.lock:
            known = pool_id in st.pools
            keys = st.keys.jwks(form) if known else None
        if not known:
            self._send(404, json.dumps({"message": "User pool %s does not exist." % pool_id})
                       .encode(), "ResourceNotFoundException")
            return
        # Faults on the key fetch: Operation "GetJWKS".
        fault = st.faults.take("GetJWKS")
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        self.active_fault = fault
        if fault is not None and fault.kind == "error_tokens_200":
            keys = fault_replies.error_body(keys)
        if fault is not None and self._early_fault(fault):
            return
        self._send(200, json.dumps(keys).encode(), content_type="application/json")

    def _count_http(self):
        with self.server.state.stats.lock:
            self.server.state.stats.http_requests += 1

    def do_POST(self):
        st = self.server.state
        self.active_fault = None
        self.reply_service = None
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            self._send_error(CognitoError("SerializationException", "Request body too large"))
            return
        target = self.headers.get("X-Amz-Target", "")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if not target and ctype == "application/x-www-form-urlencoded":
            self._sts(body)  # the AWS query protocol: STS
            return
        resolved = dispatch.resolve(target)
        is_control = target.startswith(dispatch.CONTROL + ".")
        if not is_control:
            self._count_http()
            self._count(resolved[1] if resolved else (target or "(none)"))
        if self.path.split("?")[0] != "/":
            self._send_error(CognitoError("UnknownOperationException",
                                          "No operation at path %s; use POST /" % self.path, 404))
            return
        if resolved is not None and not is_control and resolved[1] in st.unserved:
            # A server without it (EmulatorControl.SetUnservedOperations);
            # counted and logged as the call it is.
            refresh.log_unserved(st, resolved[1], body)
            resolved = None
        if resolved is None:
            self._send_error(CognitoError("UnknownOperationException",
                                          "Unknown operation %s" % (target or "(missing X-Amz-Target)")))
            return
        service, op, fn = resolved
        if not is_control:
            self.reply_service = service
        if service == dispatch.IDP and op in sigv4.SIGNED_OPERATIONS:
            try:
                with st.lock:
                    sigv4.verify(st, self.command, self.path, self.headers.items(), body)
            except CognitoError as err:
                self._send_error(err)
                return
        try:  # a fault's When looks at the request
            peek = json.loads(body.decode("utf-8")) if body.strip() else None
        except (ValueError, UnicodeDecodeError):
            peek = None
        if not is_control:
            journal.record(st, service, op, peek if isinstance(peek, dict) else None,
                           bool(self.headers.get("Authorization")))
        fault = None if is_control else st.faults.take(op, request=peek)
        self.active_fault = fault
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and self._early_fault(fault):
            return
        try:
            try:
                request = json.loads(body.decode("utf-8")) if body.strip() else None
            except (ValueError, UnicodeDecodeError):
                raise CognitoError("SerializationException",
                                   "Malformed request body: not valid JSON")
            if not isinstance(request, dict):
                raise CognitoError("SerializationException",
                                   "Request body must be a JSON object")
            if service == dispatch.IDP:
                usercontext.record(st, op, request)
            with st.lock:
                if service == dispatch.IDP:
                    multiregion.check_replica(st, op)
                st.current_op = op      # token faults can name the operation
                status, result = 200, fn(st, request)
        except CognitoError as err:
            status, result = err.status, err
        except Exception as exc:  # a bug in the emulator: say so, like a 500
            status, result = 500, CognitoError("InternalErrorException",
                                               "Emulator error: %s: %s" % (type(exc).__name__, exc), 500)
        if fault is not None:
            self._late_fault(fault, status, result, peek)
            return
        if isinstance(result, CognitoError):
            self._send_error(result)
        else:
            self._send_json(200, result)

    def _sts(self, body):
        """STS AssumeRoleWithWebIdentity (sts.py), with the faults of
        Operation "AssumeRoleWithWebIdentity" that answer without running it."""
        st = self.server.state
        self._count_http()
        self._count(sts.ACTION)
        if self.path.split("?")[0] != "/":
            self._send(404, sts.StsError("InvalidAction", "No such path").xml(),
                       content_type=sts.XML_TYPE)
            return
        fault = st.faults.take(sts.ACTION)
        self.active_fault = fault
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.kind == "error":
            # an STS error code answers as STS does: XML, the code's status
            err = sts.StsError(fault.error_type, fault.value or fault.error_type,
                               sts.STATUS.get(fault.error_type, 400))
            self._send(err.status, err.xml(), content_type=sts.XML_TYPE)
            return
        if fault is not None and self._early_fault(fault):
            return
        try:
            params = sts.parse_form(body)
            journal.record(st, journal.STS, params.get("Action", ""), params,
                           bool(self.headers.get("Authorization")))
            with st.lock:
                status, payload = sts.assume_role_with_web_identity(st, params)
        except sts.StsError as err:
            status, payload = err.status, err.xml()
        if fault is not None and fault.kind == "error_tokens_200" and status == 200:
            payload = sts.with_error(payload)  # credentials and an error, in a 200
        self._send(status, payload, content_type=sts.XML_TYPE)

    def _count(self, op):
        stats = self.server.state.stats
        with stats.lock:
            if not self.counted:
                self.counted = True
                stats.connections += 1
            stats.requests += 1
            if "100-continue" in (self.headers.get("Expect") or "").lower():
                stats.expect_continue += 1
            stats.by_operation[op] = stats.by_operation.get(op, 0) + 1

    # -- faults ------------------------------------------------------------
    def _early_fault(self, fault):
        """Faults that answer without running the operation."""
        kind = fault.kind
        if kind == "garbage":
            self._send(200, b"<html><body>502 Bad Gateway \x00\xff not json</body></html>")
        elif kind == "empty":
            self._send(200, b"")
        elif kind == "http500":
            self._send_error(CognitoError("InternalErrorException", "Internal server error.", 500))
        elif kind == "error":
            import error_catalog
            status = error_catalog.STATUS.get(fault.error_type, 400)
            self._send_error(CognitoError(fault.error_type, fault.value, status))
        elif kind == "throttle":
            self._send_error(CognitoError("TooManyRequestsException", "Rate exceeded"))
        elif kind == "http429":
            self._send_error(CognitoError("TooManyRequestsException", "Rate exceeded", 429))
        elif kind == "refused":
            fault_replies.reset(self)
        elif kind == "hang":
            fault_replies.hang(self, fault.value and float(fault.value))
        elif kind == "error_200":
            self._send(200, fault_replies.dumps(fault_replies.error_body()))
        elif kind == "close":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        elif kind == "oversized":
            filler = "A" * OVERSIZE
            payload = json.dumps({"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": {
                "SALT": "1a2b3c", "SRP_B": "2", "USER_ID_FOR_SRP": "x", "USERNAME": "x",
                "SECRET_BLOCK": filler}}).encode()
            self._send(200, payload)
        else:
            return False
        return True

    def _late_fault(self, fault, status, result, request=None):
        """Faults that alter the real answer."""
        if fault.kind == "error_tokens_200":
            if isinstance(result, CognitoError) or "AuthenticationResult" not in result:
                minted = fault_replies.mint_tokens(self.server.state, request)
                result = {} if isinstance(result, CognitoError) else result
                if minted is not None:
                    result = dict(result, **minted)
            self._send(200, fault_replies.dumps(fault_replies.error_body(result)))
            return
        if isinstance(result, CognitoError):
            payload = json.dumps(result.body()).encode()
        else:
            if fault.kind in ("missing_field", "bad_srp_b", "zero_srp_b", "n_srp_b"):
                params = result.get("ChallengeParameters")
                if isinstance(params, dict) and "SRP_B" in params:
                    import srp
                    if fault.kind == "missing_field":
                        del params["SRP_B"]
                    elif fault.kind == "bad_srp_b":
                        params["SRP_B"] = "zz-not-hex-" + params["SRP_B"][:16]
                    elif fault.kind == "zero_srp_b":
                        params["SRP_B"] = "0"
                    else:
                        params["SRP_B"] = srp.N_HEX.lower()
            if fault.kind == "challenge":
                result = {"ChallengeName": fault.challenge, "Session": "injected-" + fault.challenge,
                          "ChallengeParameters": {}}
            payload = json.dumps(result).encode()
        if isinstance(result, CognitoError):
            self._send(status, payload, result.type, result.message)
        else:
            self._send(status, payload)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        pass  # a client that went away is not the emulator's problem

    def __init__(self, address, state, family=socket.AF_INET):
        self.address_family = family
        self.state = state
        super().__init__(address, Handler)


def serve_in_thread(server):
    # The poll interval is how long a stop waits (a hundred emulators a run).
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    return thread
