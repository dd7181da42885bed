"""Part (d) of bench/run: CPU per login beside an OpenSSL floor.

  - floor: bench/srp_floor.c, the three constant-time 3072-bit modular
    exponentiations of a login with Cognito's exponent sizes, plus the
    hashes and HMACs (CPU per login, and callgrind's instruction count);
  - the whole PAM call: pam-run's process CPU (user + system, from wait4)
    for one SRP login over TLS with the module, minus the same process
    with a pam_permit stack: the module's own CPU, loading included;
  - the module's load cost: dlopen(RTLD_NOW) in a fresh process
    (bench/load_cost.c), next to its libraries loaded alone.
"""
import os
import re
import shlex
import shutil
import statistics
import subprocess
import tempfile

from delayproxy import DelayProxy, make_test_ca
from pamrun import BUILD, MODULE, PAM_RUN, Emulator, Stack, base_config

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIBDIR = "/usr/lib/x86_64-linux-gnu"
PASSKEY_PLUGIN = str(BUILD / ".libs" / "pam_cognito_passkey.so")


def compile_c(cc, cflags, src, out, libs=()):
    cmd = shlex.split(cc) + shlex.split(cflags) + ["-o", out, src] + list(libs)
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("compiling %s failed:\n%s" % (src, p.stderr))


def process_cpu(cmd):
    """Run cmd; its CPU seconds (user + system, all threads)."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise RuntimeError("%s failed (%d)" % (cmd[0], p.returncode))
    return ru.ru_utime + ru.ru_stime


def floor(tmp, cc, cflags):
    exe = os.path.join(tmp, "srp_floor")
    compile_c(cc, cflags, os.path.join(REPO, "bench", "srp_floor.c"), exe, ["-lcrypto"])
    parts = [float(v) for v in subprocess.run([exe, "200"], capture_output=True, text=True,
                                              check=True).stdout.split()]
    out = os.path.join(tmp, "floor.callgrind")
    ir = None
    if shutil.which("valgrind"):
        subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, exe, "1"],
                       capture_output=True, check=True)
        ann = subprocess.run(["callgrind_annotate", "--inclusive=yes", out],
                             capture_output=True, text=True, check=True).stdout
        for line in ann.splitlines():
            m = re.match(r"\s*([\d,]+)\s.*\bfloor_login\b", line)
            if m:
                ir = int(m.group(1).replace(",", "")) // 2  # warm-up + one login
                break
    return parts, ir


def login_cpu(n):
    """Median process CPU of an SRP login with the module (over TLS, no
    delay) and of the same pam-run with pam_permit."""
    tmp = tempfile.mkdtemp(prefix="pc-bench-cpu-")
    try:
        ca, cert, key = make_test_ca(os.path.join(tmp, "pki"))
        with Emulator() as emu, DelayProxy(emu.port, cert=cert, key=key) as px:
            stack = Stack(base_config(emu, idp_endpoint=px.url, identity_endpoint=px.url,
                                      ca_file=ca))
            stack.write_service("permit", "auth required pam_permit.so\n")
            stack.write_service(stack.service, "auth required @MODULE@ config=@CONFIG@\n")
            answers = os.path.join(tmp, "answers")
            with open(answers, "w") as f:
                f.write("Alice-Passw0rd!\n")
            base = [PAM_RUN, "-d", str(stack.service_dir), "-a", answers, "-u", "alice"]
            mod, permit = [], []
            for i in range(n + 2):
                m = process_cpu(base + ["-s", stack.service, "auth"])
                p = process_cpu(base + ["-s", "permit", "auth"])
                if i >= 2:  # page cache and emulator warm
                    mod.append(m)
                    permit.append(p)
            stack.cleanup()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return statistics.median(mod), statistics.median(permit)


def load_costs(tmp, cc, cflags, runs=15):
    exe = os.path.join(tmp, "load_cost")
    compile_c(cc, cflags, os.path.join(REPO, "bench", "load_cost.c"), exe, ["-ldl"])
    rows = []
    for label, path in (("pam_cognito.so (everything below)", MODULE),
                        ("libcurl.so.4 alone", LIBDIR + "/libcurl.so.4"),
                        ("libcrypto.so.3 alone", LIBDIR + "/libcrypto.so.3"),
                        ("libjson-c.so.5 alone", LIBDIR + "/libjson-c.so.5"),
                        ("libconfig.so.9 alone", LIBDIR + "/libconfig.so.9"),
                        # opened only by a passkey login (lib/login/passkey.c)
                        ("passkey plugin (passkey logins only)", PASSKEY_PLUGIN)):
        if not os.path.exists(path):
            continue
        samples = [subprocess.run([exe, path], capture_output=True, text=True,
                                  check=True).stdout.split() for _ in range(runs)]
        rows.append((label, statistics.median(float(s[0]) for s in samples),
                     statistics.median(float(s[1]) for s in samples), int(samples[0][2])))
    return rows


def curl_only_deps():
    """Libraries that only libcurl needs (nothing else in the module uses)."""
    def deps(path):
        out = subprocess.run(["ldd", path], capture_output=True, text=True).stdout
        return {l.split()[0] for l in out.splitlines() if "=>" in l}
    others = set()
    for lib in ("libcrypto.so.3", "libjson-c.so.5", "libconfig.so.9", "libpam.so.0"):
        if os.path.exists(LIBDIR + "/" + lib):
            others |= deps(LIBDIR + "/" + lib) | {lib}
    return sorted(deps(LIBDIR + "/libcurl.so.4") - others - {"libssl.so.3"})


def run(n, cc, cflags):
    tmp = tempfile.mkdtemp(prefix="pc-bench-d-")
    try:
        parts, ir = floor(tmp, cc, cflags)
        mod, permit = login_cpu(n)
        loads = load_costs(tmp, cc, cflags)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    total = sum(parts)
    print("(d) CPU per login (median of %d; pam-run processes, SRP over TLS with no delay):" % n)
    print("    OpenSSL floor (bench/srp_floor.c, constant time): %.2f ms"
          "  = g^a %.2f + g^x %.2f + S %.2f + hashes/HMACs %.3f" % (total, *parts))
    if ir:
        print("    floor instruction count (callgrind):         %13s Ir" % format(ir, ","))
    print("    whole PAM call with pam_cognito:  %6.1f ms CPU" % (mod * 1000))
    print("    same pam-run with pam_permit:     %6.1f ms CPU" % (permit * 1000))
    print("    the module's own CPU:             %6.1f ms   (%.1f x the floor; loading, "
          "TLS handshake, JSON and the warm-up thread included)"
          % ((mod - permit) * 1000, (mod - permit) * 1000 / total))
    print("    load cost, dlopen(RTLD_NOW) in a fresh process (median of 15):")
    for label, wall, cpu, objs in loads:
        print("      %-36s %6.2f ms wall %6.2f ms CPU  %2d objects" % (label, wall, cpu, objs))
    print("    libraries only libcurl brings in: " + ", ".join(curl_only_deps()))
    print("    libfido2 among pam_cognito.so's libraries (a password login): %s"
          % ("yes" if "libfido2" in subprocess.run(["ldd", MODULE], capture_output=True,
                                                   text=True).stdout else "no"))
