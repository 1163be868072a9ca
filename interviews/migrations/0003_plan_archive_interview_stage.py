"""Plans can be archived; an interview stores only scheduled or cancelled (completed is derived
from its scorecards now, InterviewQuerySet.with_stage)."""

from django.db import migrations, models


def completed_to_scheduled(apps, schema_editor):
    # Nothing set "completed" before, but a row that has it would otherwise hold a value the
    # field no longer offers; its derived stage says completed when its scorecards are in.
    apps.get_model("interviews", "Interview").objects.filter(status="completed").update(status="scheduled")


class Migration(migrations.Migration):

    dependencies = [
        ("interviews", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="interviewplan",
            name="archived_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(completed_to_scheduled, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="interview",
            name="status",
            field=models.CharField(
                choices=[("scheduled", "Scheduled"), ("cancelled", "Cancelled")], default="scheduled", max_length=10
            ),
        ),
    ]
