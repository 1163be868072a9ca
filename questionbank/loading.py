"""Loading the built-in bank (questionbank/bank/*.yaml) into the database, idempotently."""

from django.db import transaction

from .bankfiles import BANK_DIR, check_bank, read_plan_criteria, read_retired
from .banksql import plain_value
from .models import PlanCriterion, Question, SampleAnswer, Status
from .services import QuestionNotPublishable, question_create, question_set_status, question_update


class BankFileError(Exception):
    pass


def _content(data):
    return {
        "title": data["title"], "prompt": data["prompt"], "why_we_ask": data["why_we_ask"],
        "model_answer": data["model_answer"], "key_points": data["key_points"], "follow_ups": data["follow_ups"],
        "minutes": data["minutes"], "criteria": data["criteria"],
        "anchors": {int(k): v for k, v in data["anchors"].items()},
        **_runnable(data),
        # A design round's phases, each with its criteria and anchors (services.normalise_phases).
        "phases": data.get("phases") or [],
    }


def _runnable(data):
    """What an interviewer needs of a coding or SQL question: the reference solution (for SQL,
    the reference query) and its hidden tests. The wrong solutions and wrong queries stay in
    the bank files: they exist to test the tests, not for the interview."""
    coding, sql = data.get("coding") or {}, data.get("sql") or {}
    if coding:
        tests = {"language": "python", "function": coding["function"], "test_cases": coding["test_cases"]}
        if coding.get("tolerance") is not None:
            tests["tolerance"] = coding["tolerance"]
        return {"reference_solution": coding["reference_solution"], "coding_tests": tests}
    if sql:
        return {"reference_solution": sql["reference_query"], "coding_tests": {
            "language": "sql", "schema": sql["schema"], "data": sql["data"], "ordered": sql["ordered"],
            # YAML reads an unquoted date as a date; stored as the ISO string the runner compares.
            "expected_rows": [[plain_value(v) for v in row] for row in sql["expected_rows"]],
        }}
    return {"reference_solution": "", "coding_tests": {}}


@transaction.atomic
def load_bank(bank_dir=BANK_DIR):
    """Create or update every question of the bank files by slug. A question gets a new
    revision only when its text changed; rerunning changes nothing. Returns counts, and in
    ``kept_published`` the slugs retired.yaml lists that a team re-published (see _retire)."""
    questions, problems = check_bank(bank_dir, full=False)
    if problems:
        raise BankFileError("The bank files have problems:\n" + "\n".join(problems))
    counts = {"created": 0, "revised": 0, "unchanged": 0, "retired": 0, "kept_published": [], "samples": 0}
    existing = {q.slug: q for q in Question.objects.select_related("current_revision")}
    for data in questions:
        try:
            _load_question(data, existing.get(data["slug"]), counts)
        except QuestionNotPublishable as exc:  # the publish rule, should a file ever pass check_bank without a rubric
            raise BankFileError(f"{data['slug']}: {exc.messages[0]}") from None
    _load_samples(questions, counts)
    _retire(read_retired(bank_dir), existing, counts)
    for item in read_plan_criteria(bank_dir):
        PlanCriterion.objects.update_or_create(
            slug=item["slug"],
            defaults={k: item[k] for k in ("title", "description", "red_flag", "position")},
        )
    return counts


# Who agreed on the reference scores of the samples the bank ships.
BANK_SAMPLES_AGREED_BY = "Panelist bank team"


def unwrapped(text):
    """A bank file's block text as the pages should flow it: the files wrap lines at about 90
    characters for reading in an editor, so a single line break joins its lines with a space
    and only a blank line starts a new paragraph (the practice page once broke every line)."""
    paragraphs = [" ".join(line.strip() for line in block.splitlines()) for block in text.strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _load_samples(questions, counts):
    """Load each question's ``sample_answers`` in place by (question, position in the list):
    a rerun changes nothing, an edited sample is updated (its practice history kept), and a
    bank sample no longer in the file is deleted with the attempts at it (it was judged wrong;
    scores against it should not count). Samples written in the app are left alone."""
    ids = dict(Question.objects.filter(slug__in=[d["slug"] for d in questions]).values_list("slug", "pk"))
    current = {(s.question_id, s.bank_position): s for s in SampleAnswer.objects.filter(bank_position__isnull=False)}
    keep = set()
    for data in questions:
        question_id = ids[data["slug"]]
        for position, item in enumerate(data.get("sample_answers") or [], 1):
            keep.add((question_id, position))
            values = {"order": position, "reference_score": item["score"], "answer": unwrapped(item["answer"]),
                      "rationale": item["rationale"].strip(), "agreed_by": BANK_SAMPLES_AGREED_BY}
            sample = current.get((question_id, position))
            if sample is None:
                SampleAnswer.objects.create(question_id=question_id, bank_position=position, **values)
                counts["samples"] += 1
            elif any(getattr(sample, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(sample, k, v)
                sample.save(update_fields=[*values, "updated_at"])
                counts["samples"] += 1
    gone = [s.pk for key, s in current.items() if key not in keep]
    if gone:
        SampleAnswer.objects.filter(pk__in=gone).delete()


# Written into the change note of the revision that was current when the bank retired a
# question: the record that the bank has retired it once (see _retire).
BANK_RETIRED_NOTE = "retired by the built-in bank"


def _retire(entries, existing, counts):
    """Retire, once, each slug that retired.yaml lists (merged into another question): set it
    to status retired and record that in the change note of its current revision, which the
    question's history shows. The question is kept, never deleted: past interviews and plans
    may use it. A question that carries the record and is published again was re-published
    by a team on purpose: it stays published, and the load says so (``kept_published``)."""
    for entry in entries:
        question = existing.get(entry["slug"])
        if question is None:
            continue
        if question.revisions.filter(change_note__contains=BANK_RETIRED_NOTE).exists():
            if question.status != Status.RETIRED:
                counts["kept_published"].append(question.slug)
            continue
        if question.status != Status.RETIRED:
            question_set_status(question=question, status=Status.RETIRED)
            counts["retired"] += 1
        revision = question.current_revision
        note = f"{BANK_RETIRED_NOTE} (merged into {entry['merged_into']})"
        revision.change_note = f"{revision.change_note}; {note}"[-200:] if revision.change_note else note
        # The note is the revision's history, not its words: what interviews pinned to it
        # show is unchanged, so this is the one update an immutable revision allows.
        revision.save(update_fields=["change_note"], allow_update=True)


def _load_question(data, question, counts):
    """Create or update one bank question, published through the services (which keep to the
    publish rule)."""
    identity = {"area": data["area"], "kind": data["kind"], "level": data["level"], "roles": data["roles"]}
    if question is None:
        question_create(slug=data["slug"], content=_content(data), status=Status.PUBLISHED,
                        note="Built-in bank", **identity)
        counts["created"] += 1
        return
    revision, _ = question_update(question=question, content=_content(data), note="Built-in bank updated", **identity)
    if question.status == Status.DRAFT:
        question_set_status(question=question, status=Status.PUBLISHED)
    counts["revised" if revision else "unchanged"] += 1
