"""Starter loops: reading and checking interviews/starter_loops.yaml, and loading it.

A loop is the five interviews (LoopStage: screen, coding, ML depth, system design, behavioural)
of one track and level; each is a starter template (InterviewPlan with is_starter and its
loop_track, loop_level and loop_stage). The file is checked against the coverage list
(questionbank/bank/COVERAGE.md), not the bank, so its shape, its slugs and its minutes are
checked even while some of its questions are still being written; it loads only once every
question it uses is published (``missing_questions`` names those it waits for).
"""

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.management.base import CommandError
from django.db import transaction

from questionbank.bankfiles import BANK_DIR
from questionbank.models import Area, Level, Question, Status

from .management.commands.load_starter_plans import (
    TEMPLATE_KEYS,
    resolve_questions,
    sync_template,
    template_problems,
)
from .models import LoopStage, Track

LOOPS_FILE = Path(__file__).resolve().parent / "starter_loops.yaml"
COVERAGE_FILE = BANK_DIR / "COVERAGE.md"
# The minutes of a loop's plan leave at least these of its slot free: introductions, and the
# candidate's own questions.
SPARE_MINUTES = 3
LOOP_KEYS = {"track", "level", "plans"}
# The coverage list's headings are the areas' labels (the area is the question's folder).
AREA_OF_HEADING = {label: value for value, label in Area.choices}
ROLE_CODES = {"MLE": "mle", "DS": "ds", "MLOps": "mlops", "NLP": "nlp", "CV": "cv", "RL": "rl", "RS": "research"}


@dataclass(frozen=True)
class Topic:
    """One row of the coverage list: a question of the bank, written or to be written."""

    slug: str
    area: str
    kind: str
    level: str
    roles: frozenset  # question role codes (questionbank.RoleTrack values); "all" is every role


def read_coverage(path=COVERAGE_FILE):
    """{slug: Topic} for every row of the coverage list."""
    topics, area = {}, None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## (.+)$", line)
        if heading:
            area = AREA_OF_HEADING.get(heading.group(1).strip())
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if area and len(cells) == 6 and re.fullmatch(r"[a-z][a-z0-9-]*", cells[0]) and cells[0] != "id":
            raw = [r.strip() for r in cells[4].split(",")]
            roles = set(ROLE_CODES.values()) if "all" in raw else {ROLE_CODES[r] for r in raw if r in ROLE_CODES}
            topics[cells[0]] = Topic(cells[0], area, cells[2], cells[3], frozenset(roles))
    return topics


def read_starter_loops(path=LOOPS_FILE, *, coverage=None, taken_names=()):
    """The loops of the file, checked without the bank: every track and level once, each with
    its five stages in order, every plan's shape (as a starter template's), every slug a row of
    the coverage list, every item's minutes stated and the plan's minutes within its slot less
    SPARE_MINUTES, no question twice in a loop, and no name shared with another template
    (``taken_names``: the plain starter templates'). Raises CommandError listing every problem."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CommandError(f"Cannot read {path}: {exc}") from exc
    if not isinstance(data, list) or not data:
        raise CommandError(f"{path} must be a list of loops, each with a track, a level and its plans.")
    coverage = read_coverage() if coverage is None else coverage
    problems, names, seen = [], set(), set()
    stages = LoopStage.values
    for n, loop in enumerate(data, 1):
        if not isinstance(loop, dict):
            problems.append(f"loop {n}: must be a mapping with track, level and plans.")
            continue
        track, level = loop.get("track"), loop.get("level")
        where = f"loop {n} ({track}, {level})"
        if track not in Track.values:
            problems.append(f"{where}: track must be one of {', '.join(Track.values)}.")
        if level not in Level.values:
            problems.append(f"{where}: level must be one of {', '.join(Level.values)}.")
        if (track, level) in seen:
            problems.append(f"{where}: this track and level appear twice.")
        seen.add((track, level))
        if set(loop) - LOOP_KEYS:
            problems.append(f"{where}: unknown keys {', '.join(sorted(set(loop) - LOOP_KEYS))}.")
        plans = loop.get("plans")
        if not isinstance(plans, list):
            problems.append(f"{where}: needs its plans, one per stage ({', '.join(stages)}).")
            continue
        found = [p.get("stage") if isinstance(p, dict) else None for p in plans]
        if found != stages:
            problems.append(f"{where}: needs one plan per stage in this order: {', '.join(stages)} "
                            f"(found: {', '.join(str(s) for s in found) or 'none'}).")
        in_loop = {}
        for plan in plans:
            problems.extend(template_problems(plan, f"{where}, plan {plan.get('stage') if isinstance(plan, dict) else '?'}",
                                              names, keys=TEMPLATE_KEYS | {"stage"}, minutes_required=True))
            if isinstance(plan, dict) and isinstance(plan.get("sections"), list):
                problems.extend(_plan_problems(plan, where, coverage, in_loop, taken_names))
    missing = [f"{t} {lv}" for t in Track.values for lv in Level.values if (t, lv) not in seen]
    if missing:
        problems.append(f"Missing loops (every track at every level is needed): {', '.join(missing)}.")
    if problems:
        raise CommandError(f"{path} has problems:\n  " + "\n  ".join(problems))
    return data


def _plan_problems(plan, where, coverage, in_loop, taken_names):
    """A loop plan's slugs against the coverage list and the rest of its loop, and its minutes."""
    problems, total = [], 0
    where = f"{where}, “{plan.get('name')}”"
    if plan.get("name") in taken_names:
        problems.append(f"{where}: a starter template outside the loops already has this name.")
    for section in plan["sections"]:
        items = section.get("items") if isinstance(section, dict) else None
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or not isinstance(item.get("slug"), str):
                continue
            slug = item["slug"]
            if slug not in coverage:
                problems.append(f"{where}: “{slug}” is not a question of the coverage list "
                                "(questionbank/bank/COVERAGE.md).")
            if slug in in_loop and in_loop[slug] != plan.get("stage"):
                problems.append(f"{where}: “{slug}” is already in this loop's {in_loop[slug]} plan; "
                                "a candidate would meet it twice.")
            in_loop.setdefault(slug, plan.get("stage"))
            if isinstance(item.get("minutes"), int):
                total += item["minutes"]
    slot = plan.get("slot_minutes")
    if isinstance(slot, int) and total > slot - SPARE_MINUTES:
        problems.append(f"{where}: its questions take {total} minutes; a {slot}-minute slot leaves room for "
                        f"{slot - SPARE_MINUTES} (at least {SPARE_MINUTES} stay free).")
    return problems


def loop_templates(loops):
    """[((track, level), plan)] of every plan of every loop, in file order."""
    return [((loop["track"], loop["level"]), plan) for loop in loops for plan in loop["plans"]]


def missing_questions(loops):
    """The slugs the loops use that are not published questions of the bank, sorted. One query."""
    used = {item["slug"] for _, plan in loop_templates(loops) for s in plan["sections"] for item in s["items"]}
    published = set(
        Question.objects.filter(slug__in=used, status=Status.PUBLISHED, current_revision__isnull=False)
        .values_list("slug", flat=True)
    )
    return sorted(used - published)


@transaction.atomic
def load_starter_loops(loops):
    """Create or update every plan of the loops (read_starter_loops' result; every question
    published: check ``missing_questions`` first). Returns counts by outcome."""
    templates = loop_templates(loops)
    questions = resolve_questions([plan for _, plan in templates])
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for loop, plan in templates:
        counts[sync_template(plan, questions, loop=loop)] += 1
    return counts
