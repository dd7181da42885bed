"""Programs the conversation runs while the module waits for an answer
(sudo's askpass, a conversation that spawns a helper while a code is asked
for) inherit no descriptor of the module: no connection, no socket pair of
libcurl's."""
import os
import tempfile
import unittest

from pamrun import EmulatorTest

# Lists the descriptors the child inherited (the shell keeps its script
# open on fd 10 or so; that one is its own).
LISTER = """#!/bin/sh
cd /proc/$$/fd || exit 1
for f in *; do
  printf '%s %s\\n' "$f" "$(readlink "$f")"
done
"""


class FdInheritTest(EmulatorTest):
    def setUp(self):
        super().setUp()
        fd, self.lister = tempfile.mkstemp(prefix="pc-fdlist-", suffix=".sh")
        os.write(fd, LISTER.encode())
        os.close(fd)
        os.chmod(self.lister, 0o755)

    def tearDown(self):
        os.unlink(self.lister)
        super().tearDown()

    def inherited(self, listing):
        """The child's descriptors beyond 0-2 that are not its own script
        (nor the pipe of its $(...) subshell)."""
        out = []
        for line in listing.splitlines():
            num, _, target = line.partition(" ")
            if num in ("0", "1", "2") or target == self.lister:
                continue
            out.append(line)
        return out

    def test_child_during_code_prompt_holds_nothing_of_ours(self):
        r = self.s.run("smsuser", ["Sms-Passw0rd1!", self.code("smsuser")], child=self.lister)
        self.assertEqual(r.code, "PAM_SUCCESS", r)
        self.assertEqual(len(r.children), 2, r)  # password, then code
        # At the code prompt the connection is open and libcurl has made
        # its socket pairs: none may be inherited.
        for listing in r.children:
            extra = [l for l in self.inherited(listing) if "socket:" in l]
            self.assertEqual(extra, [], listing)


if __name__ == "__main__":
    unittest.main()
