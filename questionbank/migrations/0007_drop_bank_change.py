"""Drop the bank's data version (BankChange, its trigger, function and sequence, migration
0004): the list page's cache it keyed is gone, so nothing reads it (docs/performance.md)."""

from importlib import import_module

from django.db import migrations

# Reversing recreates them exactly as 0004 did.
BANK_CHANGE = import_module("questionbank.migrations.0004_bank_change_version")

DROP = """
DROP TRIGGER IF EXISTS questionbank_question_bank_changed ON questionbank_question;
DROP FUNCTION IF EXISTS questionbank_bank_changed();
DROP SEQUENCE IF EXISTS questionbank_bankchange_number_seq;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("questionbank", "0006_constraint_messages"),
    ]

    operations = [
        migrations.RunSQL(DROP, BANK_CHANGE.BUMP),
        migrations.DeleteModel(name="BankChange"),
    ]
