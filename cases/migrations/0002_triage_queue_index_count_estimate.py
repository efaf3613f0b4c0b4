from django.db import migrations, models

COUNT_ESTIMATE = """
CREATE OR REPLACE FUNCTION socialpolicy_count_estimate(query text) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    plan json;
BEGIN
    -- The planner's estimate of the rows a query returns, for counts of large lists (core.pagination).
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
    RETURN (plan->0->'Plan'->>'Plan Rows')::bigint;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="incidentreport",
            index=models.Index(
                condition=models.Q(("status__in", ["reported", "awaiting_reporter"])),
                fields=["reported_at", "id"],
                name="report_open_queue_idx",
            ),
        ),
        migrations.RunSQL(COUNT_ESTIMATE, reverse_sql="DROP FUNCTION IF EXISTS socialpolicy_count_estimate(text);"),
    ]
