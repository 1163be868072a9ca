"""The figures of ``make loadtest``'s capacity run (bench/loadtest.py; docs/capacity.md): what a
phase's requests add up to, the saturation verdict, the capacity read off the ramp, the table.
Plain functions of plain data, so tests/test_loadtest_report.py can check them directly."""

import math

# Autosave throughput at saturation must be at least this share of the bare one-upsert view's.
SATURATION_BUDGET = 0.5
# The capacity is the number of live interviews held with autosave p95 under this.
CAPACITY_P95_MS = 250.0
INTERVIEWERS_PER_INTERVIEW = 2


def percentile(values, q):
    """The q-th percentile (0-100) by the nearest-rank method; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summarize(samples, seconds):
    """Per request type: requests, errors, throughput and latency of one phase.

    ``samples`` are (request type, latency in ms, ok) for the requests that started inside the
    phase's measured window of ``seconds``. Throughput counts answered requests (errors too:
    the server spent its time on them); the percentiles are over the successful ones."""
    by_type = {}
    for kind, ms, ok in samples:
        by_type.setdefault(kind, []).append((ms, ok))
    result = {}
    for kind in sorted(by_type):
        rows = by_type[kind]
        good = [ms for ms, ok in rows if ok]
        p50, p95 = percentile(good, 50), percentile(good, 95)
        result[kind] = {
            "requests": len(rows),
            "errors": len(rows) - len(good),
            "requests_per_second": round(len(rows) / seconds, 1) if seconds > 0 else None,
            "p50_ms": None if p50 is None else round(p50, 1),
            "p95_ms": None if p95 is None else round(p95, 1),
        }
    return result


def saturation_verdict(autosave_rps, bare_rps, budget=SATURATION_BUDGET):
    """(ratio, passed, sentence) for autosave's throughput at saturation against the bare view's."""
    if not bare_rps:
        return None, False, "no bare-view throughput was measured: no verdict"
    ratio = autosave_rps / bare_rps
    passed = ratio >= budget
    sentence = (f"autosave at saturation: {autosave_rps:.0f} req/s = {ratio:.0%} of the bare one-upsert view's "
                f"{bare_rps:.0f} req/s (budget >= {budget:.0%}): {'PASS' if passed else 'MISSED'}")
    return round(ratio, 3), passed, sentence


def capacity(steps, limit_ms=CAPACITY_P95_MS):
    """How many concurrent live interviews the machine holds with autosave p95 under ``limit_ms``.

    ``steps`` are (interviewers, autosave p95 in ms or None, errors), run with growing numbers of
    interviewers. The answer is the largest number of interviewers of the steps that held, all
    steps below it holding too (a step holds when its p95 is under the limit and nothing
    failed), divided by the two interviewers of an interview. Returns a dict: ``interviews``
    (None when even the smallest step missed), ``interviewers``, ``first_miss`` (the
    interviewers of the first step that did not hold, None if all held) and ``bounded`` (whether
    a step missed, so the figure is bracketed; if not, the machine held more than was tried)."""
    held, first_miss = None, None
    for interviewers, p95, errors in sorted(steps):
        if p95 is not None and p95 < limit_ms and not errors:
            held = interviewers
        else:
            first_miss = interviewers
            break
    return {
        "interviews": None if held is None else held // INTERVIEWERS_PER_INTERVIEW,
        "interviewers": held,
        "first_miss_interviewers": first_miss,
        "bounded": first_miss is not None,
        "p95_limit_ms": limit_ms,
    }


def capacity_sentence(result):
    if result["interviews"] is None:
        return (f"capacity: fewer live interviews than the smallest step "
                f"({result['first_miss_interviewers'] // INTERVIEWERS_PER_INTERVIEW}) with autosave p95 under "
                f"{result['p95_limit_ms']:.0f} ms")
    text = (f"capacity: {result['interviews']} concurrent live interviews ({result['interviewers']} interviewers) "
            f"with autosave p95 under {result['p95_limit_ms']:.0f} ms")
    if result["bounded"]:
        return text + f"; {result['first_miss_interviewers'] // INTERVIEWERS_PER_INTERVIEW} did not hold"
    return text + "; every step held, so the machine holds at least that many"


PAGES = ("debrief", "compare", "search")


def print_table(phases, out=print):
    """One line per phase: the writes (autosave, or the bare view) and each page's throughput,
    p50 and p95 in ms, and the errors of all its requests."""
    header = (f"{'phase':<24} {'clients':>7} | {'writes':<8} {'req/s':>6} {'p50':>6} {'p95':>6} | "
              + " | ".join(f"{page:<7} {'req/s':>5} {'p50':>6} {'p95':>6}" for page in PAGES) + f" | {'errors':>6}")
    out(header)
    out("-" * len(header))
    for phase in phases:
        rows = phase["requests"]
        write = "bare" if "bare" in rows else "autosave"
        w = rows.get(write, {})
        cells = [f"{phase['name']:<24} {phase['clients']:>7} | {write:<8} {w.get('requests_per_second', 0):>6} "
                 f"{_ms(w.get('p50_ms')):>6} {_ms(w.get('p95_ms')):>6}"]
        for page in PAGES:
            r = rows.get(page, {})
            cells.append(f"{'':<7} {r.get('requests_per_second', 0):>5} {_ms(r.get('p50_ms')):>6} {_ms(r.get('p95_ms')):>6}")
        out(" | ".join(cells) + f" | {sum(r['errors'] for r in rows.values()):>6}")


def _ms(value):
    return "-" if value is None else f"{value:.0f}" if value >= 100 else f"{value:.1f}"
