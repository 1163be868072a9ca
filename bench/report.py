"""The bench's budgets and report (bench/bench.py measures; docs/performance.md records).

Every request is timed twice: with application caches off (the budgeted row, named after the
request) and on (``<request>_warm``, for information). Today no page caches its data, so the
two rows measure the same work; the pair stays so that a cache added later cannot hide a slow
page. A budget is on the median (p50), as a ratio to the median of the request's baseline,
timed in the same run in alternation with it (bench/urls.py); p95 is reported.
"""

import math
import os
import platform
import statistics
from pathlib import Path

# Budgets: the highest p50 ratio to the baseline's p50 (docs/performance.md).
PAGE_RATIO = 8.0  # every page not named below
BUDGETS = {
    "debrief": 10.0,
    "search": 15.0,
    "search_narrow": 15.0,
    "compare": 20.0,
    "calibration": 150.0,  # its first view after a new decision
    "autosave": 1.5,  # to the bare one-upsert view
    "scorecard_submit": 5.0,
    # Scheduling is a write of about 55 queries (the interview, its pinned questions, the
    # panel's invitations with their calendar files, notifications, webhook events): 13-16x the
    # read baseline without pools when first measured (5 December 2026), so past the page
    # budget before pools; resolving a pool adds two queries. Both rows share one budget, so a
    # slower resolution shows as the gap between them (docs/performance.md).
    "schedule_pool": 25.0,
    "schedule_plain": 25.0,
}
SEARCH_VS_ILIKE = 20.0  # full-text search at least 20x faster (p50) than the admin-style ILIKE scan
NO_BUDGET = {"search_ilike"}  # the reference for SEARCH_VS_ILIKE


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def machine(server_version):
    info = {"nproc": os.cpu_count(), "python": platform.python_version(), "postgresql": server_version}
    try:
        import django

        info["django"] = django.get_version()
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                            if line.startswith("model name")), platform.processor())
        meminfo = Path("/proc/meminfo").read_text()
        kb = int(next(line.split()[1] for line in meminfo.splitlines() if line.startswith("MemTotal")))
        info["memory_gb"] = round(kb / 2**20, 1)
    except (OSError, StopIteration, ValueError):
        pass
    info["platform"] = platform.platform()
    return info


def budget_of(name):
    """The budget ratio of a request (its name without ``_warm``), or None."""
    if name in NO_BUDGET:
        return None
    return BUDGETS.get(name, PAGE_RATIO)


def evaluate(results, small):
    """(rows, failures): the rows of results.json, each with its budget and verdict, and the
    budgets missed, in words. ``results`` and ``small`` map a row name to its Scenario."""
    rows, failures = {}, []
    # None in a partial run (bench.py --only) without the ILIKE reference.
    ilike_p50 = statistics.median(results["search_ilike"].timings) if "search_ilike" in results else None
    for name, s in results.items():
        warm = name.endswith("_warm")
        p50, base_p50 = statistics.median(s.timings), statistics.median(s.baseline_timings)
        budget = None if warm else budget_of(name)
        row = {
            "cache": "on" if warm else "off",
            "p50_ms": round(p50, 2), "p95_ms": round(p95(s.timings), 2), "baseline_p50_ms": round(base_p50, 2),
            "ratio_p50": round(p50 / base_p50, 2), "budget_ratio_p50": budget,
            "queries": s.queries, "queries_small": small[name].queries, "pass": None,
        }
        missed = []
        if budget is not None:
            if row["ratio_p50"] > budget:
                missed.append(f"p50 {row['ratio_p50']}x its baseline, budget {budget:g}x")
            if s.queries != small[name].queries:
                missed.append(f"{s.queries} queries on the large data set, {small[name].queries} on the small one")
            if name == "search" and ilike_p50 is not None and ilike_p50 / p50 < SEARCH_VS_ILIKE:
                missed.append(f"only {ilike_p50 / p50:.1f}x faster than the ILIKE scan, budget {SEARCH_VS_ILIKE:g}x")
            row["pass"] = not missed
        if missed:
            failures.append(f"{name}: " + "; ".join(missed))
        rows[name] = row
    return rows, failures


def print_table(rows, labels):
    header = (f"{'request':<50} {'cache':>5} {'p50 ms':>8} {'p95 ms':>8} {'base p50':>9} {'ratio':>6} "
              f"{'budget':>6} {'queries':>8} {'small':>6}  verdict")
    print()
    print(header)
    print("-" * len(header))
    for name, row in rows.items():
        verdict = {True: "PASS", False: "FAIL", None: "info"}[row["pass"]]
        budget = "" if row["budget_ratio_p50"] is None else f"{row['budget_ratio_p50']:g}x"
        print(f"{labels[name]:<50} {row['cache']:>5} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
              f"{row['baseline_p50_ms']:>9.2f} {row['ratio_p50']:>6.1f} {budget:>6} {row['queries']:>8} "
              f"{row['queries_small']:>6}  {verdict}")
    print("\nratio = p50 / baseline p50 (timed in alternation); queries = on the large data set, small = on the small one")
    if "search_ilike" in rows and "search" in rows:  # not in a partial run (bench.py --only)
        ilike, search = rows["search_ilike"]["p50_ms"], rows["search"]["p50_ms"]
        print(f"search vs ILIKE: full-text search p50 is {ilike / search:.1f}x faster than the ILIKE scan "
              f"(budget {SEARCH_VS_ILIKE:g}x)")
