"""`make run` (config/run.py): the web server and a job worker start together, and stopping
the launcher, by Ctrl-C or by killing it outright, leaves neither of them running."""

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_two_processes import database_url, free_port

ROOT = Path(__file__).resolve().parents[1]


def descendants(pid):
    """Every live process below ``pid`` (from /proc), with its command line."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append((int(entry.name), cmdline))
    found, todo = {}, [pid]
    while todo:
        for child, cmdline in children.get(todo.pop(), []):
            found[child] = cmdline
            todo.append(child)
    return found


def alive(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(condition, seconds, message):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(message)
        time.sleep(0.2)


def serves(port):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False


@pytest.fixture
def launcher(empty_queue):
    """`python -m config.run` on a free port against the test database, in a session of its
    own (as a terminal would run it), once the server answers and the worker runs; with every
    process under it."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "config.run", f"127.0.0.1:{port}"], cwd=ROOT, start_new_session=True,
        env={**os.environ, "DATABASE_URL": database_url()}, stdout=subprocess.DEVNULL,
        stderr=open(ROOT / "test-artifacts" / f"run-{port}.log", "w"),
    )
    try:
        wait_until(lambda: serves(port), 60, "the web server did not answer")
        wait_until(lambda: any("procrastinate worker" in c for c in descendants(process.pid).values()), 30,
                   "no worker started")
        yield process, descendants(process.pid)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_it_runs_the_server_and_a_worker_and_ctrl_c_stops_both(launcher):
    process, children = launcher
    assert any("runserver" in c for c in children.values())
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
    assert process.wait(30) == 0
    assert [cmd for pid, cmd in children.items() if alive(pid)] == []


def test_killing_the_launcher_outright_stops_the_worker_too(launcher):
    process, children = launcher
    os.kill(process.pid, signal.SIGKILL)  # no chance to clean up: the children are told by the kernel
    process.wait()
    wait_until(lambda: not any(alive(pid) for pid in children), 30,
               f"left running: {[cmd for pid, cmd in children.items() if alive(pid)]}")
