"""Issue 16 (s26stats): the database keeps what the progress table and its chart read, under any write.

- ``Campaign.progress_version``: a token drawn afresh (a random 64-bit number, never a counter: a rolled-back
  write must not leave a token another state of the data will have again) whenever the campaign row, one of
  its plans, one of its targets or a registration's campaign or unit changes. The chart's counts are kept in
  the process under that token (``nominations.progress.target_counts``), read with the campaign.
- ``TargetPlan.latest_value`` / ``latest_day``: the plan's latest report (greatest day, then greatest id),
  recomputed by the database whenever a report on the plan is written, edited or deleted, raw SQL included
  (0019 had the service write it; a raw edit of a report left the plan, hence the table and chart, behind).

Triggers, one set per backend (PostgreSQL in production and the benches; SQLite in the tests).
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

CAMPAIGN, PLAN, TARGET = "nominations_campaign", "nominations_targetplan", "nominations_target"
REGISTRATION, REPORT = "nominations_registration", "nominations_progressreport"


def _latest(alias: str) -> str:
    """SQLite: the statement that sets the plan of ``alias``'s (registration, target) to its latest report."""
    where = f"registration_id = {alias}.registration_id AND target_id = {alias}.target_id"
    return (
        f"UPDATE {PLAN} SET (latest_value, latest_day) = (SELECT value, day FROM {REPORT} WHERE {where}"
        f" ORDER BY day DESC, id DESC LIMIT 1) WHERE {where}"
    )


# PostgreSQL: statement-level triggers over the rows a statement wrote (transition tables), so a bulk write
# (the bench's 60,000 reports, a migration) updates each campaign row once a statement: row-level triggers
# updated the same campaign row once a plan, and a row updated thousands of times in one transaction costs
# more at each update (its chain of versions grows).
def _each_statement(table: str, function: str) -> str:
    return "\n".join(
        f"CREATE TRIGGER {function}_{event.lower()} AFTER {event} ON {table} REFERENCING {tables}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
        for event, tables in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        )
    )


def _pg_latest(rows: str) -> str:
    return (
        f"UPDATE {PLAN} p SET (latest_value, latest_day) = (SELECT r.value, r.day FROM {REPORT} r"
        " WHERE r.registration_id = p.registration_id AND r.target_id = p.target_id"
        " ORDER BY r.day DESC, r.id DESC LIMIT 1)"
        f" WHERE (p.registration_id, p.target_id) IN (SELECT registration_id, target_id FROM {rows})"
    )


def _pg_draw(rows: str) -> str:
    return (
        f"UPDATE {CAMPAIGN} SET progress_version = 0 WHERE id IN"
        f" (SELECT campaign_id FROM {REGISTRATION} WHERE id IN (SELECT registration_id FROM {rows}))"
    )


POSTGRESQL = f"""
CREATE FUNCTION nominations_progress_version_draw() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.progress_version := floor(random() * 9e18)::bigint;
    RETURN NEW;
END $$;
CREATE TRIGGER nominations_progress_version_campaign BEFORE UPDATE ON {CAMPAIGN}
    FOR EACH ROW EXECUTE FUNCTION nominations_progress_version_draw();

CREATE FUNCTION nominations_progress_version_plan() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        {_pg_draw("new_rows")};
    END IF;
    IF TG_OP <> 'INSERT' THEN
        {_pg_draw("old_rows")};
    END IF;
    RETURN NULL;
END $$;
{_each_statement(PLAN, "nominations_progress_version_plan")}

CREATE FUNCTION nominations_progress_version_parent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {CAMPAIGN} SET progress_version = 0 WHERE id IN (NEW.campaign_id, OLD.campaign_id);
    RETURN NULL;
END $$;
CREATE TRIGGER nominations_progress_version_target AFTER UPDATE ON {TARGET}
    FOR EACH ROW EXECUTE FUNCTION nominations_progress_version_parent();
CREATE TRIGGER nominations_progress_version_registration AFTER UPDATE OF campaign_id, unit_id ON {REGISTRATION}
    FOR EACH ROW EXECUTE FUNCTION nominations_progress_version_parent();

CREATE FUNCTION nominations_plan_latest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        {_pg_latest("new_rows")};
    END IF;
    IF TG_OP <> 'INSERT' THEN
        {_pg_latest("old_rows")};
    END IF;
    RETURN NULL;
END $$;
{_each_statement(REPORT, "nominations_plan_latest")}
"""

POSTGRESQL_DROP = "\n".join(
    [
        *(
            f"DROP TRIGGER {name}_{event} ON {table};"
            for name, table in (("nominations_plan_latest", REPORT), ("nominations_progress_version_plan", PLAN))
            for event in ("insert", "update", "delete")
        ),
        f"DROP TRIGGER nominations_progress_version_registration ON {REGISTRATION};",
        f"DROP TRIGGER nominations_progress_version_target ON {TARGET};",
        f"DROP TRIGGER nominations_progress_version_campaign ON {CAMPAIGN};",
        "DROP FUNCTION nominations_plan_latest(), nominations_progress_version_parent(),"
        " nominations_progress_version_plan(), nominations_progress_version_draw();",
    ]
)

# SQLite: one trigger an event; an AFTER trigger draws the campaign's token (a trigger does not fire itself
# again while it runs: SQLite's recursive_triggers is off).
_DRAW = f"UPDATE {CAMPAIGN} SET progress_version = random()"
SQLITE = [
    f"CREATE TRIGGER nominations_progress_version_campaign AFTER UPDATE ON {CAMPAIGN}"
    f" BEGIN {_DRAW} WHERE id = NEW.id; END",
    *(
        f"CREATE TRIGGER nominations_progress_version_plan_{event.lower()} AFTER {event} ON {PLAN} BEGIN {_DRAW}"
        f" WHERE id IN (SELECT campaign_id FROM {REGISTRATION} WHERE id IN ({rows})); END"
        for event, rows in (
            ("INSERT", "NEW.registration_id"),
            ("UPDATE", "NEW.registration_id, OLD.registration_id"),
            ("DELETE", "OLD.registration_id"),
        )
    ),
    f"CREATE TRIGGER nominations_progress_version_target AFTER UPDATE ON {TARGET}"
    f" BEGIN {_DRAW} WHERE id IN (NEW.campaign_id, OLD.campaign_id); END",
    f"CREATE TRIGGER nominations_progress_version_registration AFTER UPDATE OF campaign_id, unit_id ON {REGISTRATION}"
    f" BEGIN {_DRAW} WHERE id IN (NEW.campaign_id, OLD.campaign_id); END",
    *(
        f"CREATE TRIGGER nominations_plan_latest_{event.lower()} AFTER {event} ON {REPORT}"
        f" BEGIN {'; '.join(_latest(alias) for alias in aliases)}; END"
        for event, aliases in (("INSERT", ["NEW"]), ("UPDATE", ["NEW", "OLD"]), ("DELETE", ["OLD"]))
    ),
]
SQLITE_TRIGGERS = [
    "nominations_progress_version_campaign",
    "nominations_progress_version_plan_insert",
    "nominations_progress_version_plan_update",
    "nominations_progress_version_plan_delete",
    "nominations_progress_version_target",
    "nominations_progress_version_registration",
    "nominations_plan_latest_insert",
    "nominations_plan_latest_update",
    "nominations_plan_latest_delete",
]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"progress triggers for {vendor}")


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)
    else:
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER {name}")


def fill(apps, schema_editor):
    """Each plan's latest report as the trigger keeps it (0019's rule), and a first token for each campaign
    (the campaign trigger draws it on any update)."""
    TargetPlan = apps.get_model("nominations", "TargetPlan")
    ProgressReport = apps.get_model("nominations", "ProgressReport")
    Campaign = apps.get_model("nominations", "Campaign")
    latest = ProgressReport.objects.filter(
        registration_id=OuterRef("registration_id"), target_id=OuterRef("target_id")
    ).order_by("-day", "-id")
    TargetPlan.objects.update(
        latest_value=Subquery(latest.values("value")[:1]), latest_day=Subquery(latest.values("day")[:1])
    )
    Campaign.objects.update(progress_version=0)


class Migration(migrations.Migration):
    dependencies = [
        ("nominations", "0020_reviewer_role_label"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="progress_version",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(install, uninstall),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
