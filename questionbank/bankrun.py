"""Running a coding question's solutions against its test cases, in a child Python.

One child per question (start-up, ~20 ms, is most of the cost), run as ``python -I -S``: no
project paths, no user or site-packages, so a solution has the standard library only, as
docs/writing-questions.md asks. The child starts in a temporary directory with a minimal
environment (no secrets of the parent), in a session and process group of its own. It reads
the job (a pickle) from a file and writes one JSON list of failures per solution to another,
so a process that a solution starts holds no pipe of ours open. Each solution gets
SOLUTION_SECONDS for all its cases (an alarm interrupts an endless Python loop); a loop stuck
inside one C call is stopped by the CPU limit (RLIMIT_CPU), and the child is killed in any case
after SOLUTION_SECONDS per solution plus CHILD_SLACK_SECONDS (a solution that sleeps), so each is
a reported problem, never a hung check. Whatever happens, the whole process group is killed
when the child ends, so nothing a solution started outlives the check. No Django dependency.
"""

import json
import os
import pickle
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

SOLUTION_SECONDS = 2
CHILD_SLACK_SECONDS = 5
CHILD_MEMORY_BYTES = 1024**3
CHILD_ENVIRONMENT = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}

RUNNER = r"""
import json, math, pickle, resource, signal, sys
job_path, result_path, limit, memory, cpu = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
with open(job_path, "rb") as fh:
    job = pickle.load(fh)
resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
try:  # no new processes (not enforced for root: the parent kills the process group)
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
except (ValueError, OSError):
    pass

class TimeUp(BaseException):
    pass

def on_alarm(signum, frame):
    raise TimeUp()

signal.signal(signal.SIGALRM, on_alarm)

def plain(value):
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value

def same(got, want, tol):
    if isinstance(want, bool) or isinstance(got, bool):
        return got == want and type(got) is type(want)
    if tol is not None and isinstance(want, (int, float)) and isinstance(got, (int, float)):
        if isinstance(got, float) and isinstance(want, float) and math.isnan(got) and math.isnan(want):
            return True
        return abs(got - want) <= tol
    if isinstance(want, list) and isinstance(got, list):
        return len(got) == len(want) and all(same(g, w, tol) for g, w in zip(got, want))
    if isinstance(want, dict) and isinstance(got, dict):
        return got.keys() == want.keys() and all(same(got[k], want[k], tol) for k in want)
    return got == want

def short(value):
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."

def run(code):
    failures, namespace = [], {}
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        try:
            exec(compile(code, "<solution>", "exec"), namespace)
        except (Exception, SystemExit) as exc:
            return [f"does not run: {exc!r}"]
        func = namespace.get(job["function"])
        if not callable(func):
            return [f"defines no function {job['function']!r}"]
        for case in job["cases"]:
            name = case.get("name")
            try:
                got = plain(func(*case.get("args", [])))
            except (Exception, SystemExit) as exc:
                failures.append(f"case {name!r} raised {exc!r}")
                continue
            want = plain(case.get("expected"))
            if not same(got, want, job["tolerance"]):
                failures.append(f"case {name!r}: expected {short(want)}, got {short(got)}")
    except TimeUp:
        failures.append(f"took more than {limit:g} s (an endless loop?)")
    except MemoryError:
        failures.append("ran out of memory")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return failures

results = [run(code) for code in job["codes"]]
with open(result_path, "w") as fh:
    json.dump(results, fh)
"""

# Failures that mean a solution never got to answer the cases (see wrong_solution_problem).
NOT_RUN = ("does not run", "defines no function", "took more than", "ran out of memory", "did not finish",
           "used more than", "crashed the runner")
# Exceptions that a case raises because of a typo (a missing name or import), not a mistake.
TYPO_ERRORS = {"NameError", "UnboundLocalError", "ImportError", "ModuleNotFoundError", "SyntaxError"}
_RAISED = re.compile(r"case .+? raised (\w+)\(")


def run_solutions(coding, codes, *, seconds=SOLUTION_SECONDS):
    """Run each of ``codes`` (Python source defining ``coding["function"]``) against the
    question's test cases in one child process. Returns one list of failure messages per code
    (empty: it passes every case)."""
    tolerance = coding.get("tolerance")
    job = {"function": coding["function"], "cases": coding.get("test_cases") or [], "codes": list(codes),
           "tolerance": float(tolerance) if isinstance(tolerance, (int, float)) else None}
    budget = seconds * len(codes) + CHILD_SLACK_SECONDS
    # CPU seconds for all the solutions plus start-up: the kernel's backstop to the kill below.
    cpu = int(seconds * len(codes)) + 2
    with tempfile.TemporaryDirectory(prefix="bank-run-") as work:
        work = Path(work)
        job_path, result_path = work / "job.pickle", work / "result.json"
        job_path.write_bytes(pickle.dumps(job))
        with open(work / "stderr.txt", "wb") as stderr:
            child = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", RUNNER, str(job_path), str(result_path), str(seconds),
                 str(CHILD_MEMORY_BYTES), str(cpu)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr, cwd=work,
                env=CHILD_ENVIRONMENT, start_new_session=True,
            )
            try:
                status = child.wait(timeout=budget)
            except subprocess.TimeoutExpired:
                status = None
            finally:
                _kill_group(child)
        if status is None:
            return [[f"did not finish within {budget} s (killed)"] for _ in codes]
        if status == -signal.SIGXCPU:
            return [[f"used more than {cpu} s of CPU (killed)"] for _ in codes]
        try:
            results = json.loads(result_path.read_text()) if status == 0 else None
        except (OSError, ValueError):
            results = None
        if not isinstance(results, list) or len(results) != len(codes):
            lines = (work / "stderr.txt").read_text("utf-8", "replace").strip().splitlines()
            why = lines[-1] if lines else f"exit status {status}"
            return [[f"crashed the runner: {why}"] for _ in codes]
        return results


def _kill_group(child):
    """Kill the child's whole process group (it leads it: start_new_session), so any process
    a solution started dies with it, then reap the child."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    child.wait()


def run_reference_solution(coding):
    """Run a coding question's reference solution against its test cases.

    Returns a list of failure messages (empty when every case passes)."""
    failures = run_solutions(coding, [coding["reference_solution"]])[0]
    return [f"reference solution {f}" if f.startswith(NOT_RUN) else f for f in failures]


def wrong_solution_problem(failures):
    """None when a wrong solution is rejected as the bank requires: it runs, and fails at least
    one case by a wrong value or by an exception its own logic raises. Otherwise what is wrong:
    a solution that does not run (a syntax error, a missing function) or fails only by a typo
    (a NameError or a failed import) tests nothing."""
    if not failures:
        return "passes every test case"
    for failure in failures:
        if failure.startswith(NOT_RUN):
            return failure if failure.startswith("does not run") else f"does not run: {failure}"
    for failure in failures:
        raised = _RAISED.match(failure)
        if raised is None or raised.group(1) not in TYPO_ERRORS:
            return None
    return f"does not run: fails only by a typo, never a wrong answer ({failures[0]})"
