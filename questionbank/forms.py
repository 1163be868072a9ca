"""Forms of the question bank. They validate; crispy only renders them."""

import json

from django import forms
from django.conf import settings
from django.utils.text import slugify

from .importing import MAX_DEPTH, nesting_depth
from .models import QUESTION_MINUTES, SCORE_LEVELS, Area, Kind, Level, Question, RoleTrack

MIN_CRITERIA, MAX_CRITERIA = 2, 8
# Between a follow-up question and its good answer; a single | appears in formulas like P(y | x).
FOLLOW_UP_SEPARATOR = "||"


def _lines(text):
    return [line.strip().lstrip("-*•").strip() for line in (text or "").splitlines() if line.strip()]


def sql_tests_problem(tests, *, kind):
    """What is wrong with the tests JSON of a question of this kind ("" when nothing): an SQL
    question's are {"language": "sql", "schema", "data", "expected_rows", "ordered"}, as the
    bank files store them (questionbank/loading.py) and the pages show them
    (questionbank/reference.py); a coding question's are not SQL's."""
    is_sql = tests.get("language") == "sql"
    if kind != Kind.SQL:
        return "These are an SQL question's tests: choose the kind SQL, or give test cases." if is_sql else ""
    if not is_sql:
        return 'An SQL question\'s tests start {"language": "sql", ...}.'
    if not all(isinstance(tests.get(key, ""), str) for key in ("schema", "data")):
        return '"schema" and "data" are SQL text.'
    rows = tests.get("expected_rows", [])
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        return '"expected_rows" is a list of rows, each a list of values: [[1, "ana"], [2, "ben"]].'
    if not isinstance(tests.get("ordered", False), bool):
        return '"ordered" is true (rows in order) or false.'
    return ""


class QuestionForm(forms.Form):
    """A question's identity and the words of the revision an edit will publish."""

    title = forms.CharField(max_length=200)
    slug = forms.SlugField(
        max_length=80, required=False,
        help_text="Stable identifier used in links and imports. Left blank, it is made from the title.",
    )
    area = forms.ChoiceField(choices=Area.choices)
    kind = forms.ChoiceField(choices=Kind.choices)
    level = forms.ChoiceField(choices=Level.choices)
    roles = forms.MultipleChoiceField(
        choices=RoleTrack.choices, widget=forms.CheckboxSelectMultiple, label="Role tracks"
    )
    minutes = forms.IntegerField(min_value=QUESTION_MINUTES[0], max_value=QUESTION_MINUTES[1], initial=10, label="Suggested minutes")
    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="What the interviewer asks, in one or two sentences.")
    why_we_ask = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why we ask it", required=False)
    model_answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)
    key_points = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), required=False,
        help_text="One per line: the checkable facts a good answer states.",
    )
    follow_ups = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Follow-up questions",
        help_text="One per line as: question || what a good reply mentions",
    )
    anchor_1 = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="1 · Poor: what a poor answer sounds like")
    anchor_2 = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="2 · Weak: what a weak answer sounds like")
    anchor_3 = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="3 · Good: what a good answer sounds like")
    anchor_4 = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="4 · Excellent: what an excellent answer sounds like")
    reference_solution = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6, "class": "font-monospace"}), required=False,
        label="Reference solution (or query)",
        help_text="Coding questions: a Python solution. SQL questions: the reference query (PostgreSQL).",
    )
    coding_tests = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "class": "font-monospace"}), required=False,
        label="Test cases (JSON)",
        help_text='Coding: {"function": "name", "test_cases": [{"name": ..., "args": [...], "expected": ...}]}. '
                  'SQL: {"language": "sql", "schema": "CREATE TABLE ...", "data": "INSERT ...", '
                  '"expected_rows": [[...], ...], "ordered": true}',
    )
    change_note = forms.CharField(max_length=200, required=False, help_text="What changed and why (kept with the revision).")
    confirm_similar = forms.BooleanField(
        required=False, widget=forms.HiddenInput,
    )

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = "The slug of an existing question never changes."

    def clean_prompt(self):
        prompt = self.cleaned_data["prompt"].strip()
        if not prompt:
            raise forms.ValidationError("Write the prompt the interviewer will ask.")
        return prompt

    def clean_slug(self):
        if self.instance is not None:
            return self.instance.slug
        slug = self.cleaned_data.get("slug") or slugify(self.data.get("title", ""))[:80]
        if not slug:
            raise forms.ValidationError("Give the question a slug (letters, numbers and hyphens).")
        if Question.objects.filter(slug=slug).exists():
            raise forms.ValidationError(f"The slug “{slug}” is taken by another question; choose another.")
        return slug

    def clean_key_points(self):
        return _lines(self.cleaned_data["key_points"])

    def clean_follow_ups(self):
        items = []
        for n, line in enumerate(_lines(self.cleaned_data["follow_ups"]), 1):
            question, _, answer = line.partition(FOLLOW_UP_SEPARATOR)
            if not question.strip():
                raise forms.ValidationError(f"Follow-up line {n} has no question before the “||”.")
            items.append({"question": question.strip(), "good_answer": answer.strip()})
        return items

    def clean_coding_tests(self):
        raw = self.cleaned_data["coding_tests"].strip()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"Test cases are not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).") from None
        except (ValueError, RecursionError):  # a number too long to read, or nesting past the parser's limit
            raise forms.ValidationError("Test cases are not valid JSON: a number is too long or the values nest too deeply.") from None
        if nesting_depth(value) > MAX_DEPTH:
            raise forms.ValidationError(f"Test cases nest more than {MAX_DEPTH} levels deep; keep them simple.")
        if not isinstance(value, dict) or not isinstance(value.get("test_cases", []), list):
            raise forms.ValidationError('Test cases must be an object like {"function": "f", "test_cases": [...]}.')
        return value

    def anchors(self):
        return [self.cleaned_data.get(f"anchor_{level}", "").strip() for level in SCORE_LEVELS]

    def title_changed(self):
        """A new question, or an edit that gave the question another title: only then is the
        near-duplicate warning worth a second submit. An edit of the prompt or the rubric
        under the same title was already checked when that title was written."""
        return self.instance is None or self.cleaned_data["title"] != self.instance.current_revision.title

    def clean(self):
        data = super().clean()
        anchors = [data.get(f"anchor_{level}", "") for level in SCORE_LEVELS]
        if all(anchors) and len({a.strip().lower() for a in anchors}) < 4:
            raise forms.ValidationError("Each level needs its own anchor: two levels have the same text.")
        kind, tests = data.get("kind"), data.get("coding_tests")
        if kind == Kind.CODING and not data.get("reference_solution"):
            self.add_error("reference_solution", "A coding question needs a reference solution.")
        if kind == Kind.SQL and not data.get("reference_solution"):
            self.add_error("reference_solution", "An SQL question needs its reference query.")
        if isinstance(tests, dict) and tests and "coding_tests" not in self.errors:
            if problem := sql_tests_problem(tests, kind=kind):
                self.add_error("coding_tests", problem)
        return data

    @classmethod
    def initial_from(cls, question):
        rev = question.current_revision
        anchors = {a.level: a.text for a in rev.own_anchors()}
        return {
            "title": rev.title, "slug": question.slug, "area": question.area, "kind": question.kind,
            "level": question.level, "roles": question.roles, "minutes": rev.minutes,
            "prompt": rev.prompt, "why_we_ask": rev.why_we_ask, "model_answer": rev.model_answer,
            "key_points": "\n".join(rev.key_points),
            "follow_ups": "\n".join(f"{f['question']} {FOLLOW_UP_SEPARATOR} {f.get('good_answer', '')}" for f in rev.follow_ups),
            "reference_solution": rev.reference_solution,
            "coding_tests": json.dumps(rev.coding_tests, indent=2) if rev.coding_tests else "",
            **{f"anchor_{level}": anchors.get(level, "") for level in SCORE_LEVELS},
        }


class CriterionForm(forms.Form):
    text = forms.CharField(
        max_length=400, required=False, label="Criterion",
        widget=forms.TextInput(attrs={"placeholder": "e.g. Names two resampling methods and when each backfires"}),
    )

    def __init__(self, *args, number=None, **kwargs):
        super().__init__(*args, **kwargs)
        if number:  # "Criterion 3": the row's number, for screen readers (shown as the list's number)
            self.fields["text"].label = f"Criterion {number}"


class BaseCriterionFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "number": None if index is None else index + 1}

    def texts(self):
        return [f.cleaned_data["text"].strip() for f in self.forms if f.cleaned_data.get("text", "").strip()]

    def clean(self):
        if any(self.errors):
            return
        texts = self.texts()
        if len(texts) < MIN_CRITERIA:
            raise forms.ValidationError(
                f"Write at least {MIN_CRITERIA} rubric criteria (you have {len(texts)}): what a strong answer covers."
            )
        if len(texts) > MAX_CRITERIA:
            raise forms.ValidationError(f"At most {MAX_CRITERIA} rubric criteria.")
        if len({t.lower() for t in texts}) != len(texts):
            raise forms.ValidationError("Two rubric criteria are the same.")


CriterionFormSet = forms.formset_factory(
    CriterionForm, formset=BaseCriterionFormSet, extra=0, min_num=MAX_CRITERIA, max_num=MAX_CRITERIA
)


def criterion_formset(data=None, revision=None):
    initial = [{"text": c.text} for c in revision.own_criteria()] if revision else []
    return CriterionFormSet(data, initial=initial, prefix="criteria")


PHASE_CRITERIA = (2, 4)  # as the bank files hold them (bankfiles.PHASE_CRITERIA)


class PhaseForm(forms.Form):
    """One phase of a design round scored per phase: its minutes, focus, criteria (one a line)
    and four anchors. The phase's name is fixed (``name``): phases are added and removed in
    the bank files or a JSON import, edited here."""

    minutes = forms.IntegerField(min_value=0, max_value=QUESTION_MINUTES[1])
    focus = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
                            help_text="What the interviewer steers to in this phase.")
    criteria = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Criteria",
                               help_text=f"{PHASE_CRITERIA[0]} to {PHASE_CRITERIA[1]}, one a line.")
    anchor_1 = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="1 · Poor")
    anchor_2 = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="2 · Weak")
    anchor_3 = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="3 · Good")
    anchor_4 = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="4 · Excellent")

    def __init__(self, *args, name, **kwargs):
        super().__init__(*args, **kwargs)
        self.name = name
        for field in self.fields.values():  # "Data: Criteria", for screen readers and error lists
            field.widget.attrs["aria-label"] = f"{name}: {field.label}"

    def clean_criteria(self):
        texts = _lines(self.cleaned_data["criteria"])
        if not PHASE_CRITERIA[0] <= len(texts) <= PHASE_CRITERIA[1]:
            raise forms.ValidationError(
                f"Write {PHASE_CRITERIA[0]} to {PHASE_CRITERIA[1]} criteria for this phase, one a line (you have {len(texts)}).")
        if any(len(text) > 400 for text in texts):
            raise forms.ValidationError("Each criterion is at most 400 characters: shorten it or split it.")
        if len({t.lower() for t in texts}) != len(texts):
            raise forms.ValidationError("Two criteria of this phase are the same.")
        return texts

    def clean(self):
        data = super().clean()
        anchors = [data.get(f"anchor_{level}", "") for level in SCORE_LEVELS]
        if all(anchors) and len({a.strip().lower() for a in anchors}) < len(SCORE_LEVELS):
            raise forms.ValidationError(f"Each level of the {self.name} phase needs its own anchor: two have the same text.")
        return data

    def phase(self):
        data = self.cleaned_data
        return {"name": self.name, "minutes": data["minutes"], "focus": data["focus"].strip(),
                "criteria": data["criteria"], "anchors": [data[f"anchor_{level}"].strip() for level in SCORE_LEVELS]}


def phase_forms(revision, data=None):
    """The phase forms of ``revision``'s phases (none for a question without phases): filled
    with the revision's phases, or bound to ``data``, a post of the editor that showed them
    (a post without them has none: the phases are kept as they are)."""
    rubrics = revision.phase_rubrics() if revision is not None else []
    bound = data is not None
    if bound and "phase-0-minutes" not in data:
        return []
    forms_ = []
    for n, phase in enumerate(rubrics):
        initial = {"minutes": phase["minutes"], "focus": phase["focus"], "criteria": "\n".join(phase["criteria"]),
                   **{f"anchor_{level}": text for level, text in zip(SCORE_LEVELS, phase["anchors"])}}
        forms_.append(PhaseForm(data if bound else None, initial=initial, prefix=f"phase-{n}", name=phase["name"]))
    return forms_


def phases_of(forms_, minutes):
    """The phases the editor's ``forms_`` give (all valid), or None when there are none; a
    ValidationError when their minutes do not add up to the question's."""
    if not forms_:
        return None
    phases = [form.phase() for form in forms_]
    total = sum(phase["minutes"] for phase in phases)
    if total != minutes:
        raise forms.ValidationError(
            f"The phases take {total} minutes and the question {minutes}: make them add up.", code="phase_minutes")
    return phases


class ImportForm(forms.Form):
    """Upload a file (or paste text) to import; nothing is written until the preview is confirmed."""

    file = forms.FileField(
        required=False,
        help_text="A Word document (.docx), a PDF with selectable text, a web page (.html), a Markdown or "
        "plain-text document of questions, or a JSON or CSV file exported by Panelist.",
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False, label="…or paste the text",
                           help_text="A document's text, or a web article copied from the browser (text or HTML).")
    area = forms.ChoiceField(choices=Area.choices, help_text="For documents, which carry no area of their own.")
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.CONCEPT)
    level = forms.ChoiceField(choices=Level.choices, initial=Level.MID)
    roles = forms.MultipleChoiceField(
        choices=RoleTrack.choices, widget=forms.CheckboxSelectMultiple, initial=[RoleTrack.ML_ENGINEER],
        label="Role tracks",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page refuses a larger file before sending it (static/js/file-limit.js).
        limit = settings.QUESTION_IMPORT_MAX_BYTES
        self.fields["file"].widget.attrs.update({
            "data-max-bytes": limit, "data-limit": f"{limit // 1024} KB",
            "accept": ".docx,.pdf,.html,.htm,.md,.markdown,.txt,.json,.csv,text/plain,text/markdown,text/html",
        })

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > settings.QUESTION_IMPORT_MAX_BYTES:
            limit_kb = settings.QUESTION_IMPORT_MAX_BYTES // 1024
            raise forms.ValidationError(
                f"The file is {upload.size // 1024} KB; imports are limited to {limit_kb} KB. Split it into smaller files."
            )
        return upload

    def clean(self):
        data = super().clean()
        if "file" in self.errors:  # a file was given (too large): its own message says it all
            return data
        has_file, has_text = bool(data.get("file")), bool((data.get("text") or "").strip())
        if has_file and has_text:
            raise forms.ValidationError(
                "Choose one: a file or pasted text, not both. To import the file, empty the text box and "
                "choose the file again; to import the text, send the form without a file."
            )
        if not has_file and not has_text:
            raise forms.ValidationError("Choose a file to upload or paste the text of your questions.")
        return data

    def source(self):
        """The submitted document as a ``docparser.readers.Source`` (Word, PDF and web pages
        turned into text). Raises ValidationError naming what cannot be read."""
        from .docparser import DocumentError
        from .docparser.readers import read_source

        upload = self.cleaned_data.get("file")
        try:
            if upload:
                return upload.name, read_source(upload.name, upload.read())
            return "pasted text", read_source("pasted", self.cleaned_data["text"])
        except DocumentError as exc:
            raise forms.ValidationError(str(exc)) from None


class ImportItemForm(forms.Form):
    """One question of a document's import preview, as the user corrects it. Lists are one item
    a line. Bound to whatever was typed, which the preview keeps even when it is invalid."""

    include = forms.BooleanField(required=False, label="Import this question")
    title = forms.CharField(max_length=200)
    area = forms.ChoiceField(choices=Area.choices)
    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    why_we_ask = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Why we ask")
    model_answer = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    key_points = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="One a line.")
    criteria = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Rubric criteria", help_text="One a line."
    )
    follow_ups = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Follow-ups",
                                 help_text="One a line.")

    def clean_criteria(self):
        value = self.cleaned_data["criteria"]
        if any(len(line.strip()) > 400 for line in value.splitlines()):
            raise forms.ValidationError("Each criterion is at most 400 characters: shorten it or split it.")
        return value

    def typed(self):
        """The values as typed (the raw POST values), for the draft; nothing when this question's
        form was not in the page posted (its hidden ``shown`` marker is missing)."""
        values = {}
        if self.add_prefix("shown") not in self.data:
            return values
        for name in self.fields:
            key = self.add_prefix(name)
            if name == "include":
                values[name] = key in self.data
            elif key in self.data:
                values[name] = self.data[key]
        return values
