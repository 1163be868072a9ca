"""Starter templates get an explicit flag (they were "a template with no creator"), and
weights are at least 0.25 in the database, as the forms always required (it allowed > 0).
Constraints say their rule in words (violation_error_message)."""

from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


def mark_starter_templates(apps, schema_editor):
    """Today's starter templates: loaded by load_starter_plans, so no position and no creator."""
    InterviewPlan = apps.get_model("interviews", "InterviewPlan")
    InterviewPlan.objects.filter(position__isnull=True, created_by__isnull=True).update(is_starter=True)


def refuse_light_weights(apps, schema_editor):
    """Say which rows stop the new weight constraint, rather than fail on the constraint."""
    for name in ("PlanItem", "InterviewQuestion"):
        light = apps.get_model("interviews", name).objects.filter(weight__lt=Decimal("0.25")).count()
        if light:
            raise RuntimeError(f"{light} {name} rows have a weight below 0.25; raise them to 0.25 before migrating.")


class Migration(migrations.Migration):

    dependencies = [
        ('interviews', '0004_interviewquestion_added_by'),
        ('questionbank', '0006_constraint_messages'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='interviewquestion',
            name='iv_question_weight_range',
        ),
        migrations.RemoveConstraint(
            model_name='planitem',
            name='iv_planitem_weight_range',
        ),
        migrations.AddField(
            model_name='interviewplan',
            name='is_starter',
            field=models.BooleanField(db_default=False, default=False, editable=False),
        ),
        migrations.RunPython(mark_starter_templates, migrations.RunPython.noop),
        migrations.RunPython(refuse_light_weights, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='interviewplan',
            name='slot_minutes',
            field=models.PositiveSmallIntegerField(default=45),
        ),
        migrations.AddConstraint(
            model_name='candidate',
            constraint=models.CheckConstraint(condition=models.Q(('cv_url', ''), ('cv_file', ''), _connector='OR'), name='iv_candidate_cv_link_or_file', violation_error_message='Give either a link to the CV or an uploaded file, not both.'),
        ),
        migrations.AddConstraint(
            model_name='interviewplan',
            constraint=models.CheckConstraint(condition=models.Q(('is_starter', False), ('position__isnull', True), _connector='OR'), name='iv_plan_starter_is_template', violation_error_message='A starter plan is a template: it has no position.'),
        ),
        migrations.AddConstraint(
            model_name='interviewquestion',
            constraint=models.CheckConstraint(condition=models.Q(('weight__gte', Decimal('0.25')), ('weight__lte', Decimal('10'))), name='iv_question_weight_range', violation_error_message='Weight must be between 0.25 and 10.'),
        ),
        migrations.AddConstraint(
            model_name='planitem',
            constraint=models.CheckConstraint(condition=models.Q(('weight__gte', Decimal('0.25')), ('weight__lte', Decimal('10'))), name='iv_planitem_weight_range', violation_error_message='Weight must be between 0.25 and 10.'),
        ),
        migrations.AlterConstraint(
            model_name='interview',
            name='iv_interview_duration_range',
            constraint=models.CheckConstraint(condition=models.Q(('duration_minutes__gte', 5), ('duration_minutes__lte', 480)), name='iv_interview_duration_range', violation_error_message='An interview lasts 5 to 480 minutes.'),
        ),
        migrations.AlterConstraint(
            model_name='interviewplan',
            name='iv_plan_slot_range',
            constraint=models.CheckConstraint(condition=models.Q(('slot_minutes__gte', 5), ('slot_minutes__lte', 480)), name='iv_plan_slot_range', violation_error_message='A slot is between 5 and 480 minutes.'),
        ),
        migrations.AlterConstraint(
            model_name='interviewquestion',
            name='iv_question_has_revision_or_text',
            constraint=models.CheckConstraint(condition=models.Q(('revision__isnull', False), models.Q(('free_text', ''), _negated=True), _connector='OR'), name='iv_question_has_revision_or_text', violation_error_message='A question is from the bank or has its own text.'),
        ),
        migrations.AlterConstraint(
            model_name='planitem',
            name='iv_planitem_minutes_range',
            constraint=models.CheckConstraint(condition=models.Q(('minutes__gte', 1), ('minutes__lte', 120)), name='iv_planitem_minutes_range', violation_error_message='Minutes must be between 1 and 120.'),
        ),
    ]
