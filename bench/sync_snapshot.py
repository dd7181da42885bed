#!/usr/bin/env python3
"""One group of 5,000 members (issue 28 item 4): the time and peak memory
of a publisher run (--publish: ListUsersInGroup pages from the emulator,
signed, PUT) and of a host run from the snapshot (GET, signature, files
written), and of an unchanged host run (304). Prints one line per run.
Not a test: it fails only when a run fails. Usage: bench/sync_snapshot.py
[MEMBERS] (default 5000); PAM_COGNITO_BUILD as for the tests."""
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "sync"))

from synccommon import TOOL, Emulator, key_env, sync_fixture, write_config  # noqa: E402
from s3server import S3Server  # noqa: E402


def timed(label, argv, env):
    """Run argv under /usr/bin/time -f: wall seconds and max RSS (KiB)."""
    t0 = time.monotonic()
    p = subprocess.run(["/usr/bin/time", "-f", "%e %M", *argv], env=env,
                       capture_output=True, text=True, timeout=600)
    wall = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit("%s failed:\n%s" % (label, p.stderr))
    rss = int(p.stderr.strip().splitlines()[-1].split()[1])
    print("%-34s %6.2f s wall  %7.1f MiB peak RSS" % (label, wall, rss / 1024.0))
    return p


def main():
    members = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    tmp = tempfile.mkdtemp(prefix="pc-bench-snap-")
    os.chmod(tmp, 0o755)
    emu = Emulator(fixture=sync_fixture(many=members)).start()
    s3 = S3Server().start()
    try:
        priv, pub = os.path.join(tmp, "k.pem"), os.path.join(tmp, "k.pub")
        subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", priv], check=True)
        subprocess.run(["openssl", "pkey", "-in", priv, "-pubout", "-out", pub], check=True)
        url = s3.url + "/bench/snapshot.json"
        pcfg, hcfg = os.path.join(tmp, "pub.conf"), os.path.join(tmp, "host.conf")
        write_config(pcfg, emu, nss_dir=os.path.join(tmp, "pub"), nss_groups=["pcs-many"])
        write_config(hcfg, emu, nss_dir=os.path.join(tmp, "host"), nss_groups=["pcs-many"],
                     snapshot_url=url, snapshot_public_key=pub)
        env = key_env()
        print("%d members in one group" % members)
        timed("publisher (--publish)", [TOOL, "-c", pcfg, "--publish", url,
                                        "--signing-key", priv], env)
        print("snapshot object: %d bytes" % len(s3.objects["/bench/snapshot.json"][0]))
        timed("host from the snapshot (200)", [TOOL, "-c", hcfg], env)
        lines = Path(tmp, "host", "passwd").read_text().count("\n")
        timed("host, unchanged (304)", [TOOL, "-c", hcfg], env)
        timed("direct run (no snapshot)", [TOOL, "-c", pcfg], env)
        print("passwd lines written by the host: %d" % lines)
    finally:
        s3.stop()
        emu.stop()
        shutil.rmtree(tmp, True)


if __name__ == "__main__":
    main()
