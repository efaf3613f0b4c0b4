"""The triggers that keep reports_casetally, and its first filling from the cases already there.

A case counts under its state and its outcome's kind (none until decided): a change of either table moves
the case between tallies. Each trigger reads the other table as it is at that moment, so a case's state
change and its outcome's insertion, in either order, leave the case counted once."""

from django.conf import settings
from django.db import migrations

TALLIED = """
    SELECT date_trunc('month', c.opened_at AT TIME ZONE '{tz}')::date AS month, c.organisation_id, c.status,
           COALESCE(o.kind, '') AS outcome, count(*) AS n
    FROM {cases} c
    LEFT JOIN {outcomes} o ON o.case_id = c.id
    {where}
    GROUP BY 1, 2, 3, 4
"""
UPSERT = """
    INSERT INTO reports_casetally (month, organisation_id, status, outcome, cases)
    SELECT month, organisation_id, status, outcome, {sign} n FROM ({tallied}) tallied
    ON CONFLICT (month, organisation_id, status, outcome)
    DO UPDATE SET cases = reports_casetally.cases + EXCLUDED.cases;
"""


def _upsert(cases: str, outcomes: str, sign: str, where: str = "") -> str:
    tallied = TALLIED.format(tz=settings.TIME_ZONE, cases=cases, outcomes=outcomes, where=where)
    return UPSERT.format(sign=sign, tallied=tallied)


CASE_CHANGED = """WHERE EXISTS (SELECT 1 FROM {other} x WHERE x.id = c.id
    AND (x.opened_at, x.organisation_id, x.status) IS DISTINCT FROM (c.opened_at, c.organisation_id, c.status))"""
OUTCOME_CHANGED = """WHERE EXISTS (SELECT 1 FROM {other} x WHERE x.id = o.id
    AND (x.case_id, x.kind) IS DISTINCT FROM (o.case_id, o.kind))"""
# For the outcome triggers: the cases of the changed outcomes, with the outcome as it was or is.
OUTCOME_TALLIED = """
    SELECT date_trunc('month', c.opened_at AT TIME ZONE '{tz}')::date AS month, c.organisation_id, c.status,
           o.kind AS outcome, count(*) AS n
    FROM {outcomes} o JOIN cases_case c ON c.id = o.case_id
    {where}
    GROUP BY 1, 2, 3, 4
"""
NO_OUTCOME = """
    SELECT date_trunc('month', c.opened_at AT TIME ZONE '{tz}')::date AS month, c.organisation_id, c.status,
           '' AS outcome, count(*) AS n
    FROM {outcomes} o JOIN cases_case c ON c.id = o.case_id
    {where}
    GROUP BY 1, 2, 3, 4
"""


def _outcome_upsert(template: str, outcomes: str, sign: str, where: str = "") -> str:
    tallied = template.format(tz=settings.TIME_ZONE, outcomes=outcomes, where=where)
    return UPSERT.format(sign=sign, tallied=tallied)


TRIGGERS = f"""
CREATE FUNCTION reports_case_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_upsert("new_rows", "cases_disciplinaryoutcome", "")} RETURN NULL; END $$;
CREATE FUNCTION reports_case_tally_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_upsert("old_rows", "cases_disciplinaryoutcome", "-")} RETURN NULL; END $$;
CREATE FUNCTION reports_case_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_upsert("old_rows", "cases_disciplinaryoutcome", "-", CASE_CHANGED.format(other="new_rows"))}
    {_upsert("new_rows", "cases_disciplinaryoutcome", "", CASE_CHANGED.format(other="old_rows"))}
    RETURN NULL;
END $$;
CREATE TRIGGER case_tally_insert AFTER INSERT ON cases_case
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_case_tally_insert();
CREATE TRIGGER case_tally_delete AFTER DELETE ON cases_case
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_case_tally_delete();
CREATE TRIGGER case_tally_update AFTER UPDATE ON cases_case
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_case_tally_update();

CREATE FUNCTION reports_case_tally_outcome_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_outcome_upsert(NO_OUTCOME, "new_rows", "-")}
    {_outcome_upsert(OUTCOME_TALLIED, "new_rows", "")}
    RETURN NULL;
END $$;
CREATE FUNCTION reports_case_tally_outcome_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_outcome_upsert(OUTCOME_TALLIED, "old_rows", "-")}
    {_outcome_upsert(NO_OUTCOME, "old_rows", "")}
    RETURN NULL;
END $$;
CREATE FUNCTION reports_case_tally_outcome_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_outcome_upsert(OUTCOME_TALLIED, "old_rows", "-", OUTCOME_CHANGED.format(other="new_rows"))}
    {_outcome_upsert(OUTCOME_TALLIED, "new_rows", "", OUTCOME_CHANGED.format(other="old_rows"))}
    RETURN NULL;
END $$;
CREATE TRIGGER case_tally_outcome_insert AFTER INSERT ON cases_disciplinaryoutcome
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_case_tally_outcome_insert();
CREATE TRIGGER case_tally_outcome_delete AFTER DELETE ON cases_disciplinaryoutcome
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reports_case_tally_outcome_delete();
CREATE TRIGGER case_tally_outcome_update AFTER UPDATE ON cases_disciplinaryoutcome
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_case_tally_outcome_update();

{_upsert("cases_case", "cases_disciplinaryoutcome", "")}
"""

DROP_TRIGGERS = """
DROP TRIGGER case_tally_outcome_update ON cases_disciplinaryoutcome;
DROP TRIGGER case_tally_outcome_delete ON cases_disciplinaryoutcome;
DROP TRIGGER case_tally_outcome_insert ON cases_disciplinaryoutcome;
DROP TRIGGER case_tally_update ON cases_case;
DROP TRIGGER case_tally_delete ON cases_case;
DROP TRIGGER case_tally_insert ON cases_case;
DROP FUNCTION reports_case_tally_outcome_update();
DROP FUNCTION reports_case_tally_outcome_delete();
DROP FUNCTION reports_case_tally_outcome_insert();
DROP FUNCTION reports_case_tally_update();
DROP FUNCTION reports_case_tally_delete();
DROP FUNCTION reports_case_tally_insert();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_merge_20261126_0958"),
        ("reports", "0004_case_tally"),
    ]

    operations = [migrations.RunSQL(TRIGGERS, reverse_sql=DROP_TRIGGERS)]
