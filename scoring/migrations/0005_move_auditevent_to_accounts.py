"""The audit log moves to the accounts app (accounts_auditevent). Existing rows are copied
with their ids and times, the new table's id sequence continues after them, and the old model
and table go."""

from django.db import migrations


def copy_audit_events(apps, schema_editor):
    old = apps.get_model("scoring", "AuditEvent")._meta.db_table
    new = apps.get_model("accounts", "AuditEvent")._meta.db_table
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(new)} (id, at, actor_id, action, target, detail) "
            f"SELECT id, at, actor_id, action, target, detail FROM {quote(old)} ORDER BY id"
        )
        # The next audit() gets the next id after the copied ones (or 1 on an empty log).
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
            f"FROM {quote(new)}",
            [new],
        )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("scoring", "0004_calibration_sums"),
    ]

    operations = [
        migrations.RunPython(copy_audit_events, migrations.RunPython.noop),
        migrations.DeleteModel(name="AuditEvent"),
    ]
