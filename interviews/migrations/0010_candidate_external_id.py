"""Candidate.external_id, the ATS id the API creates or updates a candidate by (api/), unique
per position when set."""

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):

    dependencies = [
        ("interviews", "0009_database_defaults"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="external_id",
            field=models.CharField(blank=True, db_default="", help_text="The id of this candidate in the applicant tracking system.", max_length=100, verbose_name="ATS id"),
        ),
        migrations.AddConstraint(
            model_name="candidate",
            constraint=models.UniqueConstraint(condition=~Q(external_id=""), fields=("position", "external_id"), name="iv_candidate_unique_external_id", violation_error_message="This position already has a candidate with that ATS id."),
        ),
    ]
