"""Reading and checking the built-in question bank's data files.

The bank lives in ``questionbank/bank/<area>/<slug>.yaml``, one question per file, so a
change to one question is one reviewable diff. This module has no Django dependency: the
``load_question_bank`` command, the tests and authors (``python -m questionbank.bankfiles``)
all use the same checks. Coding solutions run in bankrun.py, SQL questions in banksql.py.
"""

import re
import sys
from pathlib import Path

import yaml

from .bankrun import run_solutions, wrong_solution_problem

BANK_DIR = Path(__file__).resolve().parent / "bank"

AREAS = {
    "fundamentals": "Fundamentals",
    "data": "Data and features",
    "algorithms": "Algorithms",
    "evaluation": "Evaluation",
    "deep-learning": "Deep learning",
    "domains": "Domains",
    "production": "Production and MLOps",
    "coding-design": "General coding",
    "experience": "Behavioural",
    "llm": "LLMs and generative AI",
    "system-design": "ML system design",
    "ml-coding": "ML coding",
    "sql": "SQL and data analysis",
    "experimentation": "Experimentation and statistics",
    "responsible-ai": "Responsible AI",
    "research": "Research skills",
}
KINDS = ("concept", "applied", "coding", "design", "experience", "sql")
LEVELS = ("junior", "mid", "senior")
ROLES = ("mle", "ds", "mlops", "nlp", "cv", "rl", "research")

# Sizes the built-in bank holds itself to (docs/writing-questions.md explains why).
MODEL_ANSWER_WORDS = (80, 250)
KEY_POINTS = (4, 8)
FOLLOW_UPS = (2, 4)
CRITERIA = (3, 6)
WHY_SENTENCES = (2, 4)
PROMPT_SENTENCES = (1, 2)
MINUTES = (2, 45)
MIN_TEST_CASES = 5
MAX_TITLE_SIMILARITY = 0.6
# Two anchors of one question (or of one design phase) at this pg_trgm similarity or above
# are near-copies: the levels must read differently. The 86 questions of 5 December 2026 peak
# at 0.41 (on-vs-off-policy, levels 2 and 3); 0.5 leaves room for shared wording such as
# "meets criteria 1-3" while catching a level that repeats its neighbour with a word changed.
MAX_ANCHOR_SIMILARITY = 0.5
# Two prompts across the bank at this similarity or above ask the same thing. Today's highest
# pair is 0.66 (generative-vs-discriminative / parametric-vs-nonparametric: different topics
# in the same "What's the difference between ... Give me an example of each" frame).
MAX_PROMPT_SIMILARITY = 0.7
# A design round is scored per phase, each with its own criteria and anchors, in this order.
DESIGN_PHASES = ("Requirements", "Data", "Modelling", "Evaluation", "Serving", "Monitoring")
PHASE_CRITERIA = (2, 4)
# Sample answers for practice scoring (docs/writing-questions.md, *Sample answers*): when a
# question has them, at least MIN_SAMPLE_ANSWERS covering every score 1-4, each answer and
# rationale within these word counts.
MIN_SAMPLE_ANSWERS = 4
SAMPLE_ANSWER_WORDS = (60, 260)
SAMPLE_RATIONALE_WORDS = (25, 90)
# Two sample answers of one question at this similarity or above are one answer written twice:
# a practice set needs answers that differ. Answers to one question share its vocabulary, so
# the limit sits above the anchors' (0.5).
MAX_SAMPLE_SIMILARITY = 0.6
# How many bank questions must carry sample answers (test_bank_linter asserts it): the issue
# asks for 40 core questions with samples at four levels; the bank has 44 (issue 17).
MIN_QUESTIONS_WITH_SAMPLES = 40


def word_count(text):
    return len(re.findall(r"\S+", text or ""))


def sentence_count(text):
    """Sentences ended by . ? or ! followed by a space or the end (abbreviations like
    "e.g." are not sentence ends)."""
    cleaned = re.sub(r"\b(e\.g|i\.e|vs|etc|cf)\.", "", text or "")
    cleaned = re.sub(r"\d\.\d", "0", cleaned)
    return len([s for s in re.split(r"[.?!](?:\s+|$)", cleaned.strip()) if s.strip()])


def trigrams(text):
    """Trigrams as PostgreSQL's pg_trgm makes them: lower-cased alphanumeric words, each
    padded with two spaces in front and one behind."""
    grams = set()
    for word in re.findall(r"[0-9a-z]+", (text or "").lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def gram_similarity(ta, tb):
    """pg_trgm's similarity of two texts from their trigram sets (see trigrams)."""
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def trigram_similarity(a, b):
    """Same figure as pg_trgm's similarity(a, b)."""
    return gram_similarity(trigrams(a), trigrams(b))


def validate_question(data, *, slug_from_path=None, area_from_path=None, full=True):
    """Return a list of problems with one question's data (empty when it is fine).

    Every caller checks the same shapes (a coding question needs its wrong solutions, a design
    question its phases). ``full`` (the checker and the tests) also runs a coding question's
    reference and wrong solutions; the loader passes ``full=False``: running code at every load
    would cost ~1 s (the browser tests load the bank per test)."""
    errors = []

    def need_text(key):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            errors.append(f"{key}: missing or empty")
            return ""
        return value

    slug = need_text("slug")
    if slug_from_path and slug != slug_from_path:
        errors.append(f"slug {slug!r} differs from the file name {slug_from_path!r}")
    area = data.get("area")
    if area not in AREAS:
        errors.append(f"area {area!r} is not one of {sorted(AREAS)}")
    if area_from_path and area != area_from_path:
        errors.append(f"area {area!r} differs from the folder {area_from_path!r}")
    if data.get("kind") not in KINDS:
        errors.append(f"kind {data.get('kind')!r} is not one of {KINDS}")
    if data.get("level") not in LEVELS:
        errors.append(f"level {data.get('level')!r} is not one of {LEVELS}")
    roles = data.get("roles")
    if roles == ["all"]:
        roles = list(ROLES)
    if not isinstance(roles, list) or not roles or any(r not in ROLES for r in roles):
        errors.append(f"roles {data.get('roles')!r}: a list drawn from {ROLES} (or [all])")

    need_text("title")
    prompt = need_text("prompt")
    if prompt and not PROMPT_SENTENCES[0] <= sentence_count(prompt) <= PROMPT_SENTENCES[1]:
        errors.append(f"prompt: {sentence_count(prompt)} sentences, want 1-2")
    why = need_text("why_we_ask")
    if why and not WHY_SENTENCES[0] <= sentence_count(why) <= WHY_SENTENCES[1]:
        errors.append(f"why_we_ask: {sentence_count(why)} sentences, want 2-4")
    answer = need_text("model_answer")
    if answer and not MODEL_ANSWER_WORDS[0] <= word_count(answer) <= MODEL_ANSWER_WORDS[1]:
        errors.append(f"model_answer: {word_count(answer)} words, want 80-250")

    minutes = data.get("minutes")
    if not isinstance(minutes, int) or not MINUTES[0] <= minutes <= MINUTES[1]:
        errors.append(f"minutes {minutes!r}: a whole number 2-45")

    key_points = data.get("key_points")
    if not isinstance(key_points, list) or not KEY_POINTS[0] <= len(key_points) <= KEY_POINTS[1]:
        errors.append("key_points: a list of 4-8 short statements")
    elif any(not isinstance(k, str) or not k.strip() for k in key_points):
        errors.append("key_points: every item must be non-empty text")

    follow_ups = data.get("follow_ups")
    if not isinstance(follow_ups, list) or not FOLLOW_UPS[0] <= len(follow_ups) <= FOLLOW_UPS[1]:
        errors.append("follow_ups: a list of 2-4 items")
    else:
        for i, item in enumerate(follow_ups, 1):
            if not isinstance(item, dict) or not str(item.get("question", "")).strip() \
                    or not str(item.get("good_answer", "")).strip():
                errors.append(f"follow_ups[{i}]: needs non-empty question and good_answer")

    criteria = data.get("criteria")
    if not isinstance(criteria, list) or not CRITERIA[0] <= len(criteria) <= CRITERIA[1]:
        errors.append("criteria: a list of 3-6 observable statements")
    elif any(not isinstance(c, str) or not c.strip() for c in criteria):
        errors.append("criteria: every item must be non-empty text")
    elif len(set(criteria)) != len(criteria):
        errors.append("criteria: two criteria are the same")

    anchors = data.get("anchors")
    if not isinstance(anchors, dict) or sorted(anchors) != [1, 2, 3, 4]:
        errors.append("anchors: exactly the keys 1, 2, 3, 4")
    elif any(not isinstance(a, str) or not a.strip() for a in anchors.values()):
        errors.append("anchors: every level needs text")
    elif len(set(a.strip() for a in anchors.values())) != 4:
        errors.append("anchors: the four levels must all differ")
    else:
        errors.extend(f"anchors: {p}" for p in near_copy_anchors(anchors))

    coding = data.get("coding")
    if data.get("kind") == "coding":
        errors.extend(_coding_problems(coding, full=full))
    elif coding:
        errors.append("coding: only coding questions carry a reference solution")

    sql = data.get("sql")
    if data.get("kind") == "sql":
        errors.extend(_sql_problems(sql))
    elif sql:
        errors.append("sql: only SQL questions carry a schema and a reference query")

    if "sample_answers" in data:
        errors.extend(sample_answer_problems(data["sample_answers"]))

    phases = data.get("phases")
    if data.get("kind") == "design":
        errors.extend(_phase_problems(phases, minutes))
    elif phases:
        errors.append("phases: only design questions are scored per phase")
    return errors


def near_copy_anchors(anchors):
    """Pairs of levels whose texts are near-copies (pg_trgm similarity >= MAX_ANCHOR_SIMILARITY)."""
    grams = {level: trigrams(text) for level, text in anchors.items()}
    found = []
    for a in sorted(grams):
        for b in sorted(grams):
            sim = gram_similarity(grams[a], grams[b]) if a < b else 0.0
            if sim >= MAX_ANCHOR_SIMILARITY:
                found.append(f"levels {a} and {b} are near-copies (similarity {sim:.2f}, "
                             f"limit {MAX_ANCHOR_SIMILARITY}); say what differs")
    return found


def sample_answer_problems(samples):
    """A question's ``sample_answers``: at least MIN_SAMPLE_ANSWERS, each a mapping with a
    score 1-4, an answer and a rationale of the stated sizes; the scores cover 1, 2, 3 and 4;
    no two answers near-copies."""
    if not isinstance(samples, list) or len(samples) < MIN_SAMPLE_ANSWERS:
        return [f"sample_answers: a list of at least {MIN_SAMPLE_ANSWERS} samples (score, answer, rationale)"]
    problems = []
    for i, sample in enumerate(samples, 1):
        if not isinstance(sample, dict):
            problems.append(f"sample_answers[{i}]: a mapping with score, answer and rationale")
            continue
        score = sample.get("score")
        if isinstance(score, bool) or score not in (1, 2, 3, 4):
            problems.append(f"sample_answers[{i}].score {score!r}: 1, 2, 3 or 4")
        for key, (low, high) in (("answer", SAMPLE_ANSWER_WORDS), ("rationale", SAMPLE_RATIONALE_WORDS)):
            text = sample.get(key)
            if not isinstance(text, str) or not text.strip():
                problems.append(f"sample_answers[{i}].{key}: missing or empty")
            elif not low <= word_count(text) <= high:
                problems.append(f"sample_answers[{i}].{key}: {word_count(text)} words, want {low}-{high}")
    if problems:
        return problems
    missing = sorted({1, 2, 3, 4} - {s["score"] for s in samples})
    if missing:
        problems.append(f"sample_answers: no sample scores {', '.join(map(str, missing))}; cover all four levels")
    grams = [trigrams(s["answer"]) for s in samples]
    for a in range(len(grams)):
        for b in range(a + 1, len(grams)):
            sim = gram_similarity(grams[a], grams[b])
            if sim >= MAX_SAMPLE_SIMILARITY:
                problems.append(f"sample_answers: answers {a + 1} and {b + 1} are near-copies (similarity "
                                f"{sim:.2f}, limit {MAX_SAMPLE_SIMILARITY}); write answers that differ")
    return problems


def _coding_problems(coding, *, full):
    """A coding question's block: function, reference solution, test cases, wrong solutions;
    with ``full``, the reference passes every case and each wrong solution runs and fails a
    case (bankrun.wrong_solution_problem)."""
    if not isinstance(coding, dict):
        return ["coding: a coding question needs function, reference_solution, test_cases, wrong_solutions"]
    problems = []
    if not str(coding.get("function", "")).strip():
        problems.append("coding.function: missing")
    if not str(coding.get("reference_solution", "")).strip():
        problems.append("coding.reference_solution: missing")
    cases = coding.get("test_cases")
    if not isinstance(cases, list) or len(cases) < MIN_TEST_CASES:
        problems.append(f"coding.test_cases: at least {MIN_TEST_CASES}")
    elif any(not isinstance(c, dict) or not str(c.get("name", "")).strip() or not isinstance(c.get("args", []), list)
             or "expected" not in c for c in cases):
        problems.append("coding.test_cases: each needs a name, args (a list) and expected")
    tolerance = coding.get("tolerance")
    if tolerance is not None and (isinstance(tolerance, bool) or not isinstance(tolerance, (int, float))
                                  or not 0 <= tolerance < 1):
        problems.append("coding.tolerance: a small non-negative number, e.g. 1.0e-6")
    runnable = not problems
    problems.extend(_wrong_solution_problems(coding))
    if not runnable or not full:
        return problems
    wrong = [(i, w) for i, w in enumerate(coding.get("wrong_solutions") or [], 1)
             if isinstance(w, dict) and str(w.get("code", "")).strip()]
    results = run_solutions(coding, [coding["reference_solution"]] + [w["code"] for _, w in wrong])
    problems.extend(f"coding: reference solution {f}" if not f.startswith("case ") else f"coding: {f}"
                    for f in results[0])
    for (i, item), failures in zip(wrong, results[1:]):
        why = wrong_solution_problem(failures)
        if why:
            problems.append(f"coding.wrong_solutions[{i}]: {why} ({item.get('mistake')!r})")
    return problems


def _wrong_solution_problems(coding):
    """The shape of a coding question's wrong solutions: at least one, each a plausible
    mistake (``mistake``) with its ``code``; _coding_problems checks the cases reject each."""
    wrong = coding.get("wrong_solutions")
    if not isinstance(wrong, list) or not wrong:
        return ["coding.wrong_solutions: at least one wrong solution the tests must reject"]
    return [f"coding.wrong_solutions[{i}]: needs mistake and code" for i, item in enumerate(wrong, 1)
            if not isinstance(item, dict) or not str(item.get("mistake", "")).strip()
            or not str(item.get("code", "")).strip()]


def _sql_problems(sql):
    """The shape of an SQL question (the test suite runs it against PostgreSQL)."""
    if not isinstance(sql, dict):
        return ["sql: an SQL question needs schema, data, reference_query, expected_rows, wrong_queries"]
    problems = [f"sql.{key}: missing" for key in ("schema", "data", "reference_query")
                if not str(sql.get(key, "")).strip()]
    rows = sql.get("expected_rows")
    if not isinstance(rows, list) or not rows or any(not isinstance(row, list) for row in rows):
        problems.append("sql.expected_rows: a non-empty list of rows, each a list of values")
    if not isinstance(sql.get("ordered"), bool):
        problems.append("sql.ordered: true (rows compared in order) or false (as a set)")
    wrong = sql.get("wrong_queries")
    if not isinstance(wrong, list) or not wrong:
        problems.append("sql.wrong_queries: at least one wrong query the expected rows must reject")
    elif any(not isinstance(w, dict) or not str(w.get("mistake", "")).strip()
             or not str(w.get("query", "")).strip() for w in wrong):
        problems.append("sql.wrong_queries: each needs mistake and query")
    return problems


def _phase_problems(phases, minutes):
    """A design round's phases: the six of DESIGN_PHASES in order, each with a focus, minutes,
    2-4 criteria and four distinct anchors; their minutes add up to the question's."""
    if not isinstance(phases, list) or [p.get("name") if isinstance(p, dict) else None
                                        for p in phases] != list(DESIGN_PHASES):
        return [f"phases: the six phases {', '.join(DESIGN_PHASES)}, in this order, each a mapping"]
    problems = []
    for phase in phases:
        name = phase["name"]
        if not str(phase.get("focus", "")).strip():
            problems.append(f"phases.{name}.focus: missing")
        if not isinstance(phase.get("minutes"), int) or phase["minutes"] < 1:
            problems.append(f"phases.{name}.minutes: a whole number of minutes")
        criteria = phase.get("criteria")
        if not isinstance(criteria, list) or not PHASE_CRITERIA[0] <= len(criteria) <= PHASE_CRITERIA[1] \
                or any(not isinstance(c, str) or not c.strip() for c in criteria):
            problems.append(f"phases.{name}.criteria: a list of 2-4 observable statements")
        anchors = phase.get("anchors")
        if not isinstance(anchors, dict) or sorted(anchors) != [1, 2, 3, 4] \
                or any(not isinstance(a, str) or not a.strip() for a in anchors.values()):
            problems.append(f"phases.{name}.anchors: text for each of the keys 1, 2, 3, 4")
        elif len({a.strip() for a in anchors.values()}) != 4:
            problems.append(f"phases.{name}.anchors: the four levels must all differ")
        else:
            problems.extend(f"phases.{name}.anchors: {p}" for p in near_copy_anchors(anchors))
    if not problems and isinstance(minutes, int) and sum(p["minutes"] for p in phases) != minutes:
        problems.append(f"phases: their minutes add up to {sum(p['minutes'] for p in phases)}, not {minutes}")
    return problems


def read_question_file(path):
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    if data.get("roles") == ["all"]:
        data["roles"] = list(ROLES)
    return data


def question_files(bank_dir=BANK_DIR):
    return sorted(Path(bank_dir).glob("*/*.yaml"))


def read_plan_criteria(bank_dir=BANK_DIR):
    path = Path(bank_dir) / "plan-criteria.yaml"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or []


def read_retired(bank_dir=BANK_DIR):
    """The slugs retired from the bank (retired.yaml): each entry has slug, merged_into, reason."""
    path = Path(bank_dir) / "retired.yaml"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or []


def _retired_problems(entries, slugs):
    problems = []
    if not isinstance(entries, list):
        return ["retired.yaml: expected a list of {slug, merged_into, reason}"]
    for entry in entries:
        if not isinstance(entry, dict) or not all(
                isinstance(entry.get(k), str) and entry[k].strip() for k in ("slug", "merged_into", "reason")):
            problems.append(f"retired.yaml: each entry needs slug, merged_into and reason: {entry!r}")
            continue
        if entry["slug"] in slugs:
            problems.append(f"retired.yaml: {entry['slug']} is retired but still has a question file")
        if entry["merged_into"] not in slugs:
            problems.append(f"retired.yaml: {entry['slug']} is merged into {entry['merged_into']}, which has no question file")
    return problems


def check_bank(bank_dir=BANK_DIR, *, full=True):
    """Validate every file; return (questions, problems). ``full=False`` is the loader's
    check (see validate_question): the same shapes, no code run."""
    questions, problems = [], []
    for path in question_files(bank_dir):
        try:
            data = read_question_file(path)
        except (yaml.YAMLError, ValueError) as exc:
            problems.append(f"{path}: {exc}")
            continue
        for err in validate_question(data, slug_from_path=path.stem, area_from_path=path.parent.name,
                                     full=full):
            problems.append(f"{path.relative_to(Path(bank_dir))}: {err}")
        questions.append(data)
    problems.extend(near_duplicates(questions, "title", MAX_TITLE_SIMILARITY))
    problems.extend(near_duplicates(questions, "prompt", MAX_PROMPT_SIMILARITY))
    try:
        retired = read_retired(bank_dir)
    except yaml.YAMLError as exc:
        problems.append(f"retired.yaml: {exc}")
    else:
        problems += _retired_problems(retired, {q.get("slug") for q in questions})
    return questions, problems


def near_duplicates(questions, field, limit):
    """Pairs of questions whose ``field`` texts are at pg_trgm similarity ``limit`` or above."""
    grams = [(q, trigrams(q.get(field) if isinstance(q.get(field), str) else "")) for q in questions]
    found = []
    for i, (a, ga) in enumerate(grams):
        for b, gb in grams[i + 1 :]:
            sim = gram_similarity(ga, gb)
            if sim >= limit:
                found.append(f"{field}s too similar ({sim:.2f}): {a.get('slug')} {a.get(field)!r} / "
                             f"{b.get('slug')} {b.get(field)!r}")
    return found


if __name__ == "__main__":  # the command line lives in bankcheck.py
    from questionbank.bankcheck import main_with_embedded_server

    sys.exit(main_with_embedded_server(sys.argv[1:]))
