"""The data-moving migrations of issue 12, run against the situation they were written for: a
database migrated before the change (the legacy column or table built here by hand), and a
fresh one (where they must do nothing)."""

import importlib
from datetime import datetime, timezone

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from accounts.models import AuditEvent, audit
from interviews.models import InterviewQuestion
from scoring.services import scorecard_open
from tests.conftest import make_user
from tests.factories import make_candidate, make_interview, make_plan, make_position

pytestmark = pytest.mark.django_db

ADDED_BY = importlib.import_module("scoring.migrations.0006_interviewquestion_added_by_from_scorecard")
AUDIT_MOVE = importlib.import_module("scoring.migrations.0005_move_auditevent_to_accounts")


def apps_before(migration):
    """The models as they were just before ``migration`` ran (historical models)."""
    return MigrationLoader(connection).project_state(("scoring", migration), at_end=False).apps


def columns(table):
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, table)}


@pytest.fixture
def ad_hoc(db):
    """An interview with two interviewers and an ad-hoc question of the second one's scorecard."""
    manager, ivan, olga = make_user("m-hm"), make_user("m-ivan"), make_user("m-olga")
    position = make_position(hiring_manager=manager)
    interview = make_interview(candidate=make_candidate(position=position), plan=make_plan(position=position),
                               interviewers=[ivan, olga])
    scorecard_open(interview=interview, interviewer=ivan)
    card = scorecard_open(interview=interview, interviewer=olga)
    question = InterviewQuestion.objects.create(interview=interview, order=99, free_text="Why this loss?",
                                                competency="Ad hoc", required=False)
    return card, question


def test_it_moves_the_legacy_scorecard_column_into_added_by_and_drops_it(ad_hoc):
    card, question = ad_hoc
    table = InterviewQuestion._meta.db_table
    with connection.cursor() as cursor:
        # The rows above queued deferred foreign-key checks, and PostgreSQL alters no table
        # with pending ones (a migration starts without them).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # The column as interviews' 0002 used to create it, filled as the old code filled it.
        cursor.execute(f"ALTER TABLE {table} ADD COLUMN added_for_id bigint NULL "
                       "REFERENCES scoring_scorecard (id) DEFERRABLE INITIALLY DEFERRED")
        cursor.execute(f"UPDATE {table} SET added_for_id = %s WHERE id = %s", [card.pk, question.pk])
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as a migration runs
    assert "added_for_id" in columns(table)
    with connection.schema_editor() as editor:
        ADDED_BY.move_added_for_to_added_by(apps_before("0006_interviewquestion_added_by_from_scorecard"), editor)
    assert "added_for_id" not in columns(table)
    question.refresh_from_db()
    assert question.added_by == card.interviewer
    assert list(card.ad_hoc_questions) == [question]
    # The plan's pinned questions stay without an author.
    assert not card.interview.questions.exclude(pk=question.pk).filter(added_by__isnull=False).exists()


def test_it_does_nothing_on_a_database_that_never_had_the_legacy_column(ad_hoc):
    card, question = ad_hoc
    with connection.schema_editor() as editor:
        ADDED_BY.move_added_for_to_added_by(apps_before("0006_interviewquestion_added_by_from_scorecard"), editor)
    question.refresh_from_db()
    assert question.added_by is None


def test_an_audit_event_written_before_the_move_survives_it_with_its_id_and_time(db):
    actor = make_user("m-actor")
    old_apps = apps_before("0005_move_auditevent_to_accounts")
    OldAuditEvent = old_apps.get_model("scoring", "AuditEvent")
    with connection.schema_editor() as editor:
        editor.create_model(OldAuditEvent)  # the table as scoring's 0002 created it
    legacy_id = (AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    at = datetime(2026, 11, 30, 9, 15, tzinfo=timezone.utc)
    OldAuditEvent.objects.create(id=legacy_id, actor_id=actor.pk, action="auth.sign_in", target=f"user {actor.pk}",
                                 detail={"ip": "203.0.113.7"})
    OldAuditEvent.objects.filter(id=legacy_id).update(at=at)

    with connection.schema_editor() as editor:
        AUDIT_MOVE.copy_audit_events(old_apps, editor)

    moved = AuditEvent.objects.get(pk=legacy_id)
    assert (moved.at, moved.actor, moved.action, moved.target, moved.detail) == (
        at, actor, "auth.sign_in", f"user {actor.pk}", {"ip": "203.0.113.7"})
    # New events are numbered after the copied ones.
    assert audit(actor=actor, action="auth.sign_in").pk > legacy_id
