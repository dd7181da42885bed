"""A TLS front for the emulator that simulates a long-distance link.

DelayProxy listens on 127.0.0.1, terminates TLS with a certificate from a
test CA made at run time (openssl CLI), and forwards the plain bytes to the
emulator. It adds latency the way a far-away server does:

  - a new connection waits 2 * rtt before its TLS handshake is answered
    (TCP's SYN/SYN-ACK and TLS's one round trip);
  - every chunk of bytes, in either direction, is delivered rtt / 2 after it
    arrived, so one request and its answer cost one rtt.

It counts what a login costs on the wire: connections (with the time each
was accepted, time.monotonic(), comparable with the tests' clocks) and the
requests by method (the first bytes of a chunk from the client). Optional
faults: refuse the first N connections (closed at accept), close a
connection idle for idle_close seconds (a server dropping idle
keep-alive connections), hold every request answer_delay seconds more
before passing it on (a server slow to answer each request), and silent
(accept every connection, then never read or answer: a hung server).
Loopback only; stop() ends the thread and every connection.
"""
import asyncio
import os
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path


def make_test_ca(directory):
    """A CA and a server certificate for 127.0.0.1 / localhost, made with the
    openssl CLI in directory. Returns (ca_cert, server_cert, server_key)."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    ca_key, ca_crt = d / "ca.key", d / "ca.crt"
    key, csr, crt = d / "server.key", d / "server.csr", d / "server.crt"
    ext = d / "server.ext"
    ext.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                   "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n"
                   "extendedKeyUsage=serverAuth\n")

    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", str(ca_key), "-out", str(ca_crt), "-days", "2",
        "-subj", "/CN=pam_cognito test CA")
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", str(key), "-out", str(csr), "-subj", "/CN=127.0.0.1")
    run("x509", "-req", "-in", str(csr), "-CA", str(ca_crt), "-CAkey", str(ca_key),
        "-CAcreateserial", "-out", str(crt), "-days", "2", "-extfile", str(ext))
    for p in (ca_crt, crt):
        os.chmod(p, 0o644)
    return str(ca_crt), str(crt), str(key)


class DelayProxy:
    def __init__(self, backend_port, rtt=0.0, cert=None, key=None,
                 refuse_first=0, idle_close=None, answer_delay=0.0, silent=False):
        self.backend_port = backend_port
        self.answer_delay = answer_delay
        self.silent = silent
        self._held = []  # silent: accepted sockets, closed by stop()
        self.rtt = rtt
        self.refuse_first = refuse_first
        self.idle_close = idle_close
        self.ctx = None
        if cert:
            self.ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self.ctx.load_cert_chain(cert, key)
        self.lock = threading.Lock()
        self.accepted = []      # monotonic time of each accepted connection
        self.requests = {}      # method -> count
        self.request_times = []  # monotonic time each request arrived
        self.port = None
        self._loop = None
        self._thread = None
        self._ready = threading.Event()
        self._tasks = set()

    @property
    def url(self):
        return "%s://127.0.0.1:%d" % ("https" if self.ctx else "http", self.port)

    # -- lifecycle -----------------------------------------------------------
    def start(self):
        self._lsock = socket.socket()
        self._lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._lsock.bind(("127.0.0.1", 0))
        self._lsock.listen(64)
        self._lsock.setblocking(False)
        self.port = self._lsock.getsockname()[1]
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("delay proxy did not start")
        return self

    def stop(self):
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._shutdown)
            self._thread.join(10)
        self._lsock.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def reset(self):
        with self.lock:
            self.accepted = []
            self.requests = {}
            self.request_times = []

    def stats(self):
        with self.lock:
            return {"Connections": len(self.accepted), "Accepted": list(self.accepted),
                    "Requests": dict(self.requests),
                    "RequestTimes": list(self.request_times)}

    # -- the event loop --------------------------------------------------------
    def _run(self):
        self._loop = asyncio.new_event_loop()
        self._main = self._loop.create_task(self._accept_loop())
        self._ready.set()
        try:
            self._loop.run_until_complete(self._main)
        except asyncio.CancelledError:
            pass
        finally:
            self._loop.close()

    def _shutdown(self):
        for t in list(self._tasks):
            t.cancel()
        for sock in self._held:
            sock.close()
        self._main.cancel()

    def _spawn(self, coro):
        t = self._loop.create_task(coro)
        self._tasks.add(t)
        t.add_done_callback(self._tasks.discard)
        return t

    async def _accept_loop(self):
        loop = asyncio.get_running_loop()
        while True:
            sock, _ = await loop.sock_accept(self._lsock)
            with self.lock:
                self.accepted.append(time.monotonic())
                n = len(self.accepted)
            if n <= self.refuse_first:
                sock.close()
                continue
            if self.silent:
                self._held.append(sock)
                continue
            self._spawn(self._serve(sock))

    async def _serve(self, sock):
        loop = asyncio.get_running_loop()
        writers = []
        try:
            await asyncio.sleep(2 * self.rtt)  # TCP + TLS handshakes
            reader = asyncio.StreamReader(limit=1 << 20)
            proto = asyncio.StreamReaderProtocol(reader)
            transport, _ = await loop.connect_accepted_socket(
                lambda: proto, sock, ssl=self.ctx)
            writer = asyncio.StreamWriter(transport, proto, reader, loop)
            writers.append(writer)
            breader, bwriter = await asyncio.open_connection("127.0.0.1", self.backend_port)
            writers.append(bwriter)
            # busy: a request is on its way and its answer has not come back;
            # a server's idle timeout never cuts a request it is answering.
            state = {"last": loop.time(), "busy": False}
            pumps = [self._spawn(self._pump(reader, bwriter, state, True)),
                     self._spawn(self._pump(breader, writer, state, False))]
            if self.idle_close:
                pumps.append(self._spawn(self._idle_watch(state)))
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
            for p in pumps:
                p.cancel()
        except (OSError, ssl.SSLError, asyncio.CancelledError):
            pass
        finally:
            for w in writers:
                w.close()
            if not writers:
                sock.close()

    async def _idle_watch(self, state):
        loop = asyncio.get_running_loop()
        while True:
            left = state["last"] + self.idle_close - loop.time()
            if state["busy"]:
                left = self.idle_close
            elif left <= 0:
                return
            await asyncio.sleep(left)

    def _count(self, data):
        """Count a chunk that begins a request; True when it does."""
        method = data.split(b" ", 1)[0]
        if method in (b"GET", b"POST", b"PUT", b"HEAD", b"DELETE", b"OPTIONS"):
            with self.lock:
                m = method.decode()
                self.requests[m] = self.requests.get(m, 0) + 1
                self.request_times.append(time.monotonic())
            return True
        return False

    async def _pump(self, src, dst, state, from_client):
        """Copy src to dst, each chunk rtt/2 after it arrived, in order."""
        loop = asyncio.get_running_loop()
        q = asyncio.Queue()

        async def deliver():
            while True:
                due, data = await q.get()
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    return
                dst.write(data)
                await dst.drain()
                state["last"] = loop.time()

        out = self._spawn(deliver())
        try:
            while True:
                try:
                    data = await src.read(65536)
                except (OSError, ssl.SSLError):
                    data = b""
                state["last"] = loop.time()
                due = loop.time() + self.rtt / 2
                if data and from_client:
                    if self._count(data):
                        due += self.answer_delay
                    state["busy"] = True
                elif data:
                    state["busy"] = False
                q.put_nowait((due, data))
                if not data:
                    break
            await out
        finally:
            out.cancel()
