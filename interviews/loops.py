"""Starter loops: reading and checking interviews/starter_loops.yaml, and loading it.

A loop is the five interviews (LoopStage: screen, coding, ML depth, system design, behavioural)
of one track and level; each is a starter template (InterviewPlan with is_starter and its
loop_track, loop_level and loop_stage). The file is checked against the bank's question files
(questionbank/bank/, read through questionbank.bankfiles, no database needed): every slug is a
question there. The loader then loads it once every question it uses is also published in the
database (``missing_questions`` names those it waits for).
"""

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction

from questionbank import bankfiles
from questionbank.models import Level, Question

from .models import LoopStage, Track
from .starter_plans import (
    TEMPLATE_KEYS,
    StarterFileError,
    read_list_file,
    resolve_questions,
    sync_template,
    template_problems,
)

LOOPS_FILE = Path(__file__).resolve().parent / "starter_loops.yaml"
# The minutes of a loop's plan leave at least these of its slot free: introductions, and the
# candidate's own questions.
SPARE_MINUTES = 3
LOOP_KEYS = {"track", "level", "plans"}
# libyaml's loader when PyYAML has it: the bank's 200-odd files read in a tenth of the time.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def loop_label(track, level):
    """How pages and messages name a loop: “Computer-vision engineer, senior”."""
    return f"{Track(track).label}, {Level(level).label.lower()}"


@dataclass(frozen=True)
class Topic:
    """What the loop checks need of a question file of the bank."""

    slug: str
    area: str
    kind: str
    level: str
    roles: frozenset  # questionbank.RoleTrack values; a file's ``roles: [all]`` is every role


def bank_topics(bank_dir=bankfiles.BANK_DIR):
    """{slug: Topic} of every question file of the bank (bankfiles.question_files). The files'
    own checks are the bank linter's (bankfiles.check_bank); a file that cannot be read is left
    out, so a slug in it reads as unknown here."""
    topics = {}
    for path in bankfiles.question_files(bank_dir):
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        except (OSError, yaml.YAMLError):
            continue
        if not isinstance(data, dict) or not isinstance(data.get("slug"), str):
            continue
        roles = data.get("roles") if isinstance(data.get("roles"), list) else []
        roles = bankfiles.ROLES if roles == ["all"] else roles  # as bankfiles.read_question_file reads it
        topics[data["slug"]] = Topic(data["slug"], data.get("area"), data.get("kind"), data.get("level"),
                                     frozenset(roles))
    return topics


def read_starter_loops(path=LOOPS_FILE, *, topics=None, taken_names=()):
    """The loops of the file, checked against the bank's files (``topics``: bank_topics()),
    not the database: every track and level once, each with its five stages in order, every
    plan's shape (as a starter template's), every slug a question of the bank, every item's
    minutes stated and the plan's minutes within its slot less SPARE_MINUTES, no question twice
    in a loop, and no name shared with another template (``taken_names``: the plain starter
    templates'). Raises StarterFileError listing every problem."""
    data = read_list_file(path, "a list of loops, each with a track, a level and its plans")
    topics = bank_topics() if topics is None else topics
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
                problems.extend(_plan_problems(plan, where, topics, in_loop, taken_names))
    missing = [f"{t} {lv}" for t in Track.values for lv in Level.values if (t, lv) not in seen]
    if missing:
        problems.append(f"Missing loops (every track at every level is needed): {', '.join(missing)}.")
    if problems:
        raise StarterFileError(f"{path} has problems:\n  " + "\n  ".join(problems))
    return data


def _plan_problems(plan, where, topics, in_loop, taken_names):
    """A loop plan's slugs against the bank and the rest of its loop, and its minutes."""
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
            if slug not in topics:
                problems.append(f"{where}: “{slug}” is not a question of the bank (no questionbank/bank/*/{slug}.yaml).")
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
    """The slugs the loops use that are not questions a plan may use (published in the
    database), sorted. One query."""
    used = {item["slug"] for _, plan in loop_templates(loops) for s in plan["sections"] for item in s["items"]}
    published = set(Question.objects.published().filter(slug__in=used).values_list("slug", flat=True))
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
