"""The triggers that keep reports_incidenttally, and its first filling from the reports already there.

A migration of its own: the table's unique constraint, which ON CONFLICT needs, is created only at the end
of the migration that creates the table."""

from django.conf import settings
from django.db import migrations

# The incidents reports count by month in UK time and by the organisation that employs the subject now;
# these triggers keep reports_incidenttally equal to those counts, whoever writes incident reports (the
# app, the admin, the scale-data generator's bulk inserts) and whenever an employee moves organisation.
TALLIED = """
    SELECT date_trunc('month', r.reported_at AT TIME ZONE '{tz}')::date AS month, u.organisation_id,
           c.category, count(*) AS n
    FROM {rows} r
    LEFT JOIN people_user u ON u.id = r.subject_id
    CROSS JOIN LATERAL unnest(array_prepend(''::varchar, r.categories)) AS c(category)
    {where}
    GROUP BY 1, 2, 3
"""
UPSERT = """
    INSERT INTO reports_incidenttally (month, organisation_id, category, reports)
    SELECT month, organisation_id, category, {sign} n FROM ({tallied}) tallied
    ON CONFLICT (month, organisation_id, category)
    DO UPDATE SET reports = reports_incidenttally.reports + EXCLUDED.reports;
"""
CHANGED = """WHERE EXISTS (SELECT 1 FROM {other} o WHERE o.id = r.id
    AND (o.reported_at, o.subject_id, o.categories) IS DISTINCT FROM (r.reported_at, r.subject_id, r.categories))"""


def _upsert(rows: str, sign: str, where: str = "") -> str:
    return UPSERT.format(sign=sign, tallied=TALLIED.format(tz=settings.TIME_ZONE, rows=rows, where=where))


TRIGGERS = f"""
CREATE FUNCTION reports_incident_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_upsert("new_rows", "")} RETURN NULL; END $$;
CREATE FUNCTION reports_incident_tally_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_upsert("old_rows", "-")} RETURN NULL; END $$;
CREATE FUNCTION reports_incident_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_upsert("old_rows", "-", CHANGED.format(other="new_rows"))}
    {_upsert("new_rows", "", CHANGED.format(other="old_rows"))}
    RETURN NULL;
END $$;
CREATE TRIGGER incident_tally_insert AFTER INSERT ON cases_incidentreport
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_incident_tally_insert();
CREATE TRIGGER incident_tally_delete AFTER DELETE ON cases_incidentreport
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_incident_tally_delete();
CREATE TRIGGER incident_tally_update AFTER UPDATE ON cases_incidentreport
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_incident_tally_update();

-- An employee who moves organisation takes the concerns about them along.
CREATE FUNCTION reports_incident_tally_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reports_incidenttally (month, organisation_id, category, reports)
    SELECT date_trunc('month', r.reported_at AT TIME ZONE '{settings.TIME_ZONE}')::date, o.organisation_id,
           c.category, o.sign * count(*)
    FROM cases_incidentreport r
    CROSS JOIN LATERAL unnest(array_prepend(''::varchar, r.categories)) AS c(category)
    CROSS JOIN (VALUES (OLD.organisation_id, -1), (NEW.organisation_id, 1)) AS o(organisation_id, sign)
    WHERE r.subject_id = NEW.id
    GROUP BY 1, 2, 3, o.sign
    ON CONFLICT (month, organisation_id, category)
    DO UPDATE SET reports = reports_incidenttally.reports + EXCLUDED.reports;
    RETURN NULL;
END $$;
CREATE TRIGGER incident_tally_move AFTER UPDATE OF organisation_id ON people_user
    FOR EACH ROW WHEN (OLD.organisation_id IS DISTINCT FROM NEW.organisation_id)
    EXECUTE FUNCTION reports_incident_tally_move();

{_upsert("cases_incidentreport", "")}
"""

DROP_TRIGGERS = """
DROP TRIGGER incident_tally_move ON people_user;
DROP TRIGGER incident_tally_update ON cases_incidentreport;
DROP TRIGGER incident_tally_delete ON cases_incidentreport;
DROP TRIGGER incident_tally_insert ON cases_incidentreport;
DROP FUNCTION reports_incident_tally_move();
DROP FUNCTION reports_incident_tally_update();
DROP FUNCTION reports_incident_tally_delete();
DROP FUNCTION reports_incident_tally_insert();
"""



class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_merge_20261126_0958"),
        ("reports", "0002_incident_tally"),
    ]

    operations = [migrations.RunSQL(TRIGGERS, reverse_sql=DROP_TRIGGERS)]
