"""The bank's facet counts (models.FacetCount), kept exact by PostgreSQL: statement-level
triggers on the question table fold every write into the counts, in the writer's transaction.
Replaces the list page's GROUP BY over every question and its index qb_question_facets."""

import django.contrib.postgres.fields
from django.db import migrations, models

KEY = "area, kind, level, status, roles"

# One function for the three triggers (a trigger with transition tables has one event). Each
# aggregates its statement's rows into one change per facet combination (+1 a new row, -1 an
# old one; an UPDATE that leaves the facet columns alone changes nothing) and applies it with
# one INSERT ... ON CONFLICT in key order, so two concurrent statements lock the count rows
# in the same order and cannot deadlock each other (transactions of several statements, such
# as two imports at once, still can: docs/architecture.md). Rows that reach 0 are deleted.
COUNT = f"""
CREATE FUNCTION questionbank_question_count_facets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO questionbank_facetcount AS c ({KEY}, n)
        SELECT {KEY}, count(*) FROM new_questions GROUP BY {KEY} ORDER BY {KEY}
        ON CONFLICT ({KEY}) DO UPDATE SET n = c.n + EXCLUDED.n;
        RETURN NULL;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO questionbank_facetcount AS c ({KEY}, n)
        SELECT {KEY}, -count(*) FROM old_questions GROUP BY {KEY} ORDER BY {KEY}
        ON CONFLICT ({KEY}) DO UPDATE SET n = c.n + EXCLUDED.n;
    ELSE
        INSERT INTO questionbank_facetcount AS c ({KEY}, n)
        SELECT {KEY}, sum(d) FROM (
            SELECT {KEY}, 1 AS d FROM new_questions
            UNION ALL
            SELECT {KEY}, -1 AS d FROM old_questions
        ) change GROUP BY {KEY} HAVING sum(d) <> 0 ORDER BY {KEY}
        ON CONFLICT ({KEY}) DO UPDATE SET n = c.n + EXCLUDED.n;
    END IF;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed > 0 THEN
        DELETE FROM questionbank_facetcount WHERE n = 0;
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION questionbank_question_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM questionbank_facetcount;
    RETURN NULL;
END
$$;
CREATE TRIGGER questionbank_question_count_inserts AFTER INSERT ON questionbank_question
    REFERENCING NEW TABLE AS new_questions
    FOR EACH STATEMENT EXECUTE FUNCTION questionbank_question_count_facets();
CREATE TRIGGER questionbank_question_count_updates AFTER UPDATE ON questionbank_question
    REFERENCING OLD TABLE AS old_questions NEW TABLE AS new_questions
    FOR EACH STATEMENT EXECUTE FUNCTION questionbank_question_count_facets();
CREATE TRIGGER questionbank_question_count_deletes AFTER DELETE ON questionbank_question
    REFERENCING OLD TABLE AS old_questions
    FOR EACH STATEMENT EXECUTE FUNCTION questionbank_question_count_facets();
CREATE TRIGGER questionbank_question_count_truncates AFTER TRUNCATE ON questionbank_question
    FOR EACH STATEMENT EXECUTE FUNCTION questionbank_question_truncated();
-- The questions already there. After the triggers: creating them locked the question table
-- against writes until this migration commits, so no write falls between the two.
INSERT INTO questionbank_facetcount ({KEY}, n)
SELECT {KEY}, count(*) FROM questionbank_question GROUP BY {KEY} ORDER BY {KEY};
"""

UNCOUNT = """
DROP TRIGGER questionbank_question_count_truncates ON questionbank_question;
DROP TRIGGER questionbank_question_count_deletes ON questionbank_question;
DROP TRIGGER questionbank_question_count_updates ON questionbank_question;
DROP TRIGGER questionbank_question_count_inserts ON questionbank_question;
DROP FUNCTION questionbank_question_truncated();
DROP FUNCTION questionbank_question_count_facets();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('questionbank', '0007_drop_bank_change'),
    ]

    operations = [
        migrations.CreateModel(
            name='FacetCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('area', models.CharField(choices=[('fundamentals', 'Fundamentals'), ('data', 'Data and features'), ('algorithms', 'Algorithms'), ('evaluation', 'Evaluation'), ('deep-learning', 'Deep learning'), ('domains', 'Domains'), ('production', 'Production and MLOps'), ('coding-design', 'Coding and design'), ('experience', 'Experience')], max_length=20)),
                ('kind', models.CharField(choices=[('concept', 'Concept'), ('applied', 'Applied'), ('coding', 'Coding'), ('design', 'System design'), ('experience', 'Experience')], max_length=12)),
                ('level', models.CharField(choices=[('junior', 'Junior'), ('mid', 'Mid'), ('senior', 'Senior')], max_length=8)),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published'), ('retired', 'Retired')], max_length=10)),
                ('roles', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('mle', 'ML engineer'), ('ds', 'Data scientist'), ('mlops', 'MLOps'), ('nlp', 'NLP'), ('cv', 'Computer vision'), ('rl', 'Reinforcement learning'), ('research', 'Research')], max_length=10), size=None)),
                ('n', models.IntegerField()),
            ],
            options={
                'default_permissions': (),
            },
        ),
        migrations.RemoveIndex(
            model_name='question',
            name='qb_question_facets',
        ),
        migrations.AddConstraint(
            model_name='facetcount',
            constraint=models.UniqueConstraint(fields=('area', 'kind', 'level', 'status', 'roles'), name='qb_facetcount_one_per_combination'),
        ),
        migrations.RunSQL(COUNT, UNCOUNT),
    ]
