"""Reading and checking the built-in question bank's data files.

The bank lives in ``questionbank/bank/<area>/<slug>.yaml``, one question per file, so a
change to one question is one reviewable diff. This module has no Django dependency: the
``load_question_bank`` command, the tests and authors (``python -m questionbank.bankfiles``)
all use the same checks.
"""

import re
import sys
from pathlib import Path

import yaml

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
# A design round is scored per phase, each with its own criteria and anchors, in this order.
DESIGN_PHASES = ("Requirements", "Data", "Modelling", "Evaluation", "Serving", "Monitoring")
PHASE_CRITERIA = (2, 4)


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


def trigram_similarity(a, b):
    """Same figure as pg_trgm's similarity(a, b)."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def _normalise(value):
    """Tuples become lists so a solution may return either."""
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    return value


def run_reference_solution(coding):
    """Run a coding question's reference solution against its test cases.

    Returns a list of failure messages (empty when every case passes)."""
    namespace = {}
    try:
        exec(compile(coding["reference_solution"], "<reference_solution>", "exec"), namespace)
    except Exception as exc:  # the solution text itself is broken
        return [f"reference solution does not run: {exc!r}"]
    func = namespace.get(coding["function"])
    if not callable(func):
        return [f"reference solution defines no function {coding['function']!r}"]
    failures = []
    for case in coding["test_cases"]:
        try:
            got = func(*case.get("args", []))
        except Exception as exc:
            failures.append(f"case {case.get('name')!r} raised {exc!r}")
            continue
        if _normalise(got) != _normalise(case["expected"]):
            failures.append(f"case {case.get('name')!r}: expected {case['expected']!r}, got {got!r}")
    return failures


def validate_question(data, *, slug_from_path=None, area_from_path=None):
    """Return a list of problems with one question's data (empty when it is fine)."""
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

    coding = data.get("coding")
    if data.get("kind") == "coding":
        if not isinstance(coding, dict):
            errors.append("coding: a coding question needs function, reference_solution, test_cases")
        else:
            if not str(coding.get("function", "")).strip():
                errors.append("coding.function: missing")
            if not str(coding.get("reference_solution", "")).strip():
                errors.append("coding.reference_solution: missing")
            cases = coding.get("test_cases")
            if not isinstance(cases, list) or len(cases) < MIN_TEST_CASES:
                errors.append(f"coding.test_cases: at least {MIN_TEST_CASES}")
            elif all(str(coding.get(k, "")).strip() for k in ("function", "reference_solution")):
                errors.extend(f"coding: {f}" for f in run_reference_solution(coding))
    elif coding:
        errors.append("coding: only coding questions carry a reference solution")
    if isinstance(coding, dict) and data.get("kind") == "coding" and "wrong_solutions" in coding:
        errors.extend(_wrong_solution_problems(coding))

    sql = data.get("sql")
    if data.get("kind") == "sql":
        errors.extend(_sql_problems(sql))
    elif sql:
        errors.append("sql: only SQL questions carry a schema and a reference query")

    phases = data.get("phases")
    if data.get("kind") == "design" and phases is not None:
        errors.extend(_phase_problems(phases, minutes))
    elif phases:
        errors.append("phases: only design questions are scored per phase")
    return errors


def _wrong_solution_problems(coding):
    """A coding question's wrong solutions: at least one, each a plausible mistake that its
    test cases reject (fails at least one case)."""
    wrong = coding.get("wrong_solutions")
    if not isinstance(wrong, list) or not wrong:
        return ["coding.wrong_solutions: at least one wrong solution the tests must reject"]
    problems = []
    for i, item in enumerate(wrong, 1):
        if not isinstance(item, dict) or not str(item.get("mistake", "")).strip() \
                or not str(item.get("code", "")).strip():
            problems.append(f"coding.wrong_solutions[{i}]: needs mistake and code")
            continue
        if not run_reference_solution({**coding, "reference_solution": item["code"]}):
            problems.append(f"coding.wrong_solutions[{i}]: passes every test case ({item['mistake']!r})")
    return problems


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


def check_bank(bank_dir=BANK_DIR):
    """Validate every file; return (questions, problems)."""
    questions, problems = [], []
    for path in question_files(bank_dir):
        try:
            data = read_question_file(path)
        except (yaml.YAMLError, ValueError) as exc:
            problems.append(f"{path}: {exc}")
            continue
        for err in validate_question(data, slug_from_path=path.stem, area_from_path=path.parent.name):
            problems.append(f"{path.relative_to(Path(bank_dir))}: {err}")
        questions.append(data)
    for i, a in enumerate(questions):
        for b in questions[i + 1 :]:
            sim = trigram_similarity(a.get("title", ""), b.get("title", ""))
            if sim >= MAX_TITLE_SIMILARITY:
                problems.append(
                    f"titles too similar ({sim:.2f}): {a.get('slug')} {a.get('title')!r} / "
                    f"{b.get('slug')} {b.get('title')!r}"
                )
    try:
        retired = read_retired(bank_dir)
    except yaml.YAMLError as exc:
        problems.append(f"retired.yaml: {exc}")
    else:
        problems += _retired_problems(retired, {q.get("slug") for q in questions})
    return questions, problems


if __name__ == "__main__":
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else BANK_DIR
    found, issues = check_bank(directory)
    for line in issues:
        print(line)
    print(f"{len(found)} questions, {len(issues)} problems")
    sys.exit(1 if issues else 0)
