"""Time limits per step, in working days, and the clock's pauses (the suspension ledger).

The clock of the standing body's appraisal runs from the receipt of a
complete dossier; a return for completion stops it until the unit sends the
dossier back (domain brief §4). The pauses are read from the audit trail,
which already records both moments: a nomination reviewed to
``needs_completion`` starts a pause, ``submission.completed`` ends it.
"""

import dataclasses
import datetime

from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

from workflow import audit

from .models import OrgUnit, StepDeadline, Submission
from .workdays import add_working_days, working_days_between

L = OrgUnit.Level
# Demo rule data from the domain brief (§4 and its notes). ``confirmed`` is
# True only where a source states the figure for that step and level; the rest
# are this project's inference, to be replaced by the administrator.
DEMO_RULES = [
    # (step, issuer level, working days, valid from, valid to, legal basis, confirmed)
    ("review", L.COMMUNE, 20, "2025-07-01", None,
     "QĐ 638/QĐ-BNV 2025: CSTĐ cơ sở cấp xã, 20 ngày làm việc kể từ khi nhận đủ hồ sơ", True),
    ("review", L.DISTRICT, 10, "2018-01-01", "2025-06-30",
     "TTHC cấp huyện thời NĐ 91/2017 (Cẩm Phả): 10 ngày làm việc", True),
    ("review", L.PROVINCE, 20, "2025-07-01", None,
     "Suy luận từ QĐ 311/QĐ-BNV 2025 (5, 20 và 10 ngày làm việc mỗi giai đoạn)", False),
    ("head_approval", None, 5, "2018-01-01", None, "Suy luận: thời hạn nội bộ của đơn vị", False),
    ("ward_review", None, 5, "2018-01-01", None, "Suy luận: thời hạn nội bộ của phường, xã", False),
    ("complete", None, 10, "2018-01-01", None, "Suy luận: thời hạn đơn vị bổ sung hồ sơ", False),
    ("sign", None, 5, "2018-01-01", None, "Suy luận: chưa tìm thấy thời hạn luật định cho bước ký", False),
    ("redraft", None, 3, "2018-01-01", None, "Suy luận: thời hạn nội bộ của Thư ký Hội đồng", False),
]  # fmt: skip


def load_demo_rules() -> None:
    """Create the demo time limits once (idempotent)."""
    for step, level, days, start, end, basis, confirmed in DEMO_RULES:
        StepDeadline.objects.get_or_create(
            step=step,
            issuer_level=level,
            valid_from=datetime.date.fromisoformat(start),
            defaults={
                "working_days": days,
                "valid_to": end and datetime.date.fromisoformat(end),
                "legal_basis": basis,
                "confirmed": confirmed,
            },
        )


def step_rule(step: str, issuer_level: int | None, on: datetime.date) -> StepDeadline | None:
    """The rule in force on ``on`` for the step: the issuer level's own, else the one for every level."""
    return pick_rule(StepDeadline.objects.filter(step=step), step, issuer_level, on)


def rules_of(steps) -> list[StepDeadline]:
    """Every rule of these steps, read once for a whole list of tasks (the table is a few dozen rows)."""
    return list(StepDeadline.objects.filter(step__in=set(steps)))


def pick_rule(rules, step: str, issuer_level: int | None, on: datetime.date) -> StepDeadline | None:
    """Among ``rules``, the one in force on ``on``: level-specific before every-level, then the newest."""
    in_force = [
        r
        for r in rules
        if r.step == step
        and r.issuer_level in (issuer_level, None)
        and r.valid_from <= on
        and (r.valid_to is None or r.valid_to >= on)
    ]
    in_force.sort(key=lambda r: (r.issuer_level is None, -r.valid_from.toordinal()))
    return in_force[0] if in_force else None


@dataclasses.dataclass(frozen=True)
class Pause:
    start: datetime.date
    end: datetime.date | None  # None: still with the unit


def suspensions(submission: Submission | int) -> list[Pause]:
    """The dossier's completion rounds as dated pauses, oldest first, read from the audit trail."""
    pk = getattr(submission, "pk", submission)
    return suspensions_of([pk]).get(pk, [])


def suspensions_of(submission_ids) -> dict[int, list[Pause]]:
    """{dossier pk: its pauses} for many dossiers, in one query."""
    scopes = {f"submission:{pk}": pk for pk in submission_ids}
    if not scopes:
        return {}
    # The event type compared as an expression, not as the column: PostgreSQL would otherwise AND the index of
    # every event type (80,000 "reviewed" events at 100,000 nominations) with the scopes' few hundred rows, 2.5 ms
    # of a list page instead of 0.2 (issue 18).
    events = (
        audit.timelines(scopes)
        .alias(kind=Concat("event_type", Value("")))
        .filter(Q(kind=audit.NOMINATION_REVIEWED, to_state="needs_completion") | Q(kind=audit.SUBMISSION_COMPLETED))
    )
    by_dossier: dict[int, list] = {}
    for scope, event_type, created in events.values_list("scope", "event_type", "created_at"):
        by_dossier.setdefault(scopes[scope], []).append((event_type, timezone.localdate(created)))
    return {pk: pauses_from_events(rows) for pk, rows in by_dossier.items()}


def pauses_from_events(events) -> list[Pause]:
    """A dossier's pauses from its events ``[(event type, day)]`` in their order: each return to the unit for
    completion opens one, the unit's completion closes it (the one reading of them, here and in the list pages'
    hand-written statement, workflow.deadlines.pauses_of)."""
    pauses, start = [], None
    for event_type, day in events:
        if event_type == audit.NOMINATION_REVIEWED and start is None:
            start = day
        elif event_type == audit.SUBMISSION_COMPLETED and start is not None:
            pauses.append(Pause(start, day))
            start = None
    if start is not None:
        pauses.append(Pause(start, None))
    return pauses


def paused_working_days(pauses: list[Pause], since: datetime.date, today: datetime.date, calendar=None) -> int:
    """Working days the clock stood still after ``since`` (an open pause counts up to today)."""
    return sum(
        working_days_between(max(p.start, since), p.end or today, calendar) for p in pauses if (p.end or today) > since
    )


def due_date(start: datetime.date, working_days: int, paused: int = 0, calendar=None) -> datetime.date:
    """Last day of a limit of ``working_days`` counted from ``start``, pushed back by the paused days."""
    return add_working_days(start, working_days + paused, calendar)
