"""Import of questions from a file: a Panelist JSON export, a CSV (as exported, or written by
hand) or a document (read by ``docparser``).

Importing is two steps: ``build_preview`` parses and checks and writes nothing; the preview is
shown to the user; ``apply_import`` writes the chosen items in one transaction. A file that
cannot be imported raises ``ImportRefused`` naming the line.
"""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from .exporting import CSV_COLUMNS, JSON_FORMAT, JSON_VERSION, csv_unquote
from .models import (
    QUESTION_MINUTES, SCORE_LEVELS, Area, Kind, Level, Question, QuestionRevision, RoleTrack, RubricCriterion, Status,
    phase_problems, rubric_problems,
)
from .services import (
    SIMILAR_TITLE_THRESHOLD, normalise_content, question_create, question_set_status, revision_publish, same_content,
    similar_titles, trigram_threshold,
)

# What the database takes: imported values beyond these are refused with a message, not cut.
TITLE_MAX = QuestionRevision._meta.get_field("title").max_length
SLUG_MAX = Question._meta.get_field("slug").max_length
CRITERION_MAX = RubricCriterion._meta.get_field("text").max_length
CHANGE_NOTE_MAX = QuestionRevision._meta.get_field("change_note").max_length
PHASE_NAME_MAX = 40
MAX_PHASES = 12  # a design round has six (bankfiles.DESIGN_PHASES); far more is not a Panelist export
REVISION_NUMBER_MAX = 2**31 - 1  # PositiveIntegerField: a PostgreSQL integer
# An export nests about eight levels (file, questions, revisions, coding tests, their args);
# far deeper means a hostile file, refused before anything walks or stores it.
MAX_DEPTH = 32


class ImportRefused(ValueError):
    """A file that cannot be imported; the message names the line where it can."""

    def __init__(self, message, line=None):
        self.line = line
        super().__init__(f"Line {line}: {message}" if line else message)


# --- import: parsing into preview items --------------------------------------------------

def detect_format(name, text):
    lowered = (name or "").lower()
    stripped = text.lstrip()
    if lowered.endswith(".json") or stripped.startswith("{"):
        return "json"
    if lowered.endswith(".csv"):
        return "csv"
    return "document"


def _choice(value, choices, field, line, default=None):
    if value in (None, "") and default is not None:
        return default
    if value not in choices.values:
        raise ImportRefused(f"{field} {value!r} is not one of: {', '.join(choices.values)}", line)
    return value


def _shown(value, limit=60):
    """A value for an error message, cut short: a hostile file's values may be huge."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def nesting_depth(value):
    """How deeply lists and objects nest in a parsed JSON value (iteratively: the value may be
    deeper than Python's recursion limit would allow a recursive walk)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (list, dict)):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return deepest


def _text_problem(value):
    """What makes some text in a parsed value (keys included) impossible to store, or None.
    PostgreSQL refuses NUL, and a lone surrogate (a JSON "\\ud800" escape) has no UTF-8 form."""
    stack = [value]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            if "\x00" in value:
                return "a NUL character"
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return "a broken character (a lone surrogate)"
    return None


def _texts(value, *, where, field, line, limit=None):
    """``value`` as a list of strings (None: empty), each at most ``limit`` characters."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ImportRefused(f"{where}: {field} must be a list of texts, not {_shown(value)}", line)
    if limit and any(len(v.strip()) > limit for v in value):
        raise ImportRefused(f"{where}: each of {field} must be at most {limit} characters", line)
    return value


def _check_content(content, *, where, line=None):
    """Refuse a question's content whose fields have the wrong type or would not fit the
    database, naming the question and the field. Titles and prompts must be there."""
    if nesting_depth(content) > MAX_DEPTH:
        raise ImportRefused(f"{where}: the values nest more than {MAX_DEPTH} levels deep", line)
    problem = _text_problem(content)
    if problem:
        raise ImportRefused(f"{where}: the text contains {problem}; remove it and import again", line)
    for field in ("title", "prompt", "why_we_ask", "model_answer", "reference_solution"):
        value = content.get(field)
        if value is not None and not isinstance(value, str):
            raise ImportRefused(f"{where}: {field} must be text, not {_shown(value)}", line)
    if not (content.get("title") or "").strip() or not (content.get("prompt") or "").strip():
        raise ImportRefused(f"{where}: every question needs a title and a prompt", line)
    if len(content["title"].strip()) > TITLE_MAX:
        raise ImportRefused(f"{where}: the title is {len(content['title'].strip())} characters; at most {TITLE_MAX} fit", line)
    _texts(content.get("key_points"), where=where, field="key_points", line=line)
    _texts(content.get("criteria"), where=where, field="criteria", line=line, limit=CRITERION_MAX)
    follow_ups = content.get("follow_ups")
    if follow_ups is not None and not (isinstance(follow_ups, list) and all(
        isinstance(f, dict) and isinstance(f.get("question"), str) and isinstance(f.get("good_answer", ""), str)
        for f in follow_ups
    )):
        raise ImportRefused(f'{where}: follow_ups must be a list of {{"question": text, "good_answer": text}}, '
                           f"not {_shown(follow_ups)}", line)
    _check_anchors(content.get("anchors"), where=where, line=line)
    _check_phases(content.get("phases"), where=where, line=line)
    coding_tests = content.get("coding_tests")
    if coding_tests is not None and not isinstance(coding_tests, dict):
        raise ImportRefused(f'{where}: coding_tests must be an object like {{"function": "f", "test_cases": [...]}}', line)


def _check_anchors(anchors, *, where, line):
    if isinstance(anchors, dict):
        if not set(anchors) <= {str(level) for level in SCORE_LEVELS} or not all(
                isinstance(a, str) for a in anchors.values()):
            raise ImportRefused(f'{where}: anchors must map the levels "1" to "4" to texts, not {_shown(anchors)}', line)
    elif anchors is not None:
        _texts(anchors, where=where, field="anchors", line=line)
        if len(anchors) > len(SCORE_LEVELS):
            raise ImportRefused(f"{where}: there are {len(SCORE_LEVELS)} anchors at most", line)


def _check_phases(phases, *, where, line):
    """A design round's phases as an export writes them: a list of {"name", "minutes",
    "focus", "criteria", "anchors"}, names and focus text, minutes a whole number that fits."""
    if phases is None:
        return
    if not isinstance(phases, list) or not all(isinstance(p, dict) for p in phases):
        raise ImportRefused(f'{where}: phases must be a list of {{"name", "minutes", "focus", "criteria", "anchors"}}, '
                           f"not {_shown(phases)}", line)
    if len(phases) > MAX_PHASES:
        raise ImportRefused(f"{where}: {len(phases)} phases; a question has at most {MAX_PHASES}", line)
    for n, phase in enumerate(phases, 1):
        name = phase.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > PHASE_NAME_MAX:
            raise ImportRefused(f"{where}: phase {n} needs a name of at most {PHASE_NAME_MAX} characters", line)
        at = f"{where}, phase {name.strip()}"
        if not isinstance(phase.get("focus", ""), str):
            raise ImportRefused(f"{at}: focus must be text, not {_shown(phase.get('focus'))}", line)
        minutes = phase.get("minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= QUESTION_MINUTES[1]:
            raise ImportRefused(f"{at}: minutes must be a whole number from 0 to {QUESTION_MINUTES[1]}", line)
        _texts(phase.get("criteria"), where=at, field="criteria", line=line, limit=CRITERION_MAX)
        _check_anchors(phase.get("anchors"), where=at, line=line)


def _item(*, line, slug, area, kind, level, roles, status, content, revisions=None, warnings=None, where=None):
    _check_content(content, where=where or f"question {slug}", line=line)
    if kind != Kind.DESIGN and any(r.get("phases") for r in [content, *(revisions or [])]):
        raise ImportRefused(f"{where or f'question {slug}'}: phases: only a system design question is scored per phase",
                            line)
    return {
        "line": line, "slug": slug, "area": area, "kind": kind, "level": level, "roles": roles,
        "status": status, "content": normalise_content(content), "revisions": revisions,
        "warnings": list(warnings or []), "similar": [], "action": "create", "include": True,
    }


def parse_json(text):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"not valid JSON ({exc.msg}, column {exc.colno})", exc.lineno) from None
    except RecursionError:
        raise ImportRefused(f"the file nests more than {MAX_DEPTH} levels deep; it is not a Panelist export", 1) from None
    except ValueError as exc:  # e.g. a number literal with more digits than Python converts
        raise ImportRefused(f"not valid JSON ({exc})", 1) from None
    if nesting_depth(data) > MAX_DEPTH:
        raise ImportRefused(f"the file nests more than {MAX_DEPTH} levels deep; it is not a Panelist export", 1)
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        raise ImportRefused(f'not a Panelist export: expected "format": "{JSON_FORMAT}"', 1)
    if data.get("version") != JSON_VERSION:
        raise ImportRefused(f"unsupported export version {_shown(data.get('version'))} (this Panelist reads {JSON_VERSION})", 1)
    questions = data.get("questions")
    if not isinstance(questions, list):
        raise ImportRefused('"questions" must be a list', 1)
    items = []
    for n, q in enumerate(questions, 1):
        where = f"question {n}"
        if not isinstance(q, dict):
            raise ImportRefused(f"{where} is not an object")
        revisions = q.get("revisions")
        if not isinstance(revisions, list) or not revisions or not all(isinstance(r, dict) for r in revisions):
            raise ImportRefused(f"{where} ({_shown(q.get('slug'))}) has no revisions")
        numbers = [_revision_number(r.get("number"), f"{where} ({_shown(q.get('slug'))})") for r in revisions]
        if len(set(numbers)) != len(numbers):
            raise ImportRefused(f"{where} ({_shown(q.get('slug'))}) repeats a revision number")
        current_no = q.get("current_revision") or max(numbers)
        current = next((r for r, number in zip(revisions, numbers) if number == current_no), None)
        if current is None:
            raise ImportRefused(f"{where} ({_shown(q.get('slug'))}) names a current revision it does not contain")
        slug = q.get("slug") or ""
        if not isinstance(slug, str) or not slug or slugify(slug) != slug or len(slug) > SLUG_MAX:
            raise ImportRefused(f"{where} has an invalid slug {_shown(slug)} (letters, digits and hyphens, "
                               f"at most {SLUG_MAX})")
        roles = q.get("roles") or []
        if not isinstance(roles, list) or any(r not in RoleTrack.values for r in roles):
            raise ImportRefused(f"{where} ({slug}) has unknown role tracks {_shown(roles)}")
        history = []
        for r, number in sorted(zip(revisions, numbers), key=lambda pair: pair[1]):
            about = f"{where} ({slug}) revision {number}"
            _check_content(r, where=about)
            _check_minutes(r.get("minutes"), about)
            note = r.get("change_note") or ""
            if not isinstance(note, str) or len(note) > CHANGE_NOTE_MAX:
                raise ImportRefused(f"{about}: change_note must be text of at most {CHANGE_NOTE_MAX} characters")
            history.append(normalise_content(r) | {"number": number, "change_note": note,
                                                   "created_at": _created_at(r.get("created_at"), about)})
        items.append(_item(
            line=None, slug=slug, where=f"{where} ({slug})",
            area=_choice(q.get("area"), Area, "area", None), kind=_choice(q.get("kind"), Kind, "kind", None),
            level=_choice(q.get("level"), Level, "level", None), roles=roles,
            status=_choice(q.get("status"), Status, "status", None), content=current, revisions=history,
        ))
    return items, []


def _revision_number(value, where):
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= REVISION_NUMBER_MAX:
        raise ImportRefused(f"{where} has a revision whose number is not a whole number from 1 to "
                           f"{REVISION_NUMBER_MAX}: {_shown(value)}")
    return value


def _created_at(value, where):
    """An exported revision's creation time as ISO text (None: now), between 1970 and now."""
    if value in (None, ""):
        return None
    try:
        when = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:  # well formed, but no such date (e.g. a 31st of February)
        when = None
    if when is None:
        raise ImportRefused(f"{where}: created_at {_shown(value)} is not a date and time like 2026-01-31T09:30:00+00:00")
    if timezone.is_naive(when):
        when = when.replace(tzinfo=UTC)
    if not datetime(1970, 1, 1, tzinfo=UTC) <= when <= timezone.now() + timedelta(days=1):
        raise ImportRefused(f"{where}: created_at {_shown(value)} is not between 1970 and now")
    return when.isoformat()


def _check_minutes(value, where, line=None):
    try:
        minutes = int(value if value not in (None, "") else 10)
    except (TypeError, ValueError, OverflowError):  # OverflowError: Infinity
        raise ImportRefused(f"{where}: minutes {value!r} is not a whole number", line) from None
    low, high = QUESTION_MINUTES
    if not low <= minutes <= high:
        raise ImportRefused(f"{where}: minutes {minutes} is outside {low}-{high}", line)
    return minutes


def parse_csv(text):
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames or []  # reads the first row, which can be malformed too
    except csv.Error as exc:
        raise ImportRefused(f"the CSV is malformed ({exc})", 1) from None
    missing = [c for c in ("title", "prompt") if c not in header]
    if missing:
        raise ImportRefused(f"the header row lacks the column(s) {', '.join(missing)}; expected {', '.join(CSV_COLUMNS)}", 1)
    items = []
    try:
        for row in reader:
            line = reader.line_num
            row = {k: csv_unquote(v) if isinstance(v, str) else v for k, v in row.items()}  # as export_csv wrote it
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            if None in row:
                raise ImportRefused("this row has more cells than the header", line)
            title, prompt = (row.get("title") or "").strip(), (row.get("prompt") or "").strip()
            if not title or not prompt:
                raise ImportRefused("every row needs a title and a prompt", line)
            roles = [r.strip() for r in (row.get("roles") or "").replace(",", ";").split(";") if r.strip()]
            bad = [r for r in roles if r not in RoleTrack.values]
            if bad:
                raise ImportRefused(f"unknown role track(s) {', '.join(bad)}", line)
            tests = (row.get("coding_tests") or "").strip()
            try:
                coding_tests = json.loads(tests) if tests else {}
            except (ValueError, RecursionError):
                raise ImportRefused("coding_tests is not valid JSON", line) from None
            follow_ups = _csv_follow_ups(row.get("follow_ups") or "", line)
            content = {
                "title": title, "prompt": prompt, "why_we_ask": row.get("why_we_ask"),
                "model_answer": row.get("model_answer"), "key_points": (row.get("key_points") or "").splitlines(),
                "follow_ups": follow_ups, "minutes": _check_minutes(row.get("minutes"), "minutes", line),
                "criteria": (row.get("criteria") or "").splitlines(),
                "anchors": [row.get(f"anchor_{n}") or "" for n in SCORE_LEVELS],
                "reference_solution": row.get("reference_solution"), "coding_tests": coding_tests,
            }
            slug = (row.get("slug") or "").strip() or slugify(title)[:70]
            if slugify(slug) != slug or len(slug) > SLUG_MAX:
                raise ImportRefused(f"invalid slug {_shown(slug)} (letters, digits and hyphens, at most {SLUG_MAX})", line)
            items.append(_item(
                line=line, slug=slug, where="this row",
                area=_choice(row.get("area"), Area, "area", line, Area.FUNDAMENTALS),
                kind=_choice(row.get("kind"), Kind, "kind", line, Kind.CONCEPT),
                level=_choice(row.get("level"), Level, "level", line, Level.MID),
                roles=roles or [RoleTrack.ML_ENGINEER], status=_choice(row.get("status"), Status, "status", line, Status.DRAFT),
                content=content,
            ))
    except csv.Error as exc:
        raise ImportRefused(f"the CSV is malformed ({exc})", reader.line_num) from None
    return items, []


def _csv_follow_ups(cell, line):
    """A JSON list of {question, good_answer} (as exported), or one question per line."""
    cell = cell.strip()
    if cell.startswith("["):
        try:
            items = json.loads(cell)
        except (ValueError, RecursionError):
            raise ImportRefused("follow_ups is not valid JSON", line) from None
        if not isinstance(items, list) or not all(
            isinstance(i, dict) and isinstance(i.get("question"), str) and isinstance(i.get("good_answer", ""), str)
            for i in items
        ):
            raise ImportRefused("follow_ups must be a list of {\"question\": text, \"good_answer\": text}", line)
        return [{"question": i["question"], "good_answer": i.get("good_answer", "")} for i in items]
    return [{"question": q.strip(), "good_answer": ""} for q in cell.splitlines() if q.strip()]


def build_preview(*, name, text, defaults, source_kind="text", reader_dropped=()):
    """Parse a file and check every question against the bank. Writes nothing. A document's
    preview keeps its text (``source``) and what was left out (``dropped``), and can be edited
    (``questionbank.importpreview``)."""
    fmt = detect_format(name, text) if source_kind == "text" else "document"
    if not text.strip():
        raise ImportRefused("the file is empty", 1)
    dropped = []
    if fmt == "json":
        items, warnings = parse_json(text)
    elif fmt == "csv":
        items, warnings = parse_csv(text)
    else:
        from .importpreview import parse_document

        items, warnings, dropped = parse_document(text, defaults=defaults)
    if not items:
        raise ImportRefused("no questions were found in the file", 1)
    preview = {"format": fmt, "items": items, "warnings": warnings, "dropped": dropped,
               "reader_dropped": list(reader_dropped)[:1000], "source_kind": source_kind,
               "editable": fmt == "document"}
    if fmt == "document":
        preview |= {"source": text, "defaults": dict(defaults) | {"roles": list(defaults["roles"])}}
    check_items(preview)
    return preview


def check_items(preview, *, similar_for=None):
    """Number the items and check them against the bank and each other: actions for JSON/CSV
    rows whose slug exists, a free slug for a document's question, near-duplicates flagged
    (only for the items numbered in ``similar_for`` when given: the others keep theirs)."""
    items, fmt = preview["items"], preview["format"]
    existing = {q.slug: q for q in Question.objects.filter(slug__in=[i["slug"] for i in items]).select_related("current_revision")}
    seen_titles = {}
    taken_slugs = set(existing)
    wanted = [n for n in range(len(items)) if similar_for is None or n in similar_for]
    close = similar_titles_of({n: items[n]["content"]["title"] for n in wanted})
    for n, item in enumerate(items):
        item["index"] = n
        title = item["content"]["title"]
        key = title.strip().lower()
        if key in seen_titles:
            item["warnings"].append(f"same title as question {seen_titles[key] + 1} of this file: not included")
            item["include"] = False
        seen_titles.setdefault(key, n)
        current = existing.get(item["slug"])
        if current is not None and fmt != "document":
            same = same_content(current.current_revision, item["content"])
            item["action"] = "unchanged" if same else "update"
            if same:
                item["include"] = False
            else:
                _apply_publish_rule(item, current)
            continue
        _apply_publish_rule(item, None)
        if item["slug"] in taken_slugs:  # a document's made-up slug clashes: find a free one
            base, k = item["slug"], 2
            while item["slug"] in taken_slugs:
                item["slug"], k = f"{base[:SLUG_MAX - 4]}-{k}", k + 1
        taken_slugs.add(item["slug"])
        if similar_for is None or n in similar_for:
            item["similar"] = close.get(n, [])
        similar = item.get("similar") or []
        if similar:
            item["warnings"].append("near-duplicate of " + ", ".join(f"“{q['title']}”" for q in similar)
                                    + ": not included unless you tick it")
            item["include"] = False
    return preview


# Each title's close questions, found through the title's GIN index (``%``, inside
# ``trigram_threshold``), its ``limit`` best kept in the statement. Format with the table.
SIMILAR_TITLES_SQL = """
SELECT t.n, q.slug, q.title, q.s
FROM unnest(%s::text[]) WITH ORDINALITY AS t(title, n) CROSS JOIN LATERAL (
    SELECT q.id, q.slug, q.title, similarity(q.title, t.title) AS s FROM {table} q
    WHERE q.title %% t.title AND similarity(q.title, t.title) >= %s
    ORDER BY s DESC, q.id LIMIT %s) q
ORDER BY t.n, q.s DESC, q.id
"""


def similar_titles_of(titles, *, limit=5):
    """``services.similar_titles`` for many titles at once (``{key: title}`` gives ``{key: [{slug,
    title, similarity}]}``, most similar first): one statement instead of one query per title,
    which a document of a thousand questions would otherwise make. Raw SQL because the ORM
    cannot join the bank to a list of parameters (unnest). Measured on the bench's 100k
    questions with 200 titles (5 December, a loaded machine): 18-24 s for titles that each
    have 300-400 near-copies there, 10-12 s for new ones; comparing every title took 823 s;
    one ORM query per title through the index was 18-26% slower, in alternated runs, and its
    query count grows with the file."""
    keys = [k for k, t in titles.items() if t and t.strip()]
    if not keys:
        return {}
    if len(keys) == 1:
        found = similar_titles(titles[keys[0]], limit=limit)
        return {keys[0]: [{"slug": q.slug, "title": q.title, "similarity": round(q.similarity, 2)} for q in found]}
    sql = SIMILAR_TITLES_SQL.format(table=connection.ops.quote_name(Question._meta.db_table))
    with trigram_threshold(SIMILAR_TITLE_THRESHOLD), connection.cursor() as cursor:
        cursor.execute(sql, [[titles[k] for k in keys], SIMILAR_TITLE_THRESHOLD, limit])
        rows = cursor.fetchall()
    close = {}
    for n, slug, title, similarity in rows:
        close.setdefault(keys[n - 1], []).append({"slug": slug, "title": title, "similarity": round(similarity, 2)})
    return close


def _publish_problems(content):
    return (rubric_problems(criteria=content["criteria"], anchors=content["anchors"])
            + phase_problems(content["phases"] or []))


def _apply_publish_rule(item, current):
    """The publish rule, told in the preview: a new question the file marks published without
    a full rubric is imported as a draft; an update that leaves a published question (``current``)
    without one makes it a draft. ``apply_import`` does the same."""
    problems = _publish_problems(item["content"])
    if not problems:
        return
    if current is None and item["status"] == Status.PUBLISHED:
        item["status"] = Status.DRAFT
        item["warnings"].append(f"marked published, but {'; '.join(problems)}: imported as a draft")
    elif current is not None and current.status == Status.PUBLISHED:
        item["warnings"].append(f"this version has no full rubric ({'; '.join(problems)}): the published question becomes a draft")


# --- import: writing -----------------------------------------------------------------------

@transaction.atomic
def apply_import(preview, *, include, by=None):
    """Write the chosen items of a preview in one transaction. Returns counts per action."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for item in preview["items"]:
        if item["index"] not in include:
            continue
        question = Question.objects.filter(slug=item["slug"]).select_related("current_revision").first()
        # The publish rule (see _apply_publish_rule): never a published question without a rubric.
        unpublishable = bool(_publish_problems(item["content"]))
        if question is None:
            status = Status.DRAFT if unpublishable and item["status"] == Status.PUBLISHED else item["status"]
            if item.get("revisions"):
                _create_with_history(item | {"status": status}, by=by)
            else:
                question_create(
                    slug=item["slug"], area=item["area"], kind=item["kind"], level=item["level"],
                    roles=item["roles"], content=item["content"], status=status, by=by, note="Imported",
                )
            counts["created"] += 1
        else:
            if (unpublishable and question.status == Status.PUBLISHED
                    and not same_content(question.current_revision, item["content"])):
                question_set_status(question=question, status=Status.DRAFT)
            revision = revision_publish(question=question, content=item["content"], by=by, note="Imported")
            counts["updated" if revision else "unchanged"] += 1
    return counts


def _create_with_history(item, *, by):
    """Recreate a question with every revision of a JSON export, numbers and dates kept."""
    question = Question.objects.create(
        slug=item["slug"], area=item["area"], kind=item["kind"], level=item["level"], roles=item["roles"],
        status=Status.DRAFT,
    )
    for rev in item["revisions"]:
        new = revision_publish(question=question, content=rev, by=by, note=rev.get("change_note") or "")
        if new is None:
            # Identical to the previous revision (possible in hand-edited files): keep the numbering.
            continue
        if new.number != rev["number"] or rev.get("created_at"):
            QuestionRevision.objects.filter(pk=new.pk).update(
                number=rev["number"], **({"created_at": rev["created_at"]} if rev.get("created_at") else {})
            )
    current = question.revisions.get(number=max(r["number"] for r in item["revisions"]))
    wanted = normalise_content(item["content"])
    match = next((r for r in question.revisions.all() if same_content(r, wanted)), current)
    Question.objects.filter(pk=question.pk).update(current_revision=match)
    question.refresh_from_db()
    if item["status"] != Status.DRAFT:
        question_set_status(question=question, status=item["status"])
    question.refresh_search_vector()
    return question
