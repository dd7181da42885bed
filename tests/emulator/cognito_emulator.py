#!/usr/bin/env python3
"""Local stand-in for Amazon Cognito user pools and identity pools.

    python3 cognito_emulator.py [--host 127.0.0.1] [--port 0] [--port-file PATH]
                                [--fixture FILE.json] [--codes-file PATH]

See README.md in this directory for the fixture format and the API.
"""

import argparse
import ipaddress
import json
import os
import signal
import socket
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import server  # noqa: E402
import state  # noqa: E402

DEFAULT_FIXTURE = os.path.join(HERE, "fixtures", "default.json")


def loopback_family(host):
    """Socket family for a loopback host, or None when it is not loopback."""
    if host == "localhost":
        return socket.AF_INET, "127.0.0.1"
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return None
    if not addr.is_loopback:
        return None
    return (socket.AF_INET6 if addr.version == 6 else socket.AF_INET), str(addr)


def write_port_file(path, port):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w", encoding="ascii") as fh:
        fh.write("%d\n" % port)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load_fixture(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Cognito emulator for pam_cognito tests")
    ap.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    ap.add_argument("--port", type=int, default=0, help="port (0 picks a free one)")
    ap.add_argument("--port-file", help="write the bound port here once listening")
    ap.add_argument("--fixture", default=DEFAULT_FIXTURE, help="fixture JSON file")
    ap.add_argument("--codes-file", help="append one line per code sent")
    args = ap.parse_args(argv)

    family = loopback_family(args.host)
    if family is None:
        print("cognito emulator: refusing to listen on non-loopback host %r" % args.host,
              file=sys.stderr)
        return 2
    fam, host = family
    try:
        fixture = load_fixture(args.fixture)
    except (OSError, ValueError) as exc:
        print("cognito emulator: cannot load fixture %s: %s" % (args.fixture, exc),
              file=sys.stderr)
        return 2

    st = state.State(fixture, codes_file=args.codes_file)
    try:
        srv = server.Server((host, args.port), st, fam)
    except OSError as exc:
        print("cognito emulator: cannot listen on %s:%d: %s" % (host, args.port, exc),
              file=sys.stderr)
        return 1
    port = srv.server_address[1]

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())

    thread = server.serve_in_thread(srv)
    if args.port_file:
        write_port_file(args.port_file, port)
    shown = "[%s]" % host if fam == socket.AF_INET6 else host
    print("cognito emulator listening on http://%s:%d" % (shown, port), flush=True)
    while not stop.wait(0.5):
        if not thread.is_alive():
            break
    srv.shutdown()
    srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
