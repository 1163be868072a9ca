"""Documents in the import preview: their questions as preview items (``parse_document``), and
the preview's editing, which the user does before confirming: every field edited, a question
merged into the one before it, split at a line of its answer, the source text re-read.

The preview is a draft kept server-side in the user's session (database-backed, so any app
process serves the next request), under a random token; ``version`` counts its changes so that a
form posted from an older page (another tab) is refused rather than applied to the wrong
questions. Every form post first saves what was typed into the draft (``preview_update``), then
does the action: nothing typed is lost by a merge, a split, a re-read or a refused confirm.
"""

import re

from django.utils.text import slugify

from .importing import CRITERION_MAX, SLUG_MAX, TITLE_MAX, _item, check_items
from .models import Area, Status
from .services import normalise_content

_NEGATIVE = re.compile(r"^(a |an )?(weak|poor|bad|red flag|red flags|avoid|watch out|candidates who)\b", re.IGNORECASE)
_STRONG_PREFIX = re.compile(
    r"^(a |an )?(strong|good|great|excellent|the best)( candidates?| answers?| responses?)? (will |should |also )?", re.IGNORECASE
)


def _criteria_from_evaluation(evaluation):
    """Draft rubric criteria from "Evaluating Responses" prose: its bullets, or else its
    sentences, leaving out the ones that describe weak answers (at most 8). The author
    reviews them before publishing."""
    raw_lines = [line.strip() for line in evaluation.splitlines() if line.strip()]
    bullets = [line.lstrip("-*•").strip() for line in raw_lines if line[:1] in "-*•"]
    if len(bullets) >= 2:
        # The bullets, after any sentence written before them ("Mentions X." then a list):
        # a line that only introduces the list ("Strong answers include:") is not one.
        prose = " ".join(line for line in raw_lines if line[:1] not in "-*•")
        sentences = [t for t in re.split(r"(?<=[.!?:])\s+", prose) if t and not t.endswith(":")]
        candidates = sentences + bullets
    else:
        prose = " ".join(line.lstrip("-*•").strip() for line in raw_lines)
        candidates = re.split(r"(?<=[.!?])\s+", prose)
    criteria = []
    for text in candidates:
        text = text.strip()
        if len(text) < 15 or _NEGATIVE.match(text):
            continue
        if len(text) > CRITERION_MAX:  # a paragraph, not a checkable criterion: the author writes one
            continue
        text = _STRONG_PREFIX.sub("", text, count=1).strip()
        criteria.append(text[:1].upper() + text[1:])
    return criteria[:8]


# Section titles that say which area their questions belong to (whole words of the title).
_SECTION_AREAS = [
    (("llm", "llms", "genai", "generative", "rag", "prompting"), Area.LLM),
    (("sql", "pandas", "analytics"), Area.SQL),
    (("experimentation", "experiments", "statistics", "causal"), Area.EXPERIMENTATION),
    (("fairness", "responsible", "ethics", "privacy"), Area.RESPONSIBLE_AI),
    (("research", "papers"), Area.RESEARCH),
    (("design",), Area.SYSTEM_DESIGN),
    (("fundamentals", "basics", "foundations", "probability", "theory"), Area.FUNDAMENTALS),
    (("data", "features", "feature", "preprocessing"), Area.DATA),
    (("algorithms", "models", "classical"), Area.ALGORITHMS),
    (("evaluation", "metrics", "validation"), Area.EVALUATION),
    (("deep", "neural", "transformers"), Area.DEEP_LEARNING),
    (("nlp", "vision", "recommender", "recommendation", "recommendations", "ranking", "domains"), Area.DOMAINS),
    (("production", "mlops", "deployment", "serving", "monitoring", "infrastructure"), Area.PRODUCTION),
    (("coding", "programming"), Area.ML_CODING),
    (("experience", "behavioural", "behavioral", "career", "leadership", "collaboration"), Area.EXPERIENCE),
]


def area_for_section(section, default):
    """The area a document's section title names (``## Deep learning`` gives deep-learning), else
    ``default``."""
    words = set(re.findall(r"[a-z]+", (section or "").lower()))
    for keys, area in _SECTION_AREAS:
        if words & set(keys):
            return area
    return default


def _document_item(*, line, end_line, content, warnings, area, defaults, extra=None):
    item = _item(
        line=line, slug=slugify(content["title"])[:70] or "imported-question", where="this question",
        area=area, kind=defaults["kind"], level=defaults["level"], roles=list(defaults["roles"]),
        status=Status.DRAFT, content=content, warnings=warnings,
    )
    return item | {"end_line": end_line, "section": "", "confidence": "high", "confidence_reason": "",
                   "evaluation": "", "parsed": None, "edited": False} | (extra or {})


def document_items(parsed, *, defaults):
    """Preview items of questions read from a document (``docparser.ParsedQuestion``)."""
    items = []
    for pq in parsed:
        criteria = _criteria_from_evaluation(pq.evaluation) if pq.evaluation else []
        warnings = list(pq.warnings)
        if criteria:
            noun = "criterion" if len(criteria) == 1 else "criteria"
            warnings.append(f"{len(criteria)} rubric {noun} drafted from the evaluation notes: review them")
        warnings.append("no score anchors: imported as a draft; add anchors before publishing")
        content = {
            "title": pq.title[:TITLE_MAX], "prompt": pq.prompt, "why_we_ask": pq.why_we_ask,
            "model_answer": pq.model_answer, "key_points": pq.key_points,
            "follow_ups": [{"question": f, "good_answer": ""} for f in pq.follow_ups],
            "criteria": [c[:CRITERION_MAX] for c in criteria], "anchors": ["", "", "", ""], "minutes": 10,
        }
        items.append(_document_item(
            line=pq.line, end_line=pq.end_line, content=content, warnings=warnings,
            area=area_for_section(pq.section, defaults["area"]), defaults=defaults,
            extra={"evaluation": pq.evaluation, "section": pq.section, "confidence": pq.confidence,
                   "confidence_reason": pq.confidence_reason,
                   "parsed": normalise_content(content)},  # as read: edits survive a re-read of the text
        ))
    return items


MAX_DROPPED_LISTED = 1000


def parse_document(text, *, defaults):
    """Preview items, document warnings and dropped lines of a document."""
    from . import docparser
    from .importing import ImportRefused

    try:
        result = docparser.read_document(text)
    except docparser.DocumentError as exc:
        raise ImportRefused(str(exc)) from None
    dropped = result.dropped
    warnings = list(result.warnings)
    if len(dropped) > MAX_DROPPED_LISTED:
        warnings.append(f"{len(dropped):,} lines were left out; the first {MAX_DROPPED_LISTED:,} are listed")
        dropped = dropped[:MAX_DROPPED_LISTED]
    return document_items(result.questions, defaults=defaults), warnings, dropped


# --- editing the preview -------------------------------------------------------------------------

EDITABLE = ("title", "prompt", "why_we_ask", "model_answer", "key_points", "criteria", "follow_ups")


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def item_fields(item):
    """An item's editable fields as form values (lists one item per line)."""
    content = item["content"]
    return {
        "include": item["include"], "area": item["area"], "title": content["title"], "prompt": content["prompt"],
        "why_we_ask": content["why_we_ask"], "model_answer": content["model_answer"],
        "key_points": "\n".join(content["key_points"]), "criteria": "\n".join(content["criteria"]),
        "follow_ups": "\n".join(f["question"] for f in content["follow_ups"]),
    }


def _set_fields(item, values):
    """Store typed values in an item, exactly as typed (lists split into lines)."""
    content = dict(item["content"])
    # Browsers send a textarea's line breaks as \r\n: stored as \n, as the document's were.
    values = {k: v.replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) else v for k, v in values.items()}
    for name in ("title", "prompt", "why_we_ask", "model_answer"):
        if name in values:
            content[name] = values[name]
    if "key_points" in values:
        content["key_points"] = _lines(values["key_points"])
    if "criteria" in values:
        content["criteria"] = _lines(values["criteria"])
    if "follow_ups" in values:
        content["follow_ups"] = [{"question": q, "good_answer": ""} for q in _lines(values["follow_ups"])]
    if "include" in values:
        item["include"] = bool(values["include"])
    if values.get("area") in Area.values:
        item["area"] = values["area"]
    if normalise_content(content) != normalise_content(item["content"]):
        item["edited"] = True
    item["content"] = content


PAGE_SIZE = 50  # questions a page of the preview edits (a form of 50 stays well under Django's 1,000 fields)


def page_of(preview, page=None):
    """``(page, pages, items)``: the items of one page of the preview (the current one when
    ``page`` is None), the page number kept within range."""
    pages = max(1, -(-len(preview["items"]) // PAGE_SIZE))
    page = preview.get("page", 1) if page is None else page
    page = min(max(page, 1), pages)
    start = (page - 1) * PAGE_SIZE
    return page, pages, preview["items"][start:start + PAGE_SIZE]


def preview_update(*, preview, values):
    """Save what was typed into the draft: ``values`` maps an item's index to a dict of its
    field values (fields missing stay as they were; items missing are not on the page posted).
    Titles changed are checked again for near-duplicates and given a free slug."""
    changed = set()
    for item in preview["items"]:
        typed = values.get(item["index"])
        if typed is None:
            continue
        before = item["content"]["title"]
        _set_fields(item, typed)
        if item["content"]["title"] != before:
            changed.add(item["index"])
    _renumber(preview, recheck=changed)
    return preview


def _renumber(preview, *, recheck):
    """Number the items again. With ``recheck`` (a set of new item positions, or True for all),
    check the titles against the bank and each other again, keeping what the user ticked."""
    preview["version"] = preview.get("version", 0) + 1
    if not recheck:
        for n, item in enumerate(preview["items"]):
            item["index"] = n
        return
    ticked = [item["include"] for item in preview["items"]]
    for n, item in enumerate(preview["items"]):
        item["warnings"] = [w for w in item["warnings"] if not w.startswith(("near-duplicate of", "same title as"))]
        if recheck is True or n in recheck:
            item["slug"] = slugify(item["content"]["title"])[:70] or "imported-question"
    check_items(preview, similar_for=None if recheck is True else recheck)
    for n, (item, include) in enumerate(zip(preview["items"], ticked)):
        fresh = recheck is True or n in recheck
        flagged = (fresh and item["similar"]) or any(w.startswith("same title as") for w in item["warnings"])
        if not flagged:
            item["include"] = include


def _join(*parts):
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def preview_merge(*, preview, index):
    """Merge question ``index`` into the one before it: its text becomes part of that
    question's model answer, its lists are added to that question's lists."""
    items = preview["items"]
    if not 0 < index < len(items):
        return False
    into, item = items[index - 1], items[index]
    a, b = into["content"], item["content"]
    asked = b["prompt"] if b["prompt"].strip() else b["title"]
    content = dict(a) | {
        "why_we_ask": _join(a["why_we_ask"], b["why_we_ask"]),
        "model_answer": _join(a["model_answer"], asked, b["model_answer"]),
        "key_points": a["key_points"] + [k for k in b["key_points"] if k not in a["key_points"]],
        "criteria": a["criteria"] + [c for c in b["criteria"] if c not in a["criteria"]],
        "follow_ups": a["follow_ups"] + [f for f in b["follow_ups"] if f not in a["follow_ups"]],
    }
    into["content"] = content
    into["edited"] = True
    into["end_line"] = max(into.get("end_line") or 0, item.get("end_line") or 0)
    into["evaluation"] = _join(into.get("evaluation", ""), item.get("evaluation", ""))
    into["warnings"] = [w for w in into["warnings"] if w != "no model answer found"]
    del items[index]
    _renumber(preview, recheck=False)
    return True


def split_choices(item):
    """The lines of an item's model answer it can be split at: ``(number, text)``, the first
    line excluded (splitting there would leave the question without an answer)."""
    lines = (item["content"]["model_answer"] or "").split("\n")
    return [(n, line.strip()[:100]) for n, line in enumerate(lines) if n and line.strip()]


def preview_split(*, preview, index, at):
    """Split question ``index`` at line ``at`` of its model answer: that line becomes a new
    question's title and prompt, the lines after it the new question's model answer; key points
    found in the part that moves go with it."""
    items = preview["items"]
    if not 0 <= index < len(items):
        return False
    item = items[index]
    lines = (item["content"]["model_answer"] or "").split("\n")
    if not 0 < at < len(lines) or not lines[at].strip():
        return False
    kept, asked, moved = "\n".join(lines[:at]).strip(), lines[at].strip(), "\n".join(lines[at + 1:]).strip()
    asked_text = re.sub(r"^(?:[-*+\u2022]|\d{1,3}[.)]|#+)\s+", "", asked).replace("**", "").strip()
    moved_flat = " ".join(moved.split())
    moves = [k for k in item["content"]["key_points"] if k and k in moved_flat]
    item["content"] = dict(item["content"]) | {
        "model_answer": kept, "key_points": [k for k in item["content"]["key_points"] if k not in moves],
    }
    item["edited"] = True
    line = item.get("line") or 0
    source = preview.get("source", "").split("\n")
    found = next((n + 1 for n in range(max(line - 1, 0), min(item.get("end_line") or 0, len(source)))
                  if asked_text and asked_text[:60] in source[n]), None)
    new = _document_item(
        line=found or line, end_line=item.get("end_line") or line,
        content={"title": asked_text[:TITLE_MAX], "prompt": asked_text, "why_we_ask": "", "model_answer": moved,
                 "key_points": moves, "follow_ups": [], "criteria": [], "anchors": ["", "", "", ""], "minutes": 10},
        warnings=["split from the question above: check its fields",
                  "no score anchors: imported as a draft; add anchors before publishing"],
        area=item["area"], defaults={"kind": item["kind"], "level": item["level"], "roles": item["roles"]},
        extra={"section": item.get("section", ""), "confidence": "medium", "confidence_reason": "split by you",
               "edited": True},
    )
    if found:
        item["end_line"] = found - 1
    items.insert(index + 1, new)
    _renumber(preview, recheck={index + 1})
    return True


def preview_reparse(*, preview, source):
    """Read the (edited) source text again. Questions read exactly as before keep what the user
    typed into them and whether they were ticked; the others are as read. Raises ImportRefused
    when the text cannot be read (the preview is left as it was)."""
    items, warnings, dropped = parse_document(source, defaults=preview["defaults"])
    earlier = {}
    for item in preview["items"]:
        if item.get("parsed") is not None:
            earlier.setdefault(_key(item["parsed"]), item)
    for item in items:
        before = earlier.pop(_key(item["parsed"]), None)
        if before is not None:
            item["content"], item["include"], item["area"] = before["content"], before["include"], before["area"]
            item["edited"] = before.get("edited", False)
    preview |= {"items": items, "warnings": warnings, "dropped": dropped, "source": source}
    _renumber(preview, recheck=True)
    return preview


def _key(content):
    return (content["title"], content["prompt"], content["model_answer"], content["why_we_ask"])


def preview_problems(*, preview):
    """What stops the ticked questions from being imported, by item index: ``{index: [message]}``."""
    problems = {}
    for item in preview["items"]:
        if not item["include"]:
            continue
        content, found = item["content"], []
        title = content["title"].strip()
        if not title:
            found.append("The title is empty: write one.")
        elif len(title) > TITLE_MAX:
            found.append(f"The title is {len(title)} characters; at most {TITLE_MAX} fit.")
        if not content["prompt"].strip():
            found.append("The prompt is empty: write the question as asked.")
        long = [c for c in content["criteria"] if len(c) > CRITERION_MAX]
        if long:
            found.append(f"A rubric criterion is over {CRITERION_MAX} characters: shorten it or split it.")
        if len(item["slug"]) > SLUG_MAX:
            item["slug"] = item["slug"][:SLUG_MAX]
        if found:
            problems[item["index"]] = found
    return problems


def preview_free_slugs(*, preview):
    """Give every document question a slug no bank question has (one may have been created
    since the preview was made), just before its questions are written."""
    from .models import Question

    slugs = [item["slug"] for item in preview["items"]]
    taken = set(Question.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    for item in preview["items"]:
        base, k = item["slug"], 2
        while item["slug"] in taken:
            item["slug"], k = f"{base[:SLUG_MAX - 4]}-{k}", k + 1
        taken.add(item["slug"])
