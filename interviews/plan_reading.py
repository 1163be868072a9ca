"""The plan builder's read of a plan: its sections, each with its items and what the builder
shows of their revision and bank question, in two queries.

Through the ORM (sections, then their items with ``select_related`` of revision and question
by a prefetch) this read cost ~3 ms for a ten-question plan, nearly all of it building and
compiling the query and instantiating three models per item; the builder shows a dozen
columns of them. Here the items come from one precompiled statement as small read-only
records with the same attribute paths (``item.revision.question.status``), which is what
``services.plan_summary`` and the templates read.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.urls import reverse

from questionbank.models import Status


@dataclass(frozen=True)
class BankQuestion:
    pk: int
    slug: str
    level: str
    area: str
    kind: str
    status: str
    current_revision_id: int


@dataclass(frozen=True)
class PinnedRevision:
    pk: int
    title: str
    number: int
    question: BankQuestion

    @property
    def question_id(self):
        return self.question.pk


@dataclass
class BuilderItem:
    pk: int
    section_id: int
    minutes: int
    competency: str
    weight: Decimal
    required: bool
    revision: PinnedRevision
    question_url: str = ""

    @property
    def revision_id(self):
        return self.revision.pk

    @property
    def is_retired(self):
        return self.revision.question.status == Status.RETIRED

    @property
    def is_outdated(self):
        return self.revision.question.current_revision_id != self.revision.pk

    @property
    def can_take_newest(self):
        """Offer "Update to the newest revision": only while the question is published (this
        row's mirror of ``Question.objects.published()``; the service enforces the rule)."""
        return self.is_outdated and self.revision.question.status == Status.PUBLISHED


_ITEMS_SQL = """
SELECT i.id, i.section_id, i.minutes, i.competency, i.weight, i.required,
       r.id, r.title, r.number,
       q.id, q.slug, q.level, q.area, q.kind, q.status, q.current_revision_id
  FROM interviews_planitem i
  JOIN questionbank_questionrevision r ON r.id = i.revision_id
  JOIN questionbank_question q ON q.id = r.question_id
 WHERE i.plan_id = %s
 ORDER BY i."order", i.id
"""


def builder_sections(plan):
    """The plan's sections in order, each with ``plan_items``: its items in order."""
    sections = list(plan.sections.order_by("order", "pk"))
    by_pk = {section.pk: section for section in sections}
    for section in sections:
        section.plan_items = []
    with connection.cursor() as cursor:
        cursor.execute(_ITEMS_SQL, [plan.pk])
        rows = cursor.fetchall()
    for (pk, section_id, minutes, competency, weight, required, revision_pk, title, number,
         question_pk, slug, level, area, kind, status, current_revision_id) in rows:
        question = BankQuestion(question_pk, slug, level, area, kind, status, current_revision_id)
        item = BuilderItem(pk, section_id, minutes, competency, weight, required,
                           PinnedRevision(revision_pk, title, number, question),
                           reverse("questionbank:detail", args=[slug]))
        by_pk[section_id].plan_items.append(item)
    return sections
