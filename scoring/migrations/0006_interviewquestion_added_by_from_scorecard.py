"""InterviewQuestion.added_for (a key to the scorecard an ad-hoc question belonged to) became
added_by (the interviewer who added it; interviews' 0004). A database migrated before that
change still has the old column: fill added_by from each scorecard's interviewer, then drop the
column. On a database created afterwards the column never existed and this does nothing.

It lives in scoring because it reads scorecards, and interviews' migrations must not depend on
scoring's."""

from django.db import migrations

LEGACY_COLUMN = "added_for_id"


def legacy_column_exists(connection, table):
    with connection.cursor() as cursor:
        return any(column.name == LEGACY_COLUMN for column in connection.introspection.get_table_description(cursor, table))


def move_added_for_to_added_by(apps, schema_editor):
    questions = apps.get_model("interviews", "InterviewQuestion")._meta.db_table
    scorecards = apps.get_model("scoring", "Scorecard")._meta.db_table
    connection = schema_editor.connection
    if not legacy_column_exists(connection, questions):
        return
    quote = schema_editor.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(questions)} AS q SET added_by_id = card.interviewer_id "
            f"FROM {quote(scorecards)} AS card WHERE card.id = q.{LEGACY_COLUMN}"
        )
        # The update queued deferred foreign-key checks on the table; PostgreSQL refuses to alter
        # a table with pending trigger events, so run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Its foreign key constraint and index go with it.
        cursor.execute(f"ALTER TABLE {quote(questions)} DROP COLUMN {LEGACY_COLUMN}")


class Migration(migrations.Migration):

    dependencies = [
        ("interviews", "0004_interviewquestion_added_by"),
        ("scoring", "0005_move_auditevent_to_accounts"),
    ]

    operations = [
        migrations.RunPython(move_added_for_to_added_by, migrations.RunPython.noop),
    ]
