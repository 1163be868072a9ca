"""`make run`: the development web server and a job worker side by side, stopped together.

    python -m config.run 127.0.0.1:8000

Each runs in its own process group, so stopping one stops all of its processes (runserver's
autoreloader child among them). Ctrl-C (SIGINT) or SIGTERM here sends SIGTERM to both: the
server exits, the worker finishes the job it is running and exits. A second Ctrl-C, or ten
seconds without them exiting, kills them. If either exits by itself, the other is stopped too.
On Linux each child also gets SIGTERM if this process is killed outright (PR_SET_PDEATHSIG), so
no worker is left behind whatever happens to the launcher."""

import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRACE_SECONDS = 10
PR_SET_PDEATHSIG = 1


def _die_with_parent():
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: the signal handlers below still stop the children


def start(args):
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, process_group=0,
                            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)


def signal_group(process, sig):
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def stop(processes):
    """SIGTERM to each group, then SIGKILL to what is left after GRACE_SECONDS (or at once on a
    second Ctrl-C); returns when every child has exited."""
    for process in processes:
        signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    try:
        while any(p.poll() is None for p in processes) and time.monotonic() < deadline:
            time.sleep(0.1)
    except KeyboardInterrupt:
        pass
    for process in processes:
        signal_group(process, signal.SIGKILL)  # also what a child's own children left running
        process.wait()


def main(address):
    def terminate(signum, frame):
        raise KeyboardInterrupt

    # Both set here, not inherited: a shell starts a background command with SIGINT ignored,
    # and Python then leaves it ignored, so Ctrl-C (or a test's SIGINT) would do nothing.
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)
    processes = []
    try:
        processes.append(start(["runserver", address]))
        processes.append(start(["procrastinate", "worker"]))
        while all(p.poll() is None for p in processes):
            time.sleep(0.2)
        status = 1  # one of them exited by itself
    except KeyboardInterrupt:
        status = 0
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, terminate)
    stop(processes)
    return status


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("Usage: python -m config.run HOST:PORT")
    sys.exit(main(sys.argv[1]))
