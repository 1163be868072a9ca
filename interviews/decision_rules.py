"""A position's decision rule, fixed before anyone sees a score (docs/scoring.md, "Decision
rules fixed in advance"). Its verdict on a candidate is scoring's (scoring/rules.py); here it
is only set, changed or removed, and refused once scores exist."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import audit

from .models import Position

LOCKED = ("The decision rule is locked: a scorecard of this position has been submitted, so scores have been "
          "seen and the rule can no longer change.")

RULE_FIELDS = ["rule_min_score", "rule_no_strong_no", "rule_min_yes", "decision_rule_set_at", "decision_rule_set_by"]


class DecisionRuleLocked(ValidationError):
    def __init__(self):
        super().__init__(LOCKED, code="locked")


@transaction.atomic
def position_decision_rule_set(*, position, by, min_score=None, no_strong_no=False, min_yes=None):
    """Fix (or change) the rule; with no condition at all, remove it. Refused with
    DecisionRuleLocked once a scorecard of the position is submitted. Audited."""
    # Lock the position's row: two hiring-manager tabs saving at once are applied one after the
    # other, each checking the lock, so the set_at and set_by are those of the rule that stands.
    locked = Position.objects.select_for_update().get(pk=position.pk)
    if locked.decision_rule_locked():
        raise DecisionRuleLocked()
    locked.rule_min_score, locked.rule_no_strong_no, locked.rule_min_yes = min_score, no_strong_no, min_yes
    if locked.rule_has_condition:
        locked.decision_rule_set_at, locked.decision_rule_set_by = timezone.now(), by
    else:
        locked.decision_rule_set_at, locked.decision_rule_set_by = None, None
    # The rule's fields and Position's named constraints: the form said the same in words, so
    # this refuses only a caller that skipped the form.
    locked.clean_fields(exclude=[f.name for f in Position._meta.fields if f.name not in RULE_FIELDS])
    locked.clean()
    locked.validate_constraints()
    locked.save(update_fields=RULE_FIELDS)
    for name in RULE_FIELDS:
        setattr(position, name, getattr(locked, name))
    audit(actor=by, action="position.decision_rule" if locked.rule_has_condition else "position.decision_rule_remove",
          target=f"position {position.pk}", rule=locked.rule_in_words(),
          min_score=str(min_score) if min_score is not None else None, no_strong_no=no_strong_no, min_yes=min_yes)
    return position
