"""The built-in bank: every topic of its coverage list (questionbank/bank/COVERAGE.md), complete and within size,
no near-duplicates, working reference solutions, and an idempotent loader."""

import re
import shutil

import pytest
import yaml
from django.db import connection

from questionbank import bankfiles, bankrun
from questionbank.loading import load_bank
from questionbank.models import Area, Kind, Level, Question, RoleTrack, Status

pytestmark = pytest.mark.django_db

TOPICS_FILE = bankfiles.BANK_DIR / "COVERAGE.md"
ROLE_CODES = {"MLE": "mle", "DS": "ds", "MLOps": "mlops", "NLP": "nlp", "CV": "cv", "RL": "rl", "RS": "research"}
AREA_OF_HEADING = {
    "Fundamentals": "fundamentals", "Data and features": "data", "Algorithms": "algorithms",
    "Evaluation": "evaluation", "Deep learning": "deep-learning", "Domains": "domains",
    "Production and MLOps": "production", "Coding and design": "coding-design", "General coding": "coding-design",
    "Experience": "experience", "Behavioural": "experience", "LLMs and generative AI": "llm",
    "ML system design": "system-design", "ML coding": "ml-coding", "SQL and data analysis": "sql",
    "Experimentation and statistics": "experimentation", "Responsible AI": "responsible-ai",
    "Research skills": "research",
}


def topic_rows():
    """(id, area, kind, level, roles) of every row of the coverage list."""
    rows, area = [], None
    for line in TOPICS_FILE.read_text().splitlines():
        heading = re.match(r"^## (.+)$", line)
        if heading:
            area = AREA_OF_HEADING.get(heading.group(1).strip())
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if area and len(cells) == 6 and re.fullmatch(r"[a-z][a-z0-9-]*", cells[0]) and cells[0] != "id":
            raw_roles = [r.strip() for r in cells[4].split(",")]
            roles = set(bankfiles.ROLES) if "all" in raw_roles else {ROLE_CODES[r] for r in raw_roles}
            rows.append((cells[0], area, cells[2], cells[3], roles))
    return rows


def test_the_bank_files_vocabulary_is_the_models():
    """bankfiles.py runs without Django, so it restates the choices; they must not drift."""
    assert bankfiles.AREAS == dict(Area.choices)
    assert list(bankfiles.KINDS) == Kind.values
    assert list(bankfiles.LEVELS) == Level.values
    assert list(bankfiles.ROLES) == RoleTrack.values


# The minimums per stage (issue 16), counted from the bank files. Fundamentals and the
# classical areas keep the questions they have.
STAGE_MINIMUMS = {
    "deep-learning": 20, "llm": 30, "system-design": 12, "ml-coding": 15, "sql": 10, "experimentation": 12,
    "production": 12, "responsible-ai": 8, "research": 8, "experience": 12,
}


def bank_files():
    return [bankfiles.read_question_file(p) for p in bankfiles.question_files()]


@pytest.mark.parametrize("area,minimum", STAGE_MINIMUMS.items())
def test_each_stage_has_its_minimum_of_questions(area, minimum):
    found = sorted(q["slug"] for q in bank_files() if q["area"] == area)
    assert len(found) >= minimum, f"{area}: {len(found)} questions, want {minimum}"


def test_the_bank_holds_220_questions_of_which_at_least_30_percent_senior():
    questions = bank_files()
    senior = [q for q in questions if q["level"] == "senior"]
    assert len(questions) >= 220
    assert len(senior) >= 0.3 * len(questions), f"{len(senior)} of {len(questions)} senior"


def test_every_bank_file_is_a_row_of_the_coverage_list():
    """And the other way round (below): the list and the files name the same questions."""
    rows = {slug: (area, kind, level) for slug, area, kind, level, _roles in topic_rows()}
    for q in bank_files():
        assert rows.get(q["slug"]) == (q["area"], q["kind"], q["level"]), q["slug"]


def test_the_topic_list_parses():
    rows = topic_rows()
    assert len(rows) >= 220
    assert len({r[0] for r in rows}) == len(rows)


@pytest.mark.parametrize("slug,area,kind,level,roles", topic_rows(), ids=lambda v: v if isinstance(v, str) else None)
def test_every_topic_is_a_published_question_with_its_row_identity(slug, area, kind, level, roles):
    question = Question.objects.select_related("current_revision").get(slug=slug)
    assert question.status == Status.PUBLISHED
    assert (question.area, question.kind, question.level) == (area, kind, level)
    assert set(question.roles) == roles


def test_every_question_is_complete_and_within_size():
    questions = Question.objects.filter(status=Status.PUBLISHED).select_related("current_revision").prefetch_related(
        "current_revision__criteria", "current_revision__anchors"
    )
    assert questions.count() >= 220  # 225 files on 5 December 2026
    for q in questions:
        rev = q.current_revision
        for field in ("title", "prompt", "why_we_ask", "model_answer"):
            assert getattr(rev, field).strip(), (q.slug, field)
        assert 80 <= bankfiles.word_count(rev.model_answer) <= 250, q.slug
        assert 2 <= bankfiles.sentence_count(rev.why_we_ask) <= 4, q.slug
        assert 1 <= bankfiles.sentence_count(rev.prompt) <= 2, q.slug
        assert 4 <= len(rev.key_points) <= 8, q.slug
        assert 2 <= len(rev.follow_ups) <= 4 and all(f["good_answer"] for f in rev.follow_ups), q.slug
        # The question's own rubric (a design round's phases have theirs: test_design_phases.py).
        criteria = [c.text for c in rev.criteria.all() if c.phase is None]
        assert 3 <= len(criteria) <= 6, q.slug
        anchors = [a.text for a in rev.anchors.all() if a.phase is None]
        assert len(anchors) == 4 and len(set(anchors)) == 4, q.slug
        assert rev.minutes >= 2, q.slug


def test_no_criterion_is_vague():
    vague = re.compile(r"\b(good|solid|strong|deep) understanding\b|\bexplains (it )?well\b", re.I)
    for q in Question.objects.filter(status=Status.PUBLISHED).prefetch_related("current_revision__criteria"):
        for c in q.current_revision.criteria.all():
            assert not vague.search(c.text), (q.slug, c.text)


def test_no_two_titles_are_near_duplicates_by_pg_trgm():
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT a.slug, b.slug, similarity(a.title, b.title) FROM questionbank_question a
               JOIN questionbank_question b ON a.id < b.id WHERE similarity(a.title, b.title) >= 0.6"""
        )
        assert cursor.fetchall() == []


def test_the_python_similarity_matches_pg_trgm():
    pairs = [("Overfitting: warning signs", "Underfitting: causes and remedies"), ("k-means", "k means++"), ("", "x")]
    with connection.cursor() as cursor:
        for a, b in pairs:
            cursor.execute("SELECT similarity(%s, %s)", [a, b])
            assert bankfiles.trigram_similarity(a, b) == pytest.approx(cursor.fetchone()[0], abs=1e-6)


def test_design_and_experience_questions_have_their_dimensions():
    design = Question.objects.get(slug="design-restaurant-recs").current_revision
    phases = bankfiles.read_question_file(bankfiles.BANK_DIR / "system-design" / "design-restaurant-recs.yaml")["phases"]
    text = " ".join([c.text.lower() for c in design.criteria.all()]
                    + [c.lower() for phase in phases for c in phase["criteria"]])
    for word in ("metric", "data", "candidate", "rank", "latency", "offline", "online", "cold start", "monitor"):
        assert word in text, word
    story = " ".join(c.text.lower() for c in Question.objects.get(slug="past-project").current_revision.criteria.all())
    for word in ("problem", "data", "alternative", "obstacle", "outcome", "change"):
        assert word in story, word


def test_plan_wide_criteria_are_loaded():
    from questionbank.models import PlanCriterion

    assert PlanCriterion.objects.count() >= 5
    assert all(c.description and c.red_flag for c in PlanCriterion.objects.all())


def test_the_runner_reports_a_wrong_solution():
    coding = {"function": "f", "reference_solution": "def f(x):\n    return x + 1\n",
              "test_cases": [{"name": "one", "args": [1], "expected": 3}]}
    assert bankrun.run_reference_solution(coding) == ["case 'one': expected 3, got 2"]


def test_the_bank_files_have_no_problems():
    questions, problems = bankfiles.check_bank()
    assert problems == []
    assert len(questions) == Question.objects.filter(slug__in=[q["slug"] for q in questions]).count()


def test_loading_twice_changes_nothing():
    load_bank()  # the test database's bank lacks the factory questions' samples (tests/conftest.py)
    before = list(Question.objects.order_by("pk").values_list("pk", "current_revision_id", "status"))
    counts = load_bank()
    assert counts == {"created": 0, "revised": 0, "unchanged": len(before), "retired": 0, "kept_published": [],
                      "samples": 0}
    assert list(Question.objects.order_by("pk").values_list("pk", "current_revision_id", "status")) == before


def test_editing_a_file_and_reloading_makes_exactly_one_new_revision(tmp_path):
    bank = tmp_path / "bank"
    shutil.copytree(bankfiles.BANK_DIR, bank)
    path = bank / "evaluation" / "f1.yaml"
    data = yaml.safe_load(path.read_text())
    data["prompt"] = data["prompt"].rstrip(".?") + ", and why not the arithmetic mean?"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    question = Question.objects.get(slug="f1")
    revisions_before = question.revisions.count()
    counts = load_bank(bank)
    assert counts["revised"] == 1 and counts["created"] == 0
    question.refresh_from_db()
    assert question.revisions.count() == revisions_before + 1
    assert question.current_revision.prompt == data["prompt"]
    assert load_bank(bank)["revised"] == 0


def test_a_slug_listed_as_retired_is_retired_once_and_kept(tmp_path):
    bank = tmp_path / "bank"
    shutil.copytree(bankfiles.BANK_DIR, bank)
    question = Question.objects.get(slug="f1")
    revision = question.current_revision_id
    (bank / "evaluation" / "f1.yaml").unlink()
    retired = bankfiles.read_retired(bank) + [{"slug": "f1", "merged_into": "precision", "reason": "test merge"}]
    (bank / "retired.yaml").write_text(yaml.safe_dump(retired, sort_keys=False))
    assert load_bank(bank)["retired"] == 1
    question.refresh_from_db()
    assert question.status == Status.RETIRED and question.current_revision_id == revision
    assert load_bank(bank)["retired"] == 0
    question.refresh_from_db()
    assert question.status == Status.RETIRED


def test_a_question_re_published_after_the_bank_retired_it_stays_published(tmp_path):
    """The bank retires a slug once and records it in the revision's change note; a team that
    publishes the question again is not overruled at every load, and the command says so."""
    from io import StringIO

    from django.core.management import call_command

    from questionbank.services import question_set_status

    bank = tmp_path / "bank"
    shutil.copytree(bankfiles.BANK_DIR, bank)
    (bank / "evaluation" / "f1.yaml").unlink()
    retired = bankfiles.read_retired(bank) + [{"slug": "f1", "merged_into": "precision", "reason": "test merge"}]
    (bank / "retired.yaml").write_text(yaml.safe_dump(retired, sort_keys=False))
    assert load_bank(bank)["retired"] == 1
    question = Question.objects.get(slug="f1")
    assert question.current_revision.change_note.endswith("retired by the built-in bank (merged into precision)")
    question_set_status(question=question, status=Status.PUBLISHED)
    out = StringIO()
    call_command("load_question_bank", "--dir", str(bank), stdout=out)
    question.refresh_from_db()
    assert question.status == Status.PUBLISHED
    assert out.getvalue().splitlines()[-2:] == [
        f"Question bank: 0 created, 0 revised, {len(bankfiles.question_files(bank))} unchanged, 0 retired.",
        "Kept published (retired.yaml lists them, but a team re-published them after the bank retired them): f1."]
    # Retired by hand again, it stays retired and the note is written once.
    question_set_status(question=question, status=Status.RETIRED)
    assert load_bank(bank)["kept_published"] == []
    assert question.revisions.filter(change_note__contains="retired by the built-in bank").count() == 1


def test_every_retired_slug_names_its_merge_and_has_no_file():
    retired = bankfiles.read_retired()
    slugs = {p.stem for p in bankfiles.question_files()}
    rows = {r[0] for r in topic_rows()}
    for entry in retired:
        assert entry["slug"] not in slugs and entry["slug"] not in rows, entry
        assert entry["merged_into"] in slugs and entry["reason"], entry
    assert len(retired) <= 3


def test_the_bank_refuses_a_retired_slug_that_still_has_a_file(tmp_path):
    bank = tmp_path / "bank"
    shutil.copytree(bankfiles.BANK_DIR, bank)
    (bank / "retired.yaml").write_text("- {slug: f1, merged_into: precision, reason: test}\n")
    _, problems = bankfiles.check_bank(bank)
    assert "retired.yaml: f1 is retired but still has a question file" in problems


def test_the_loader_refuses_a_broken_file(tmp_path):
    from questionbank.loading import BankFileError

    bank = tmp_path / "bank"
    shutil.copytree(bankfiles.BANK_DIR, bank)
    path = bank / "evaluation" / "f1.yaml"
    data = yaml.safe_load(path.read_text())
    data["anchors"][2] = data["anchors"][3]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(BankFileError, match="anchors: the four levels must all differ"):
        load_bank(bank)
