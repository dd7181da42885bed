"""What the system tests of the sync change on this machine, saved before
and put back exactly after: /var/lib/extrausers (every file under it, with
modes and owners, or its absence), /etc/nsswitch.conf, and the sudoers file
the sync writes. Nothing of a test may stay behind.

watched() is what every test module of tests/sync must leave byte for byte
as it found it (synccommon's setUpModule / tearDownModule check it)."""
import os
import shutil
from pathlib import Path

NSS_DIR = "/var/lib/extrausers"
NSSWITCH = "/etc/nsswitch.conf"
SUDOERS = "/etc/sudoers.d/pam_cognito"
CACHE_DIR = "/var/cache/pam_cognito"  # cache_dir's default, swept by a run
WATCHED = ("/etc/passwd", "/etc/group", NSSWITCH, "/etc/sudoers.d", CACHE_DIR)


def _tree(top):
    """{relative path: (bytes or None for a directory, mode, uid, gid)}."""
    out = {}
    for d, dirs, files in os.walk(top):
        for name in dirs + files:
            p = Path(d, name)
            st = os.lstat(p)
            data = None if p.is_dir() else p.read_bytes()
            out[str(p.relative_to(top))] = (data, st.st_mode & 0o7777, st.st_uid, st.st_gid)
    return out


def file_state(path):
    p = Path(path)
    if not p.exists():
        return None
    st = p.stat()
    return (p.read_bytes(), st.st_mode & 0o7777, st.st_uid, st.st_gid)


def save():
    return {"dir": _tree(NSS_DIR) if os.path.isdir(NSS_DIR) else None,
            "nsswitch": Path(NSSWITCH).read_bytes(), "sudoers": file_state(SUDOERS)}


def put_file(path, saved):
    """path back to saved (file_state's answer; None: no file)."""
    if saved is None:
        if os.path.lexists(path):
            os.unlink(path)
        return
    data, mode, uid, gid = saved
    tmp = "%s.pc-test-restore" % path
    Path(tmp).write_bytes(data)
    os.chown(tmp, uid, gid)
    os.chmod(tmp, mode)
    os.rename(tmp, path)


def restore(saved):
    Path(NSSWITCH).write_bytes(saved["nsswitch"])
    put_file(SUDOERS, saved["sudoers"])
    if saved["dir"] is None:
        shutil.rmtree(NSS_DIR, ignore_errors=True)
        return
    now = _tree(NSS_DIR) if os.path.isdir(NSS_DIR) else {}
    for rel in sorted(set(now) - set(saved["dir"]), reverse=True):
        p = os.path.join(NSS_DIR, rel)
        shutil.rmtree(p) if os.path.isdir(p) and not os.path.islink(p) else os.unlink(p)
    for rel, item in sorted(saved["dir"].items()):
        p = os.path.join(NSS_DIR, rel)
        if item[0] is None:
            os.makedirs(p, exist_ok=True)
            os.chown(p, item[2], item[3])
            os.chmod(p, item[1])
        else:
            put_file(p, item)


def with_nss(text, dbs=("passwd", "group", "shadow"), group_merge=False):
    """nsswitch.conf with extrausers after files for dbs; with group_merge
    the group line is the one local_groups needs:
    group: files [SUCCESS=merge] extrausers."""
    out = []
    for line in text.splitlines():
        key = line.split(":", 1)[0].strip()
        if key in dbs:
            if key == "group" and group_merge:
                line = line.replace("files", "files [SUCCESS=merge] extrausers", 1)
            elif "extrausers" not in line:
                line = line.replace("files", "files extrausers", 1)
        out.append(line)
    return "\n".join(out) + "\n"


def watched():
    """{path: state} of WATCHED: a file's bytes, mode and owner, or a
    directory's every file (file_state, _tree), or None when absent."""
    return {p: _tree(p) if os.path.isdir(p) else file_state(p) for p in WATCHED}
