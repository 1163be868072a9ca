"""Forms of interview plans and the plan builder. They validate; crispy only renders them."""

import json

from django import forms

from questionbank.models import Area, Kind, Level, Question

from .models import (
    ITEM_MINUTES,
    SLOT_MINUTES,
    WEIGHT,
    InterviewPlan,
    PlanItem,
    PlanSection,
    PoolMember,
    Position,
    PositionStatus,
    Track,
)
from .services import plan_clone_base_name

# The shared vocabulary of competencies: the starter templates use only these (checked by
# load_starter_plans), and the builder offers them as suggestions. Plans may use other words.
COMPETENCIES = [
    "ML fundamentals",
    "Evaluation",
    "Data",
    "Modelling",
    "Deep learning",
    "Production",
    "Coding",
    "System design",
    "Communication",
    "LLMs and generative AI",
    "Experimentation",
    "Responsible AI",
    "Research",
]
# The competency a question probes unless the plan says otherwise, by the question's area: the
# vocabulary's names, which the starter templates use, so a question added by hand counts with
# the templates' questions in the comparison (tests/interviews/test_competencies.py checks the
# templates agree, listing where one deliberately differs and why).
COMPETENCY_FOR_AREA = {
    Area.FUNDAMENTALS: "ML fundamentals",
    Area.DATA: "Data",
    Area.ALGORITHMS: "Modelling",
    Area.EVALUATION: "Evaluation",
    Area.DEEP_LEARNING: "Deep learning",
    Area.DOMAINS: "Modelling",
    Area.PRODUCTION: "Production",
    Area.CODING_DESIGN: "Coding",
    Area.EXPERIENCE: "Communication",
    Area.LLM: "LLMs and generative AI",
    Area.SYSTEM_DESIGN: "System design",
    Area.ML_CODING: "Coding",
    Area.SQL: "Coding",
    Area.EXPERIMENTATION: "Experimentation",
    Area.RESPONSIBLE_AI: "Responsible AI",
    Area.RESEARCH: "Research",
}


def default_competency(question):
    """COMPETENCY_FOR_AREA of the question's area; "System design" for a system-design
    question, whatever its area (the vocabulary's one name that no area stands for)."""
    if question.kind == Kind.DESIGN:
        return "System design"
    return COMPETENCY_FOR_AREA[question.area]


DEFAULT_SECTIONS = ["Warm-up", "Fundamentals", "Coding", "System design", "Wrap-up"]


def positions_for_plans(user):
    """Positions a user may attach a plan to: the open or on-hold positions they are the hiring
    manager of; every position for admins."""
    qs = Position.objects.exclude(status=PositionStatus.CLOSED).order_by("title", "pk")
    return qs if user.is_superuser else qs.filter(hiring_manager=user)


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class PlanEditForm(forms.ModelForm):
    """A plan's name, slot and description (its position stays as it is)."""

    class Meta:
        model = InterviewPlan
        fields = ["name", "slot_minutes", "description"]
        labels = {"slot_minutes": "Slot length (minutes)"}
        help_texts = {
            "name": "For example “ML engineer — onsite technical” or “Screen, 45 minutes”.",
            "slot_minutes": "The length of the interview; the builder warns when the questions need more.",
            "description": "What this interview is for and what the interviewers should leave time for.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "name": {"required": "Give the plan a name."},
            "slot_minutes": {"required": "Give the length of the interview in minutes."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot_minutes"].widget.attrs.update(min=SLOT_MINUTES[0], max=SLOT_MINUTES[1])

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the plan a name.")
        return name

    def clean_slot_minutes(self):
        minutes = self.cleaned_data["slot_minutes"]
        if not SLOT_MINUTES[0] <= minutes <= SLOT_MINUTES[1]:
            raise forms.ValidationError(f"A slot is between {SLOT_MINUTES[0]} and {SLOT_MINUTES[1]} minutes.")
        return minutes


class PlanCreateForm(PlanEditForm):
    """A new plan: for one of the user's positions, or (no position) a reusable template."""

    position = PositionChoiceField(
        queryset=Position.objects.none(), required=False, empty_label="None: a reusable template",
        help_text="Only open positions you are the hiring manager of are listed.",
    )

    class Meta(PlanEditForm.Meta):
        fields = ["name", "position", "slot_minutes", "description"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = positions_for_plans(user)


class PlanItemForm(forms.ModelForm):
    """The editable part of one plan item, as a small form on its row of the builder. It checks
    what a row posts; the row's inputs are written in item_row.html (views/plans.py: _item_edit
    gives them this form's values and errors when it refuses a post)."""

    class Meta:
        model = PlanItem
        fields = ["minutes", "competency", "weight", "required"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        f["competency"].error_messages["required"] = "Name the competency this question probes."
        f["minutes"].error_messages["required"] = "Give the minutes for this question."
        f["weight"].error_messages["required"] = "Give a weight (1 is normal)."

    def clean_minutes(self):
        minutes = self.cleaned_data["minutes"]
        if not ITEM_MINUTES[0] <= minutes <= ITEM_MINUTES[1]:
            raise forms.ValidationError(f"Minutes must be between {ITEM_MINUTES[0]} and {ITEM_MINUTES[1]}.")
        return minutes

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if not WEIGHT[0] <= weight <= WEIGHT[1]:
            raise forms.ValidationError(f"Weight must be between {WEIGHT[0]} and {WEIGHT[1]:g}.")
        return weight

    def clean_competency(self):
        competency = " ".join(self.cleaned_data["competency"].split())
        if not competency:
            raise forms.ValidationError("Name the competency this question probes.")
        return competency


class PlanItemAddForm(forms.Form):
    """Add a published question of the bank to a section of the plan."""

    question = forms.ModelChoiceField(
        queryset=Question.objects.published().select_related("current_revision"),
        error_messages={"invalid_choice": "That question is not in the bank, or is not published."},
    )
    section = forms.ModelChoiceField(queryset=PlanSection.objects.none())
    # Optional: default_competency(question) and the revision's minutes when left out.
    competency = forms.CharField(max_length=80, required=False)
    minutes = forms.IntegerField(min_value=ITEM_MINUTES[0], max_value=ITEM_MINUTES[1], required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["section"].queryset = plan.sections.all()
        self.fields["section"].error_messages["invalid_choice"] = "Choose a section of this plan."

    def clean(self):
        data = super().clean()
        question = data.get("question")
        if question and (self.plan.items.filter(revision__question=question).exists()
                         or PoolMember.objects.filter(item__plan=self.plan, revision__question=question).exists()):
            raise forms.ValidationError(f"“{question.title}” is already in this plan.")
        if question:
            data["competency"] = " ".join((data.get("competency") or "").split()) or default_competency(question)
            data["minutes"] = data.get("minutes") or question.current_revision.minutes
        return data


class PoolAddForm(forms.Form):
    """Add a published bank question to the pool of an item of the plan. Which questions a pool
    may take (same level and area, room left, not already in the plan) is
    ``services.pool_add``'s rule, said in words there."""

    item = forms.ModelChoiceField(queryset=PlanItem.objects.none(),
                                  error_messages={"invalid_choice": "Choose a question of this plan to pool with."})
    question = forms.ModelChoiceField(
        queryset=Question.objects.published().select_related("current_revision"),
        error_messages={"invalid_choice": "That question is not in the bank, or is not published."},
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = plan.items.select_related("revision__question")


class PlanSectionForm(forms.ModelForm):
    class Meta:
        model = PlanSection
        fields = ["title"]
        labels = {"title": "New section"}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["title"].widget.attrs.update(placeholder="e.g. Deep dive", id="id_section_title")

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Give the section a title.")
        if self.plan.sections.filter(title__iexact=title).exists():
            raise forms.ValidationError(f"This plan already has a section called “{title}”.")
        return title


class PlanCloneForm(forms.Form):
    """Copy a plan, for one of the user's positions or as a new template."""

    position = PositionChoiceField(
        queryset=Position.objects.none(), required=False, empty_label="None: keep it as a template",
        label="For position",
    )
    name = forms.CharField(
        max_length=160, required=False,
        help_text="Leave blank to name it after the plan and the position.",
    )

    def __init__(self, *args, user, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["position"].queryset = positions_for_plans(user)
        self.fields["name"].widget.attrs["placeholder"] = f"{plan_clone_base_name(source)} — <position>"

    def clean(self):
        data = super().clean()
        # Left blank, services.plan_clone names the copy (plan_clone_name).
        data["name"] = " ".join((data.get("name") or "").split())[:160]
        return data


class PlanReorderForm(forms.Form):
    """The full new order of a plan after a drag: ``[{"section": id, "items": [id, ...]}, ...]``.
    Every item of the plan must appear exactly once, in sections of this plan."""

    order = forms.JSONField(error_messages={
        "required": 'Send the new order as JSON: {"order": [{"section": id, "items": [ids]}, ...]}.',
    })

    def __init__(self, *args, plan_items, plan_sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.item_ids = {item.pk for item in plan_items}
        self.section_ids = {section.pk for section in plan_sections}

    def clean_order(self):
        order = self.cleaned_data["order"]
        if not isinstance(order, list) or not all(
            isinstance(entry, dict) and set(entry) == {"section", "items"} for entry in order
        ):
            raise forms.ValidationError('Send a list of {"section": id, "items": [ids]} objects.')
        seen_sections, seen_items = set(), []
        for entry in order:
            section, items = entry["section"], entry["items"]
            if not _is_id(section) or not isinstance(items, list) or not all(_is_id(i) for i in items):
                raise forms.ValidationError("Section and item ids must be whole numbers.")
            if section not in self.section_ids:
                raise forms.ValidationError(f"Section {section} is not a section of this plan.")
            if section in seen_sections:
                raise forms.ValidationError(f"Section {section} is listed twice.")
            seen_sections.add(section)
            seen_items.extend(items)
        if len(seen_items) != len(set(seen_items)):
            raise forms.ValidationError("An item is listed twice.")
        if set(seen_items) != self.item_ids:
            missing = sorted(self.item_ids - set(seen_items))
            foreign = sorted(set(seen_items) - self.item_ids)
            parts = []
            if missing:
                parts.append("missing item(s) " + ", ".join(map(str, missing)))
            if foreign:
                parts.append("item(s) not in this plan " + ", ".join(map(str, foreign)))
            raise forms.ValidationError(
                "The new order must list every item of the plan exactly once: " + "; ".join(parts) + "."
                " Reload the page to see the plan as it is now."
            )
        return order


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def reorder_form_from_body(body, **kwargs):
    """A PlanReorderForm for a JSON request body ``{"order": [...]}``. A body that is not JSON,
    or nests deeper than the parser's recursion limit, leaves the order empty (the form then
    says how to send it)."""
    try:
        payload = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError, RecursionError):
        payload = None
    raw = payload.get("order") if isinstance(payload, dict) else None
    if raw is None:
        return PlanReorderForm({"order": ""}, **kwargs)
    # A list or object goes to the form as parsed (forms.JSONField takes it as it is), so a
    # deep one is never written out and parsed a second time; anything else is a JSON scalar.
    return PlanReorderForm({"order": raw if isinstance(raw, (list, dict)) else json.dumps(raw)}, **kwargs)


class LoopPickForm(forms.Form):
    """Which starter loop to show: a track and a level (the loops page's GET form)."""

    track = forms.ChoiceField(choices=Track.choices, error_messages={
        "required": "Choose a track.", "invalid_choice": "Choose a track from the list."})
    level = forms.ChoiceField(choices=Level.choices, error_messages={
        "required": "Choose a level.", "invalid_choice": "Choose a level from the list."})


class LoopCloneForm(LoopPickForm):
    """Copy a starter loop to one of the positions the user may plan for."""

    position = PositionChoiceField(queryset=Position.objects.none(), error_messages={
        "required": "Choose the position to copy the loop to.",
        "invalid_choice": "Choose one of your open positions from the list.",
    })

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = positions_for_plans(user)
