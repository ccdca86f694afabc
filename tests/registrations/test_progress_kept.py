"""The progress chart's counts kept under the campaign's ``progress_version`` (migration 0021): whatever writes
the reports, plans, targets or registrations — the services or raw SQL — the page's chart equals a count made
from the raw reports by ``progress.status_of``, at once; and each plan's latest report follows the reports
(the trigger on them), raw edits and deletions included."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from nominations import progress
from nominations.models import Campaign, ProgressReport, Registration, TargetPlan
from nominations.services import registrations
from tests.nominations.services.world import START

from .world import build_registration_world, registered

DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_registration_world()


def raw_counts(campaign: Campaign, day: datetime.date) -> dict:
    """(target, status) → plans, from the reports themselves: each plan's latest report ranked here (greatest
    day, then greatest id), its status by the Python rule."""
    campaign = Campaign.objects.get(pk=campaign.pk)
    counts = Counter()
    for plan in TargetPlan.objects.filter(registration__campaign=campaign).select_related("target"):
        latest = (
            ProgressReport.objects.filter(registration_id=plan.registration_id, target_id=plan.target_id)
            .order_by("-day", "-id")
            .first()
        )
        value = None if latest is None else latest.value
        counts[plan.target.name, progress.status_of(plan.target, plan.planned_value, value, campaign, day)] += 1
    return dict(counts)


def page_counts(client, campaign: Campaign) -> dict:
    """(target, status) → plans, as the page's chart shows them."""
    lines = client.get(reverse("registrations:table", args=[campaign.pk])).context["lines"]
    return {
        (line["target"], status): line[status]
        for line in lines
        for status in (progress.DONE, progress.ON_TRACK, progress.BEHIND)
        if line[status]
    }


def check(client, world, day=None):
    assert page_counts(client, world.campaign) == raw_counts(world.campaign, day or world.today)


def report(world, registration, value, day, target=None):
    return registrations.progress_report(
        registration=registration, actor=world.clerk, target=target or world.online, value=value, day=day
    )


def raw(sql: str, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def reading(client, world):
    client.force_login(world.reviewer)
    return client


def test_a_report_added_moves_the_chart(reading, world):
    school = registered(world)
    check(reading, world)  # never reported: behind (and the counts now kept)
    report(world, school, "90", world.today)
    check(reading, world)
    assert page_counts(reading, world.campaign)[world.online.name, progress.DONE] == 1


def test_a_plan_with_no_report_is_behind(reading, world):
    registered(world)
    registered(world, unit=world.ward)
    assert page_counts(reading, world.campaign) == {(world.online.name, "behind"): 2, (world.late.name, "behind"): 2}
    check(reading, world)


def test_a_report_edited_or_deleted_by_raw_sql_moves_the_plan_and_the_chart_at_once(reading, world):
    school = registered(world)
    report(world, school, "40", world.today - DAY)
    latest = report(world, school, "90", world.today)
    check(reading, world)  # done; kept
    raw(f"UPDATE {ProgressReport._meta.db_table} SET value = %s WHERE id = %s", "10", latest.pk)
    plan = TargetPlan.objects.get(registration=school, target=world.online)
    assert (plan.latest_value, plan.latest_day) == (Decimal("10"), world.today)
    check(reading, world)
    assert (world.online.name, progress.DONE) not in page_counts(reading, world.campaign)
    raw(f"DELETE FROM {ProgressReport._meta.db_table} WHERE id = %s", latest.pk)  # the earlier report is latest again
    plan.refresh_from_db()
    assert (plan.latest_value, plan.latest_day) == (Decimal("40"), world.today - DAY)
    check(reading, world)
    raw(f"UPDATE {ProgressReport._meta.db_table} SET day = %s WHERE registration_id = %s", world.today, school.pk)
    check(reading, world)


def test_a_raw_write_to_a_plan_a_target_or_a_registration_moves_the_chart(reading, world):
    school = registered(world)
    ward = registered(world, unit=world.ward)
    report(world, school, "84", world.today)
    check(reading, world)
    raw(f"UPDATE {TargetPlan._meta.db_table} SET planned_value = 80 WHERE registration_id = %s", school.pk)
    check(reading, world)  # 84 ≥ 80: now done
    assert page_counts(reading, world.campaign)[world.online.name, progress.DONE] == 1
    raw("UPDATE nominations_target SET direction = 'lower' WHERE id = %s", world.online.pk)
    world.online.refresh_from_db()
    check(reading, world)  # 84 > 80 on a lower-is-better target: behind
    raw("UPDATE nominations_target SET name = 'Đổi tên' WHERE id = %s", world.online.pk)
    check(reading, world)
    assert ("Đổi tên", progress.BEHIND) in page_counts(reading, world.campaign)
    other = Campaign.objects.create(
        issuer=world.campaign.issuer, code="khac", title="Khác", period_start=START,
        period_end=world.campaign.period_end, nomination_deadline=world.campaign.period_end,
    )  # fmt: skip
    raw(f"UPDATE {Registration._meta.db_table} SET campaign_id = %s WHERE id = %s", other.pk, ward.pk)
    check(reading, world)  # the ward's plans left the chart
    raw(f"DELETE FROM {TargetPlan._meta.db_table} WHERE registration_id = %s", school.pk)
    assert page_counts(reading, world.campaign) == {}


def test_a_new_day_moves_a_target_from_on_track_to_behind(reading, world):
    """40 of 85 keeps pace while under 40/85 of the period has elapsed: on track early, behind at the end;
    the counts are kept per day, so the same token gives each day its own figures."""
    school = registered(world)
    campaign = world.campaign
    early, end = campaign.period_start + DAY, campaign.period_end
    report(world, school, "40", min(campaign.period_start, world.today))
    campaign = Campaign.objects.get(pk=campaign.pk)
    on_early = progress.target_counts(campaign, day=early, kept=True)
    assert on_early[0][progress.ON_TRACK] == 1
    on_end = progress.target_counts(campaign, day=end, kept=True)
    assert (on_end[0][progress.ON_TRACK], on_end[0][progress.BEHIND]) == (0, 1)
    for day in (early, end):
        counted = {
            (line["target"], status): line[status]
            for line in progress.target_counts(campaign, day=day, kept=True)
            for status in (progress.DONE, progress.ON_TRACK, progress.BEHIND)
            if line[status]
        }
        assert counted == raw_counts(campaign, day)


def test_a_registration_sent_back_and_rewritten_moves_the_chart(reading, world):
    registered(world)
    draft = registered(world, unit=world.ward, accept=False)
    registrations.registration_sign(registration=draft, actor=world.head)
    check(reading, world)
    returned = registrations.registration_return(registration=draft, actor=world.reviewer, comment="Sửa chỉ tiêu")
    check(reading, world)
    registrations.registration_update(
        registration=returned, actor=world.clerk, plans={world.online.pk: Decimal("70")}
    )  # the late-files target left the ward's plans
    check(reading, world)
    assert page_counts(reading, world.campaign)[world.late.name, progress.BEHIND] == 1


def test_a_stale_campaign_object_never_reads_another_states_counts(world):
    """Counts are kept under the token their own statement read: an object read before a write misses (and
    counts afresh) rather than finding the counts of the state after it."""
    school = registered(world)
    before = Campaign.objects.get(pk=world.campaign.pk)
    assert progress.target_counts(before, kept=True)[0][progress.DONE] == 0
    report(world, school, "90", world.today)
    after = Campaign.objects.get(pk=world.campaign.pk)
    assert after.progress_version != before.progress_version
    assert progress.target_counts(after, kept=True)[0][progress.DONE] == 1
    assert progress.target_counts(after)[0][progress.DONE] == 1  # not kept: always counted


def test_the_table_keeps_its_permissions(client, world):
    registered(world)
    url = reverse("registrations:table", args=[world.campaign.pk])
    client.force_login(world.clerk)  # a unit's clerk: wrong role
    assert client.get(url).status_code == 403
    client.force_login(world.reviewer)
    assert client.get(reverse("registrations:table", args=[world.campaign.pk + 999])).status_code == 404
    assert client.get(url).status_code == 200


def test_the_unit_options_and_the_drawn_chart_follow_their_data(world):
    """The options' HTML is kept per list read (a renamed unit shows at once, the selected one is marked);
    the chart is drawn again when its figures change."""
    from workflow.views.registrations import drawn_chart, unit_options_html

    units = [(1, "Đơn vị <b>"), (12, "Phường & xã")]
    assert unit_options_html(units, 1) == (
        '<option value="1" selected>Đơn vị &lt;b&gt;</option><option value="12">Phường &amp; xã</option>'
    )
    assert unit_options_html(units, None) == (
        '<option value="1">Đơn vị &lt;b&gt;</option><option value="12">Phường &amp; xã</option>'
    )
    assert "Đổi tên" in unit_options_html([(1, "Đổi tên"), (12, "Phường & xã")], 12)
    line = {"target": "A", "unit_of_measure": "%", "units": 2, "done": 1, "on_track": 0, "behind": 1}
    _chart, before = drawn_chart([line])
    _chart, after = drawn_chart([{**line, "done": 2, "behind": 0}])
    assert "Đã đạt: 1" in before["bars"] and "Đã đạt: 2" in after["bars"] and "Chậm tiến độ" not in after["bars"]


def test_the_campaign_read_by_the_access_check_is_the_orms(world):
    """``compiled.first``: every field of the campaign and of its issuer as the ORM reads them, read afresh
    each time (a write shows at once), None for a campaign that does not exist."""
    from nominations import compiled

    def read(pk):
        return compiled.first(("test-first", pk), Campaign.objects.filter(pk=pk), "issuer")

    campaign = read(world.campaign.pk)
    expected = Campaign.objects.select_related("issuer").get(pk=world.campaign.pk)
    for field in Campaign._meta.concrete_fields:
        assert getattr(campaign, field.attname) == getattr(expected, field.attname), field.name
    for field in type(expected.issuer)._meta.concrete_fields:
        assert getattr(campaign.issuer, field.attname) == getattr(expected.issuer, field.attname), field.name
    Campaign.objects.filter(pk=world.campaign.pk).update(title="Đổi tên phong trào")
    assert read(world.campaign.pk).title == "Đổi tên phong trào"
    assert read(world.campaign.pk + 999) is None
