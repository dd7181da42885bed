"""The demo behind scripts/demo: emulator + sshd + pam_cognito, a scripted
login, then an sshd you can log in to. Nothing under /etc/pam.d is touched:
sshd reads its PAM stack through pam_wrapper from a temporary directory."""
import argparse
import os
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("PAM_COGNITO_BUILD", str(REPO / "build"))
sys.path.insert(0, str(REPO / "tests" / "e2e"))

from cognito import Emulator, config_file, harness  # noqa: E402
from pamrun import IDENTITY_POOL, MODULE  # noqa: E402

USERS = {
    "alice": "password Alice-Passw0rd!",
    "newbie": "temporary password Temp-Passw0rd1! (you will choose a new one; "
              "the pool also asks for your name)",
    "smsuser": "password Sms-Passw0rd1! then the SMS code this window prints",
}


def say(text=""):
    print(text, flush=True)


def follow_codes(path, stop):
    """Print each SMS/email code the emulator 'sends', as a phone would."""
    seen = 0
    while not stop.is_set():
        try:
            lines = Path(path).read_text().splitlines()
        except FileNotFoundError:
            lines = []
        for line in lines[seen:]:
            parts = line.split()
            if len(parts) >= 5:
                say(f"  [{parts[2]} to {parts[3]} for {parts[1]}: code {parts[4]}]")
        seen = len(lines)
        stop.wait(0.5)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--no-wait", action="store_true",
                    help="stop after the scripted login instead of waiting for Ctrl-C")
    ap.add_argument("--port", type=int, default=2222, help="sshd port on 127.0.0.1 (default 2222; 0 picks a free one)")
    ap.add_argument("--address", default="127.0.0.1",
                    help="address sshd listens on (default 127.0.0.1; the docker image uses 0.0.0.0)")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="pam-cognito-demo-")
    codes = os.path.join(work, "codes.txt")
    emu = Emulator(codes_file=codes).start()
    config = config_file(emu, identity_pool_id=IDENTITY_POOL, cache_dir=os.path.join(work, "cache"))
    for user in USERS:
        harness.ensure_local_user(user, shell="/bin/bash")
    stack = (f"auth required {MODULE} config={config}\n"
             "account required pam_permit.so\n"
             f"password required {MODULE} config={config}\n"
             f"session required {MODULE} config={config}\n"
             "session required pam_permit.so\n")
    svc = harness.PamServiceDir({"sshd-cognito": stack})
    sshd = harness.Sshd(svc, port=args.port or None, address=args.address)
    stop = threading.Event()
    try:
        sshd.start()
        say(f"Cognito emulator: {emu.url}   (user pool us-east-1_Emul4tor)")
        say(f"sshd with pam_cognito: {args.address} port {sshd.port}   (PAM stack in {svc.path})")
        say(f"pam_cognito.conf: {config}")
        say()
        say("== A scripted login: ssh alice@127.0.0.1, keyboard-interactive")
        r = sshd.login("alice", [(r"Password: ", "Alice-Passw0rd!")],
                       command="env | grep ^AWS_ | sort")
        for p in r.prompts_seen:
            say(f"  prompt shown: {p!r}   (answered, echo off)")
        say(f"  ssh exit status: {r.exit_status}")
        say("  the session's environment:")
        for line in r.output.splitlines():
            key, _, value = line.partition("=")
            if key in ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN") and len(value) > 12:
                value = value[:8] + "..." + f" ({len(value)} chars)"
            say(f"    {key}={value}")
        if r.exit_status != 0:
            say(r.transcript)
            return 1
        if args.no_wait:
            return 0
        say()
        say("== Now log in yourself, in another terminal:")
        for user, how in USERS.items():
            say(f"  ssh -p {sshd.port} -o PreferredAuthentications=keyboard-interactive "
                f"-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null {user}@127.0.0.1")
            say(f"      {how}")
        say("Codes sent by SMS appear below. Ctrl-C stops the demo.")
        threading.Thread(target=follow_codes, args=(codes, stop), daemon=True).start()
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
        say("\nstopping")
        return 0
    finally:
        stop.set()
        sshd.cleanup()
        svc.cleanup()
        emu.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    sys.exit(main())
