"""A province-size data set for the workflow benchmarks (issue 7), built in minutes.

    scripts/services.sh start && eval "$(scripts/services.sh env)"
    .venv/bin/python -m bench.generate              # once; a second run sees the data and stops
    .venv/bin/python -m bench.generate --reset      # drop and rebuild the bench database
    .venv/bin/python -m bench.generate --nominations 20000 --reset   # smaller, for trying things out

Database ``thidua_wfbench`` (see bench/common.py). What it holds:

* 500 units: a province → 10 districts/cities → per district 3 agencies and 12 wards/communes → 339
  schools, residential groups and agencies under the wards; two users per proposing unit (clerk ``cb-<unit>``,
  head ``tt-<unit>``), a ward reviewer per ward (``td-<ward>``), per district the standing body's reviewer
  (``nv-<district>``), the council secretary (``tk-``), the chairman (``ct-``), a vice-chairman (``pct-``) and 28
  more council members (``hd-<district>-NN``): 30 voting members per council. ``bp-thanhtra`` sees every dossier
  (a global ``view_submission`` grant). Every password is ``thidua-bench-2024``. Roles are granted through
  ``workflow.permissions.grant_membership`` / ``grant_council_seat``, the code the demo uses.
* 20 campaigns (per district one closed in 2025 and one open now), 100,000 nominations in ~23,000 dossiers, in
  every state of the flow: draft (clerk preparing, head to sign), submitted (ward review, appraisal), needs
  completion, re-appraisal, accepted (waiting for the council; 500 of each district's on the agenda of an open
  session whose 30 ballots are assigned), council passed / failed (waiting for the chairman; a draft decision to
  sign per district), awarded, not awarded (rejected at appraisal, failed at the council, struck at signing).
* For each dossier, session and decision: the viewflow Process and Task rows the flow writes (same node
  references, statuses, owners, owner permissions, tokens, task data, ``previous`` links, process data), the
  guardian visibility grants ``share_submission`` writes (``view_submission`` for ``unit:``, ``ward:``,
  ``reviewers:``, ``council:``, ``leaders:`` groups), attachments, closed sessions with attendance, ballots
  (``BallotCast``, receipts, ``SecretVote`` rows matching the tallies), signed decisions with numbers, award
  records and prior award history, and a hash-chained audit trail that ``manage.py verify_audit`` accepts.

The row shapes were copied from one dossier driven over HTTP through the whole flow (tests/workflow/helpers.py);
``make_dossiers`` builds fresh dossiers in one state for the other benchmarks.
"""

import argparse
import datetime
import json
import random
import secrets
import sys
import time
import uuid
from dataclasses import dataclass, field

from bench import common

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
SAMPLE_FILE = "dossiers/bench/sample"

FAMILY = (
    "Nguyễn Trần Lê Phạm Hoàng Vũ Phan Đặng Bùi Đỗ Hồ Ngô Dương Lý Nông Hà Lương Lăng Triệu Chu Mông Vi Lộc Bế".split()
)
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Ngọc", "Quang", "Thanh", "Hữu", "Xuân", "Kim", "Hồng", "Bảo"]
GIVEN = (
    "An Anh Bình Cường Dũng Duyên Đạt Giang Hà Hạnh Hải Hằng Hiếu Hoa Hùng Hương Khải Lan Linh Long Mai Minh Nam "
    "Nga Ngọc Phong Phúc Quang Quỳnh Sơn Tâm Thảo Thắng Thu Thủy Trang Trung Tú Tuấn Tường Vân Việt Xuân Yến"
).split()
COLLECTIVES = ["Tổ dân phố", "Chi hội Phụ nữ", "Đội văn nghệ", "Tổ hòa giải", "Chi đoàn", "Hợp tác xã", "Tổ tự quản"]
ETHNIC = ["Kinh", "Tày", "Nùng", "Dao", "Hoa", "Sán Chay"]
WARD_NAMES = (
    "Vĩnh Trại|Đông Kinh|Chi Lăng|Tam Thanh|Hoàng Văn Thụ|Mai Pha|Hoàng Đồng|Quảng Lạc|Tân Lang|Hợp Thành|Yên Trạch|"
    "Hồng Phong"
).split("|")
DISTRICT_NAMES = [
    "Thành phố Bắc Phong",
    "Huyện Cao Lộc",
    "Huyện Văn Quan",
    "Huyện Bình Gia",
    "Huyện Tràng Định",
    "Huyện Văn Lãng",
    "Huyện Lộc Bình",
    "Huyện Đình Lập",
    "Huyện Chi Lăng",
    "Huyện Hữu Lũng",
]
GRASSROOTS = [
    ("residential", "Khối"),
    ("school", "Trường Tiểu học"),
    ("residential", "Thôn"),
    ("public_service", "Trạm Y tế"),
    ("school", "Trường Mầm non"),
    ("organisation", "Hội Cựu chiến binh"),
]

# Dossier states (stage) → share of a campaign's dossiers. Old campaigns are finished.
CURRENT_STAGES = {
    "prepare": 12,
    "head": 8,
    "ward": 8,
    "review": 10,
    "complete": 5,
    "rereview": 4,
    "council": 30,
    "chairman": 11,
    "decided": 8,
    "rejected": 2,
    "failed": 2,
}
OLD_STAGES = {"decided": 85, "rejected": 7, "failed": 8}
SUBMISSION_STATUS = {
    "prepare": "draft",
    "head": "draft",
    "head_assigned": "draft",
    "ward": "submitted",
    "review": "submitted",
    "complete": "in_review",
    "rereview": "in_review",
    "council": "in_review",
    "chairman": "at_chairman",
    "decided": "decided",
    "rejected": "decided",
    "failed": "decided",
}
OPEN_AGENDA = 500  # items on each district's open session
SESSION_SIZE = 300  # items per closed session


@dataclass
class Dossier:
    unit: object
    campaign: object
    district: object
    stage: str
    size: int
    t0: datetime.datetime
    ward: bool
    loop: bool = False
    submission: object = None
    nominations: list = field(default_factory=list)
    outcome: list = field(default_factory=list)  # per nomination: review result, then council result, award
    process: object = None
    tasks: dict = field(default_factory=dict)
    council_at: datetime.datetime | None = None
    decided_at: datetime.datetime | None = None


class Ref:
    """Everything looked up once: nodes, content types, permissions, users, groups, rules."""

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission
        from django.contrib.contenttypes.models import ContentType

        from nominations import models as m
        from nominations.selectors import base_salary_on, rule_set_on
        from workflow import flows, permissions

        self.m = m
        self.flows = flows
        self.perms = permissions
        self.User = get_user_model()
        self.ct = {
            model: ContentType.objects.get_for_model(model)
            for model in (m.OrgUnit, m.Submission, m.CouncilSession, m.Decision)
        }
        self.view_submission = Permission.objects.get(content_type=self.ct[m.Submission], codename="view_submission")
        self.groups = {g.name: g for g in Group.objects.all()}
        self.users = {u.username: u for u in self.User.objects.all()}
        self.units = {u.code: u for u in m.OrgUnit.objects.all()}
        self.award = m.AwardType.objects.get(code="giay-khen")
        self.rule_set_on, self.base_salary_on = rule_set_on, base_salary_on
        self.council = {c.issuer_id: c for c in m.Council.objects.all()}
        self.members = {}
        for member in m.CouncilMember.objects.select_related("user").order_by("pk"):
            self.members.setdefault(member.council_id, []).append(member)

    def group(self, audience, unit):
        return self.groups[f"{audience}:{unit.code}"]


# --------------------------------------------------------------------------- low-level writers


def alloc(model, n: int) -> list[int]:
    """Reserve ``n`` primary keys of ``model`` from its sequence (rows are then inserted with explicit ids)."""
    from django.db import connection

    if n == 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{model._meta.db_table}', 'id')) FROM generate_series(1, %s)",
            [n],
        )
        return [row[0] for row in cursor.fetchall()]


def with_ids(model, objs):
    for obj, pk in zip(objs, alloc(model, len(objs)), strict=True):
        obj.pk = pk
    return objs


def copy_rows(table: str, columns, rows) -> int:
    """COPY rows into a table (psycopg 3): the fast path for millions of votes and audit events."""
    from django.db import connection

    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def bulk(model, objs, batch=5000):
    model.objects.bulk_create(objs, batch_size=batch)
    return objs


# --------------------------------------------------------------------------- organisation and people


def build_org():
    """500 units (incl. the province) with materialised paths; returns the created units by code."""
    from nominations.models import OrgUnit

    start = datetime.date(2002, 1, 1)
    units = []

    def add(code, name, kind, level, parent):
        unit = OrgUnit(code=code, name=name, kind=kind, level=level, parent=parent, valid_from=start)
        unit.path = (parent.path if parent else "") + code + "/"
        units.append(unit)
        return unit

    province = add("bp", "Tỉnh Bắc Phong (dữ liệu đo hiệu năng)", "province", 1, None)
    districts, wards = [], []
    for d in range(10):
        district = add(f"bp-h{d + 1:02d}", DISTRICT_NAMES[d], "city", 2, province)
        districts.append(district)
        for code, name in (("nv", "Phòng Nội vụ"), ("vh", "Phòng Văn hóa và Thông tin"), ("gd", "Phòng Giáo dục")):
            add(f"{district.code}-{code}", f"{name} – {district.name}", "agency", 4, district)
        for w in range(12):
            kind = "ward" if w < 8 else "commune"
            label = "Phường" if kind == "ward" else "Xã"
            wards.append(
                add(f"{district.code}-p{w + 1:02d}", f"{label} {WARD_NAMES[w]} ({district.name})", kind, 3, district)
            )
    for i in range(500 - len(units)):
        ward = wards[i % len(wards)]
        kind, label = GRASSROOTS[(i // len(wards)) % len(GRASSROOTS)]
        add(f"{ward.code}-k{i // len(wards) + 1}", f"{label} {i // len(wards) + 1}, {ward.name}", kind, 4, ward)
    # Parents first: ids are reserved, then rows inserted level by level.
    with_ids(OrgUnit, units)
    for unit in units:
        unit.parent_id = unit.parent.pk if unit.parent else None
    bulk(OrgUnit, units)
    return units


def build_people(ref_units, password_hash):
    """Users, memberships and council seats; grants through the application's own functions."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from nominations.models import Council, CouncilMember, Membership
    from workflow import permissions

    User = get_user_model()
    since = datetime.date(2024, 1, 1)
    users, memberships, seats = [], [], []

    def person(username, name, unit, role, title=""):
        user = User(username=username, first_name=name, password=password_hash, email=f"{username}@bench.invalid")
        users.append(user)
        if role:
            memberships.append(Membership(user=user, unit=unit, role=role, title=title, valid_from=since))
        return user

    rng = random.Random(11)

    def name():
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"

    councils = {}
    for unit in ref_units:
        if unit.level == 1:
            continue
        if unit.level == 2:
            noi_vu = next(u for u in ref_units if u.code == f"{unit.code}-nv")
            person(f"nv-{unit.code}", name(), noi_vu, "reviewer", "Chuyên viên Phòng Nội vụ")
            secretary = person(f"tk-{unit.code}", name(), noi_vu, "council_secretary", "Phó Trưởng phòng Nội vụ")
            chairman = person(f"ct-{unit.code}", name(), unit, "chairman", "Chủ tịch UBND")
            vice = person(f"pct-{unit.code}", name(), unit, "vice_chairman", "Phó Chủ tịch UBND")
            others = [
                person(f"hd-{unit.code}-{i:02d}", name(), unit, "council_member", "Ủy viên Hội đồng")
                for i in range(1, 29)
            ]
            councils[unit.code] = (
                unit,
                [(chairman, "chair"), (vice, "vice_chair")]
                + [(u, "standing" if i < 3 else "member") for i, u in enumerate(others)]
                + [(secretary, "secretary")],
            )
            continue
        person(f"cb-{unit.code}", name(), unit, "unit_clerk", "Cán bộ thi đua")
        person(f"tt-{unit.code}", name(), unit, "unit_head", "Thủ trưởng đơn vị")
        if unit.kind in ("ward", "commune"):
            person(f"td-{unit.code}", name(), unit, "ward_reviewer", "Công chức Văn hóa – Xã hội")
    inspector = person("bp-thanhtra", "Thanh tra Ban Thi đua – Khen thưởng tỉnh", None, None)
    bulk(User, users)
    for membership in memberships:
        membership.user_id = membership.user.pk
    bulk(Membership, memberships)
    for unit, people in councils.values():
        council = Council.objects.create(issuer=unit, name=f"Hội đồng Thi đua – Khen thưởng {unit.name}")
        for user, position in people:
            seats.append(CouncilMember(council=council, user=user, position=position, valid_from=since))
    bulk(CouncilMember, seats)
    for membership in Membership.objects.filter(user__in=[u.pk for u in users]).select_related("user", "unit__parent"):
        permissions.grant_membership(membership)
    for seat in CouncilMember.objects.filter(pk__in=[s.pk for s in seats]).select_related("user", "council__issuer"):
        permissions.grant_council_seat(seat)
    inspector.user_permissions.add(Permission.objects.get(codename="view_submission"))
    inspector.groups.add(permissions.flow_users())
    return users


def build_campaigns(districts, award, today):
    from nominations.models import Campaign, CampaignAward

    campaigns = {}
    for district in districts:
        old = Campaign.objects.create(
            issuer=district,
            code=f"{district.code}-2025",
            title=f"Phong trào thi đua năm 2025 – {district.name}",
            period_start=datetime.date(2025, 7, 1),
            period_end=datetime.date(2025, 11, 30),
            nomination_deadline=datetime.date(2025, 12, 15),
            status=Campaign.Status.CLOSED,
        )
        current = Campaign.objects.create(
            issuer=district,
            code=f"{district.code}-hien-tai",
            title=f"Phong trào thi đua chào mừng Đại hội – {district.name}",
            period_start=today - 60 * DAY,
            period_end=today + 60 * DAY,
            nomination_deadline=today + 75 * DAY,
            status=Campaign.Status.LAUNCHED,
        )
        for campaign in (old, current):
            CampaignAward.objects.create(campaign=campaign, award_type=award, default_quota=None)
        campaigns[district.pk] = (old, current)
    return campaigns


# --------------------------------------------------------------------------- dossiers and their flow rows


class Plan:
    """Rows to write, planned in memory with reserved ids, written in dependency order by ``write``."""

    def __init__(self, ref: Ref, rng: random.Random, now: datetime.datetime):
        self.ref, self.rng, self.now = ref, rng, now
        self.dossiers: list[Dossier] = []
        self.candidates, self.nominations, self.submissions, self.attachments = [], [], [], []
        self.processes, self.tasks, self.previous, self.grants = [], [], [], []
        self.sessions, self.attendance, self.items, self.casts, self.receipts, self.votes = [], [], [], [], [], []
        self.decisions, self.decision_items, self.records, self.counters = [], [], [], {}
        self.events = []  # (created_at, kwargs): chained in time order by write()
        self.receipt_codes = set()

    # ---- people and nominations
    def candidate(self, unit):
        m, rng = self.ref.m, self.rng
        roll = rng.random()
        if roll < 0.85:
            given = rng.choice(GIVEN)
            gender = "female" if rng.random() < 0.5 else "male"
            middle = "Thị" if gender == "female" and rng.random() < 0.6 else rng.choice(MIDDLE)
            kind, name = "individual", f"{rng.choice(FAMILY)} {middle} {rng.choice(MIDDLE)} {given}"
        elif roll < 0.95:
            kind, gender, name = "collective", "", f"{rng.choice(COLLECTIVES)} {rng.randint(1, 30)} – {unit.name}"
        else:
            kind, gender, name = "household", "", f"Hộ gia đình ông/bà {rng.choice(FAMILY)} {rng.choice(GIVEN)}"
        person = m.Candidate(
            kind=kind,
            name=name,
            gender=gender,
            unit=unit,
            ethnicity=rng.choice(ETHNIC),
            birth_year=rng.randint(1955, 2000) if kind == "individual" else None,
            position="Công chức" if kind == "individual" else "",
        )
        from nominations.text import fold, person_sort_key, sort_key

        person.search_name = fold(name)
        person.sort_name = (person_sort_key if kind == "individual" else sort_key)(name)
        self.candidates.append(person)
        return person

    def add_dossier(self, d: Dossier):
        ref, m = self.ref, self.ref.m
        clerk = ref.users[f"cb-{d.unit.code}"]
        d.submission = m.Submission(
            campaign=d.campaign,
            unit=d.unit,
            title=f"Tờ trình đề nghị khen thưởng – {d.unit.name}",
            status=SUBMISSION_STATUS[d.stage],
            created_by=clerk,
            review_rounds=1 if (d.loop or d.stage in ("complete", "rereview")) else 0,
        )
        d.submission._created = d.t0
        self.submissions.append(d.submission)
        for _ in range(d.size):
            person = self.candidate(d.unit)
            nomination = m.Nomination(
                submission=d.submission,
                candidate=person,
                sort_name=person.sort_name,
                award_type=ref.award,
                achievement="Hoàn thành xuất sắc nhiệm vụ năm; tiêu biểu trong phong trào.",
            )
            d.nominations.append(nomination)
            self.nominations.append(nomination)
        self._outcomes(d)
        for nomination, outcome in zip(d.nominations, d.outcome, strict=True):
            nomination.status = outcome["status"]
            nomination.missing_items = outcome.get("missing", "")
            nomination.outcome_reason = outcome.get("reason", "")
        # Every dossier has its documents: the clerk attaches them before sending it on.
        self.attachments.append(self._attachment(d, None, "review_minutes", clerk))
        for nomination in d.nominations:
            self.attachments.append(self._attachment(d, nomination, "achievement_report", clerk))
        self.dossiers.append(d)

    def _attachment(self, d, nomination, kind, clerk):
        return self.ref.m.Attachment(
            submission=d.submission,
            nomination=nomination,
            kind=kind,
            file=SAMPLE_FILE,
            original_name="bao-cao.pdf",
            content_type="application/pdf",
            size=45,
            sha256="5a838678058f6de375e8635b5f2fea47a4e5f07cb1a882a44b10f39abc6f34ff",
            uploaded_by=clerk,
        )

    def _outcomes(self, d: Dossier):
        """Per nomination: its status now and the path that led there."""
        rng, out = self.rng, []
        for i in range(d.size):
            o = {}
            if d.stage in ("prepare", "head", "head_assigned"):
                o["status"] = "draft"
            elif d.stage in ("ward", "review"):
                o["status"] = "submitted"
            else:
                o["review"] = "accept" if (i == 0 or rng.random() < 0.85) else "reject"
                if d.stage == "rejected":
                    o["review"] = "reject"
                if d.stage in ("complete", "rereview") and i == 0:
                    o["review"] = "complete"
                if o["review"] == "reject":
                    o["status"], o["reason"] = "rejected", "Thành tích chưa đủ tiêu chuẩn"
                elif o["review"] == "complete":
                    o["status"] = "needs_completion" if d.stage == "complete" else "submitted"
                    o["missing"] = "Thiếu xác nhận của Ban công tác Mặt trận"
                else:
                    o["status"] = "accepted"
                if o["status"] == "accepted" and d.stage in ("chairman", "decided", "failed"):
                    passed = d.stage != "failed" and (i == 0 or rng.random() < 0.85)
                    o["council"] = "passed" if passed else "failed"
                    o["status"] = "council_passed" if passed else "council_failed"
                if d.stage in ("decided", "rejected", "failed"):
                    if o["status"] == "council_passed":
                        struck = i != 0 and rng.random() < 0.03
                        o["status"] = "not_awarded" if struck else "awarded"
                        o["struck"] = struck
                        if struck:
                            o["reason"] = "Đã được khen cùng thành tích"
                    else:
                        if o["status"] == "council_failed":
                            o["reason"] = "Hội đồng không thông qua"
                        o["finalised_from"] = o["status"]
                        o["status"] = "not_awarded"
            out.append(o)
        d.outcome = out

    # ---- flow rows
    def task(
        self,
        process,
        node,
        status,
        at,
        *,
        owner=None,
        perm=None,
        perm_obj=None,
        prev=(),
        data=None,
        token="start",
        done=True,
        scheduled=None,
    ):
        from viewflow.workflow.token import Token

        Task = self.ref.flows.NominationFlow.task_class
        task = Task(
            process=process,
            flow_task=node,
            flow_task_type=node.task_type,
            status=status,
            created=at,
            owner=owner,
            data=data or {},
            token=Token(token),
            scheduled=scheduled,
        )
        if perm:
            task.owner_permission = perm
            task.owner_permission_content_type = self.ref.ct[self.ref.m.OrgUnit]
            task.owner_permission_obj_pk = str(perm_obj.pk)
        if status in ("DONE", "STARTED") and node.task_type not in ("EXCLUSIVE_GATEWAY", "PARALLEL_GATEWAY"):
            task.started = at + datetime.timedelta(seconds=30)
        if status in ("DONE", "CANCELED") and done:
            task.finished = at + datetime.timedelta(minutes=1)
        task._prev = list(prev)
        self.tasks.append(task)
        return task

    def process(self, flow, artifact_model, artifact, at, *, status="NEW", data=None, finished=None):
        process = flow.process_class(
            flow_class=flow,
            status=status,
            created=at,
            finished=finished,
            data=data or {},
            artifact_content_type=self.ref.ct[artifact_model],
        )
        process._artifact = artifact
        self.processes.append(process)
        return process

    def share(self, d: Dossier, audience, unit, at=None):
        self.grants.append((d.submission, self.ref.group(audience, unit)))

    def flow_rows(self, d: Dossier):
        """The NominationFlow process and tasks for the dossier's state, as the flow writes them."""
        ref, F = self.ref, self.ref.flows.NominationFlow
        perms = ref.perms
        clerk, head = ref.users[f"cb-{d.unit.code}"], ref.users[f"tt-{d.unit.code}"]
        reviewer = ref.users[f"nv-{d.district.code}"]
        issuer, m = d.district, ref.m
        t = [d.t0]

        def at():
            t[0] += 4 * HOUR
            return t[0]

        data = {}
        finished = d.stage in ("decided", "rejected", "failed")
        p = d.process = self.process(
            F, m.Submission, d.submission, d.t0, status="DONE" if finished else "NEW", data=data
        )
        tasks = d.tasks
        self.share(d, perms.UNIT, d.unit, d.t0)
        self.event(
            d.t0,
            "submission.created",
            actor=clerk,
            target=d.submission,
            process=p,
            step="start",
            to_state="draft",
            data={"campaign": d.campaign.pk, "title": d.submission.title, "unit": d.unit.pk},
        )
        start = tasks["start"] = self.task(p, F.start, "DONE", d.t0, owner=clerk)
        for nomination in d.nominations:
            self.event(
                d.t0,
                "nomination.added",
                actor=clerk,
                target=nomination,
                scope_of=d,
                data={"kind": nomination.candidate.kind, "name": nomination.candidate.name, "award_type": ref.award.pk},
            )
        if d.stage == "prepare":
            tasks["prepare"] = self.task(p, F.prepare, "ASSIGNED", at(), owner=clerk, prev=[start])
            return
        prep = tasks["prepare"] = self.task(p, F.prepare, "DONE", at(), owner=clerk, prev=[start])
        self.event(
            t[0],
            "submission.sent_to_head",
            actor=clerk,
            target=d.submission,
            process=p,
            task=prep,
            step="prepare",
            from_state="draft",
            to_state="draft",
        )
        head_kw = dict(perm=perms.SUBMIT, perm_obj=d.unit, prev=[prep])
        if d.stage == "head":
            tasks["head_approval"] = self.task(p, F.head_approval, "NEW", at(), **head_kw)
            return
        if d.stage == "head_assigned":
            tasks["head_approval"] = self.task(p, F.head_approval, "ASSIGNED", at(), owner=head, **head_kw)
            return
        ha = tasks["head_approval"] = self.task(p, F.head_approval, "DONE", at(), owner=head, **head_kw)
        d.submission.submitted_at = t[0]
        self.event(
            t[0],
            "submission.submitted",
            actor=head,
            target=d.submission,
            process=p,
            task=ha,
            step="head_approval",
            from_state="draft",
            to_state="submitted",
        )
        gate = self.task(p, F.check_head, "DONE", t[0], prev=[ha])
        gate = self.task(p, F.route_review, "DONE", t[0], prev=[gate])
        if d.ward:
            ward_unit = d.unit.parent
            self.share(d, perms.WARD, ward_unit, t[0])
            kw = dict(perm=perms.WARD_REVIEW, perm_obj=ward_unit, prev=[gate])
            if d.stage == "ward":
                tasks["ward_review"] = self.task(p, F.ward_review, "NEW", at(), **kw)
                return
            wr_user = ref.users[f"td-{ward_unit.code}"]
            wr = tasks["ward_review"] = self.task(p, F.ward_review, "DONE", at(), owner=wr_user, **kw)
            self.event(
                t[0],
                "submission.ward_endorsed",
                actor=wr_user,
                target=d.submission,
                process=p,
                task=wr,
                step="ward_review",
                from_state="submitted",
                to_state="submitted",
            )
            gate = self.task(p, F.check_ward, "DONE", t[0], prev=[wr])
        self.share(d, perms.REVIEWERS, issuer, t[0])
        rkw = dict(perm=perms.REVIEW, perm_obj=issuer)
        if d.stage == "review":
            # Half of the appraisals waiting have been taken by the reviewer already.
            taken = self.rng.random() < 0.5
            tasks["review"] = self.task(
                p, F.review, "ASSIGNED" if taken else "NEW", at(), owner=reviewer if taken else None, prev=[gate], **rkw
            )
            return
        review = tasks["review"] = self.task(p, F.review, "DONE", at(), owner=reviewer, prev=[gate], **rkw)
        data["last_reviewer_id"] = reviewer.pk
        looped = d.loop or d.stage in ("complete", "rereview")
        for nomination, o in zip(d.nominations, d.outcome, strict=True):
            first = "complete" if (looped and nomination is d.nominations[0]) else o["review"]
            to = {"accept": "accepted", "complete": "needs_completion", "reject": "rejected"}[first]
            self.event(
                t[0],
                "nomination.reviewed",
                actor=reviewer,
                target=nomination,
                scope_of=d,
                process=p,
                task=review,
                step="review",
                from_state="submitted",
                to_state=to,
                data={"decision": first},
            )
        self.event(
            t[0],
            "submission.updated",
            actor=reviewer,
            target=d.submission,
            process=p,
            task=review,
            step="review",
            from_state="submitted",
            to_state="in_review",
            data={"review_rounds": 1 if looped else 0},
        )
        gate = self.task(p, F.check_review, "DONE", t[0], prev=[review])
        if looped:
            data["review_decision"] = "complete"
            if d.stage == "complete":
                tasks["complete"] = self.task(p, F.complete, "ASSIGNED", at(), owner=clerk, prev=[gate])
                return
            comp = tasks["complete"] = self.task(p, F.complete, "DONE", at(), owner=clerk, prev=[gate])
            self.event(
                t[0],
                "nomination.updated",
                actor=clerk,
                target=d.nominations[0],
                scope_of=d,
                process=p,
                task=comp,
                step="complete",
                from_state="needs_completion",
                to_state="submitted",
            )
            self.event(
                t[0],
                "submission.completed",
                actor=clerk,
                target=d.submission,
                process=p,
                task=comp,
                step="complete",
                from_state="in_review",
                to_state="in_review",
            )
            if d.stage == "rereview":
                tasks["review"] = self.task(p, F.review, "ASSIGNED", at(), owner=reviewer, prev=[comp], **rkw)
                return
            review = tasks["review"] = self.task(p, F.review, "DONE", at(), owner=reviewer, prev=[comp], **rkw)
            to = d.outcome[0]["review"]
            self.event(
                t[0],
                "nomination.reviewed",
                actor=reviewer,
                target=d.nominations[0],
                scope_of=d,
                process=p,
                task=review,
                step="review",
                from_state="submitted",
                to_state={"accept": "accepted", "reject": "rejected"}[to],
                data={"decision": to},
            )
            self.event(
                t[0],
                "submission.updated",
                actor=reviewer,
                target=d.submission,
                process=p,
                task=review,
                step="review",
                from_state="in_review",
                to_state="in_review",
                data={"review_rounds": 1},
            )
            gate = self.task(p, F.check_review, "DONE", t[0], prev=[review])
        data["review_decision"] = "accept"
        gate = self.task(p, F.check_accepted, "DONE", t[0], prev=[gate])
        if d.stage == "rejected":
            self._finish(d, p, gate, at())
            return
        self.share(d, perms.COUNCIL, issuer, t[0])
        if d.stage == "council":
            tasks["council"] = self.task(p, F.council, "NEW", at(), prev=[gate])
            return
        # The council's session concluded at d.council_at; the Handle ran then.
        council = tasks["council"] = self.task(p, F.council, "DONE", at(), prev=[gate])
        council.started = council.finished = d.council_at + 2 * HOUR
        self.event(
            council.started,
            "submission.updated",
            target=d.submission,
            process=p,
            task=council,
            step="council",
            from_state="in_review",
            to_state="in_council",
            data={
                "council_results": {
                    str(n.pk): o["status"] if "council" not in o else f"council_{o['council']}"
                    for n, o in zip(d.nominations, d.outcome, strict=True)
                }
            },
        )
        gate = self.task(p, F.check_council, "DONE", council.finished, prev=[council])
        if d.stage == "failed":
            self._finish(d, p, gate, council.finished)
            return
        fn = self.task(p, F.to_chairman, "DONE", council.finished, prev=[gate])
        self.share(d, perms.LEADERS, issuer, council.finished)
        self.event(
            council.finished,
            "submission.updated",
            target=d.submission,
            process=p,
            task=fn,
            step="to_chairman",
            from_state="in_council",
            to_state="at_chairman",
        )
        if d.stage == "chairman":
            tasks["decision"] = self.task(p, F.decision, "NEW", council.finished, prev=[fn])
            return
        handle = tasks["decision"] = self.task(p, F.decision, "DONE", council.finished, prev=[fn])
        handle.started = handle.finished = d.decided_at + HOUR
        self._finish(d, p, handle, d.decided_at + HOUR)

    def _finish(self, d, p, prev, at):
        F = self.ref.flows.NominationFlow
        fn = self.task(p, F.finish, "DONE", at, prev=[prev])
        for nomination, o in zip(d.nominations, d.outcome, strict=True):
            if "finalised_from" in o:
                self.event(
                    at,
                    "nomination.finalised",
                    target=nomination,
                    scope_of=d,
                    process=p,
                    task=fn,
                    step="finish",
                    from_state=o["finalised_from"],
                    to_state="not_awarded",
                    comment=o.get("reason", ""),
                )
        before = {"decided": "at_chairman", "rejected": "in_review", "failed": "in_council"}[d.stage]
        self.event(
            at,
            "submission.decided",
            target=d.submission,
            process=p,
            task=fn,
            step="finish",
            from_state=before,
            to_state="decided",
        )
        if hasattr(d.submission, "notified_at"):  # the outcome notice, sent after the dossier is decided
            d.submission.notified_at = at + datetime.timedelta(minutes=5)
            self.event(
                d.submission.notified_at,
                "submission.notified",
                target=d.submission,
                data={"recipients": [f"cb-{d.unit.code}@bench.invalid", f"tt-{d.unit.code}@bench.invalid"]},
            )
        end = self.task(p, F.end, "DONE", at, prev=[fn])
        p.finished = end.finished

    # ---- council sessions
    def session(self, district, campaign, nominations, held_at, *, open_=False):
        """A council session on ``nominations`` (pairs of nomination and outcome): closed with votes, or open."""
        ref, m, C = self.ref, self.ref.m, self.ref.flows.CouncilFlow
        council = ref.council[district.pk]
        seats = ref.members[council.pk]
        voters = [s for s in seats if s.position != "secretary"]
        secretary = next(s for s in seats if s.position == "secretary").user
        session = m.CouncilSession(
            council=council,
            campaign=campaign,
            title=f"Phiên họp xét khen thưởng {held_at:%d/%m/%Y}",
            held_on=held_at.date(),
            place="Hội trường UBND",
            secret=True,
            opened_by=secretary,
            status="voting" if open_ else "closed",
        )
        self.sessions.append(session)
        self.attendance += [m.Attendance(session=session, member=s, present=True) for s in voters]
        items = []
        for number, (nomination, o) in enumerate(nominations, start=1):
            item = m.AgendaItem(session=session, nomination=nomination, number=number)
            if not open_:
                n = len(voters)
                agree = self.rng.randint(22, n) if o["council"] == "passed" else self.rng.randint(0, 20)
                disagree = self.rng.randint(0, n - agree)
                item.agree, item.disagree, item.abstain, item.base = agree, disagree, n - agree - disagree, n
                item.result = "passed" if o["council"] == "passed" else "failed"
            items.append(item)
        self.items += items
        p = self.process(C, m.CouncilSession, session, held_at, status="NEW" if open_ else "DONE")
        start = self.task(p, C.start, "DONE", held_at, owner=secretary)
        self.event(
            held_at,
            "council.session_opened",
            actor=secretary,
            target=session,
            process=p,
            task=start,
            step="start",
            to_state="voting",
            scope_of_session=session,
            data={
                "agenda": [n.pk for n, _o in nominations],
                "present": sorted(s.pk for s in voters),
                "members": [s.pk for s in voters],
            },
        )
        split = self.task(p, C.voting, "DONE", held_at, prev=[start])
        split._children = []
        votes = []
        for i, seat in enumerate(voters, start=1):
            vote = self.task(
                p,
                C.vote,
                "ASSIGNED" if open_ else "DONE",
                held_at + i * datetime.timedelta(minutes=1),
                owner=seat.user,
                prev=[split],
                data={"member_id": seat.pk, "user_id": seat.user.pk},
            )
            vote._token_of, vote._branch = split, i
            votes.append(vote)
        close = self.task(
            p, C.close_voting, "ASSIGNED" if open_ else "CANCELED", held_at, owner=secretary, prev=[split]
        )
        close._token_of, close._branch = split, len(voters) + 1
        deadline_at = max(held_at + 8 * HOUR, self.now + 8 * HOUR) if open_ else held_at + 8 * HOUR
        timer = self.task(
            p, C.deadline, "SCHEDULED" if open_ else "CANCELED", held_at, prev=[split], scheduled=deadline_at
        )
        timer._token_of, timer._branch = split, len(voters) + 2
        if open_:
            return session, p
        closed_at = held_at + HOUR
        for seat, vote in zip(voters, votes, strict=True):
            self.casts.append(m.BallotCast(session=session, round=1, member=seat))
            self.receipts.append(m.BallotReceipt(session=session, round=1, code=self._receipt()))
            self.event(
                vote.created,
                "council.ballot_cast",
                actor=seat.user,
                target=session,
                process=p,
                task=vote,
                step="vote",
                scope_of_session=session,
                data={"round": 1, "member": seat.pk, "written": False},
            )
        for item in items:
            self.votes.append((item, item.agree, item.disagree, item.abstain))
        join = self.task(p, C.voting_done, "DONE", closed_at, prev=votes)
        count = self.task(p, C.count, "DONE", closed_at, prev=[join])
        self.event(
            closed_at,
            "council.voting_closed",
            target=session,
            process=p,
            task=count,
            step="count",
            scope_of_session=session,
            from_state="voting",
            to_state="closed",
            data={"round": 1, "results": {}},
        )
        gate = self.task(p, C.check_undecided, "DONE", closed_at, prev=[count])
        conclude = self.task(p, C.conclude, "DONE", closed_at, prev=[gate])
        for (nomination, o), item in zip(nominations, items, strict=True):
            self.event(
                closed_at,
                "nomination.council_result",
                target=nomination,
                process=p,
                task=conclude,
                step="conclude",
                scope_of_nomination=nomination,
                from_state="accepted",
                to_state=f"council_{o['council']}",
                data={"session": session, "item": item},
            )
        end = self.task(p, C.end, "DONE", closed_at, prev=[conclude])
        p.finished = end.finished
        return session, p

    def _receipt(self):
        while True:
            code = secrets.token_hex(5).upper()
            if code not in self.receipt_codes:
                self.receipt_codes.add(code)
                return code

    # ---- decisions
    def decision(self, district, campaign, entries, at, *, signed=True):
        """A decision on ``entries`` (nomination, outcome): signed (numbered, awards recorded) or a draft to sign."""
        ref, m, D = self.ref, self.ref.m, self.ref.flows.DecisionFlow
        secretary = ref.users[f"tk-{district.code}"]
        chairman = ref.users[f"ct-{district.code}"]
        day = at.date()
        rule, salary = ref.rule_set_on(ref.award, day), ref.base_salary_on(day)
        from nominations.rules import prize_amount
        from nominations.services.award_records import award_record

        decision = m.Decision(
            issuer=district,
            campaign=campaign,
            award_type=ref.award,
            drafted_by=secretary,
            subject=f"Về việc tặng Giấy khen cho các tập thể, cá nhân – {campaign.title}",
        )
        if signed:
            key = (district.pk, day.year)
            self.counters[key] = self.counters.get(key, 0) + 1
            decision.number, decision.year = self.counters[key], day.year
            decision.status, decision.decision_date, decision.signed_by = "signed", day, chairman
        self.decisions.append(decision)
        for nomination, o in entries:
            struck = o.get("struck", False)
            item = m.DecisionItem(
                decision=decision,
                nomination=nomination,
                struck=struck,
                strike_reason=o.get("reason", "") if struck else "",
                prize_amount=0 if struck else prize_amount(rule, nomination.candidate.kind, salary),
            )
            self.decision_items.append(item)
            if signed and not struck:
                unit = nomination.submission.unit
                self.records.append(
                    award_record(
                        nomination.candidate,
                        award_type=ref.award,
                        campaign=campaign,
                        decision=decision,
                        decision_number=f"{decision.number}/QĐ-UBND",
                        decision_date=day,
                        issuer=district,
                        unit=unit,
                        unit_name=unit.name,
                        prize_amount=item.prize_amount,
                    )
                )
        p = self.process(D, m.Decision, decision, at - 3 * HOUR, status="DONE" if signed else "NEW")
        start = self.task(p, D.start, "DONE", at - 3 * HOUR, owner=secretary)
        self.event(
            at - 3 * HOUR,
            "decision.drafted",
            actor=secretary,
            target=decision,
            process=p,
            task=start,
            step="start",
            to_state="draft",
            scope_of_decision=decision,
            data={"nominations": [n.pk for n, _o in entries]},
        )
        kw = dict(perm=ref.perms.APPROVE, perm_obj=district, prev=[start])
        if not signed:
            self.task(p, D.sign, "NEW", at - 3 * HOUR, **kw)
            return decision
        sign = self.task(p, D.sign, "DONE", at - 2 * HOUR, owner=chairman, **kw)
        for nomination, o in entries:
            self.event(
                at,
                "nomination.finalised",
                target=nomination,
                process=p,
                task=sign,
                step="sign",
                scope_of_nomination=nomination,
                from_state="council_passed",
                to_state=o["status"],
                comment=o.get("reason", "") if o.get("struck") else "",
                data={"decision": f"{decision.number}/QĐ-UBND"},
            )
        self.event(
            at,
            "decision.signed",
            actor=chairman,
            target=decision,
            process=p,
            task=sign,
            step="sign",
            scope_of_decision=decision,
            from_state="draft",
            to_state="signed",
            data={"number": f"{decision.number}/QĐ-UBND", "delegation": None, "struck": {}},
        )
        gate = self.task(p, D.check_signed, "DONE", at, prev=[sign])
        issue = self.task(p, D.issue, "DONE", at, prev=[gate])
        end = self.task(p, D.end, "DONE", at, prev=[issue])
        p.finished = end.finished
        return decision

    # ---- audit
    def event(self, at, event_type, **kw):
        self.events.append((at, len(self.events), event_type, kw))

    # ---- writing
    def write(self, *, audit=True, log=print):
        from django.db import connection
        from guardian.models import GroupObjectPermission

        m, ref = self.ref.m, self.ref
        Task = ref.flows.NominationFlow.task_class
        Process = ref.flows.NominationFlow.process_class.__mro__[1]  # viewflow's concrete Process
        clock = time.perf_counter()

        def done(what, n):
            nonlocal clock
            now = time.perf_counter()
            log(f"  {what:<28} {n:>10,} rows  {now - clock:6.1f} s")
            clock = now

        for s in with_ids(m.Submission, self.submissions):
            s.created_at = s._created
        bulk(m.Submission, self.submissions)
        # auto_now_add overrides created_at on insert: set the planned times afterwards, in one statement.
        _set_times(m.Submission, "created_at", [(s.pk, s._created) for s in self.submissions])
        done("submissions", len(self.submissions))
        bulk(m.Candidate, with_ids(m.Candidate, self.candidates))
        done("candidates", len(self.candidates))
        for n in with_ids(m.Nomination, self.nominations):
            n.submission_id, n.candidate_id = n.submission.pk, n.candidate.pk
        bulk(m.Nomination, self.nominations)
        done("nominations", len(self.nominations))
        for a in self.attachments:
            a.submission_id = a.submission.pk
            a.nomination_id = a.nomination.pk if a.nomination else None
        bulk(m.Attachment, self.attachments)
        done("attachments", len(self.attachments))

        bulk(m.CouncilSession, with_ids(m.CouncilSession, self.sessions))
        for obj in self.attendance:
            obj.session_id = obj.session.pk
        bulk(m.Attendance, self.attendance)
        for item in with_ids(m.AgendaItem, self.items):
            item.session_id, item.nomination_id = item.session.pk, item.nomination.pk
        bulk(m.AgendaItem, self.items)
        for obj in self.casts + self.receipts:
            obj.session_id = obj.session.pk
        bulk(m.BallotCast, self.casts)
        bulk(m.BallotReceipt, self.receipts)
        done("sessions, items, ballots", len(self.sessions) + len(self.items) + len(self.casts))
        rows = (
            (uuid.uuid4(), item.pk, 1, choice)
            for item, agree, disagree, abstain in self.votes
            for choice in self._shuffled(["agree"] * agree + ["disagree"] * disagree + ["abstain"] * abstain)
        )
        done("secret votes (COPY)", copy_rows("nominations_secretvote", ["id", "item_id", "round", "choice"], rows))

        bulk(m.Decision, with_ids(m.Decision, self.decisions))
        for item in self.decision_items:
            item.decision_id, item.nomination_id = item.decision.pk, item.nomination.pk
        bulk(m.DecisionItem, self.decision_items)
        for r in self.records:
            r.candidate_id, r.decision_id = r.candidate.pk, r.decision.pk if r.decision else None
        bulk(m.AwardRecord, self.records)
        # The TT 02 tallies of these records, as services.award_records.award_records_create keeps them.
        from nominations.services.award_records import tally_refresh

        tally_refresh(self.records)
        for (issuer_id, year), last in self.counters.items():
            m.DocumentCounter.objects.update_or_create(
                issuer_id=issuer_id, doc_type="QĐ", year=year, defaults={"last_number": last}
            )
        done("decisions, items, awards", len(self.decisions) + len(self.decision_items) + len(self.records))

        for p in with_ids(Process, self.processes):
            p.artifact_object_id = p._artifact.pk
        bulk(Process, self.processes)
        done("processes", len(self.processes))
        with_ids(Task, self.tasks)
        for task in self.tasks:
            task.process_id = task.process.pk
            split = getattr(task, "_token_of", None)
            if split is not None:
                from viewflow.workflow.token import Token

                task.token = Token(f"start/{split.pk}_{task._branch}")
        bulk(Task, self.tasks)
        done("tasks", len(self.tasks))
        links = ((t.pk, p.pk) for t in self.tasks for p in t._prev)
        done("task.previous (COPY)", copy_rows("viewflow_task_previous", ["from_task_id", "to_task_id"], links))
        grants = [
            GroupObjectPermission(
                group=g, permission=ref.view_submission, content_type=ref.ct[m.Submission], object_pk=str(s.pk)
            )
            for s, g in self.grants
        ]
        bulk(GroupObjectPermission, grants)
        done("guardian grants", len(grants))
        if audit:
            done("audit events (chained, COPY)", self._write_audit())
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    def _shuffled(self, values):
        self.rng.shuffle(values)
        return values

    def _write_audit(self) -> int:
        from django.conf import settings

        from workflow import audit
        from workflow.models import AuditEvent

        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or audit.GENESIS_HASH
        self.events.sort(key=lambda e: (e[0], e[1]))
        columns = [
            "created_at",
            "actor_id",
            "actor_name",
            "event_type",
            "scope",
            "target_type",
            "target_id",
            "process_id",
            "task_id",
            "step",
            "from_state",
            "to_state",
            "comment",
            "changes",
            "data",
            "ip",
            "prev_hash",
            "hash",
            "key_id",
        ]
        previous_at = None
        key_id = settings.THIDUA_AUDIT_KEY_ID

        def rows():
            nonlocal last, previous_at
            for at, _seq, event_type, kw in self.events:
                # Strictly increasing times along ids, as record() guarantees under its lock.
                if previous_at is not None and at <= previous_at:
                    at = previous_at + datetime.timedelta(microseconds=1)
                previous_at = at
                target = kw.get("target")
                actor = kw.get("actor")
                if "scope_of" in kw:
                    scope = f"submission:{kw['scope_of'].submission.pk}"
                elif "scope_of_nomination" in kw:
                    scope = f"submission:{kw['scope_of_nomination'].submission_id}"
                elif "scope_of_session" in kw:
                    scope = f"council_session:{kw['scope_of_session'].pk}"
                elif "scope_of_decision" in kw:
                    scope = f"decision:{kw['scope_of_decision'].pk}"
                else:
                    scope = f"submission:{target.pk}"
                data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in (kw.get("data") or {}).items()}
                event = AuditEvent(
                    created_at=at,
                    actor_id=actor.pk if actor else None,
                    actor_name=actor.username if actor else "",
                    event_type=event_type,
                    scope=scope,
                    target_type=target._meta.label_lower,
                    target_id=str(target.pk),
                    process_id=kw["process"].pk if kw.get("process") else None,
                    task_id=kw["task"].pk if kw.get("task") else None,
                    step=kw.get("step", ""),
                    from_state=kw.get("from_state", ""),
                    to_state=kw.get("to_state", ""),
                    comment=kw.get("comment", ""),
                    changes={},
                    data=audit._json_safe(data),
                    ip=None,
                    prev_hash=last,
                    key_id=key_id,
                )
                event.hash = audit.compute_hash(event)
                last = event.hash
                yield (
                    event.created_at,
                    event.actor_id,
                    event.actor_name,
                    event.event_type,
                    event.scope,
                    event.target_type,
                    event.target_id,
                    event.process_id,
                    event.task_id,
                    event.step,
                    event.from_state,
                    event.to_state,
                    event.comment,
                    "{}",
                    json.dumps(event.data, ensure_ascii=False),
                    None,
                    event.prev_hash,
                    event.hash,
                    event.key_id,
                )

        return copy_rows("workflow_auditevent", columns, list(rows()))


def _set_times(model, column, pairs):
    from django.db import connection

    if not pairs:
        return
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_times (id bigint, at timestamptz)")
        copy_rows("bench_times", ["id", "at"], pairs)
        cursor.execute(f"UPDATE {model._meta.db_table} t SET {column} = b.at FROM bench_times b WHERE t.id = b.id")
        cursor.execute("DROP TABLE bench_times")


# --------------------------------------------------------------------------- the data set


def _sizes(total: int, rng) -> list[int]:
    sizes = []
    while total > 0:
        k = min(total, rng.choices([1, 2, 3, 4, 5, 6, 7, 8], weights=[8, 12, 15, 18, 16, 13, 10, 8])[0])
        sizes.append(k)
        total -= k
    return sizes


def generate(nominations: int, seed: int = 7, audit: bool = True, log=print) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import transaction
    from django.utils import timezone

    from nominations.demo import load_award_rules

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        award, _honour = load_award_rules()
        log("organisation, people, grants …")
        units = build_org()
        build_people(units, make_password(common.PASSWORD))
        districts = [u for u in units if u.level == 2]
        campaigns = build_campaigns(districts, award, today)
        log(f"  {len(units)} units, people and grants in {time.perf_counter() - started:.1f} s")
        if not default_storage.exists(SAMPLE_FILE):
            default_storage.save(SAMPLE_FILE, ContentFile(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))

        ref = Ref()
        plan = Plan(ref, rng, now)
        proposing = {d.pk: [u for u in units if u.path.startswith(d.path) and u.level > 2] for d in districts}
        tz = datetime.UTC
        log("planning dossiers …")
        for size in _sizes(nominations, rng):
            district = rng.choice(districts)
            unit = rng.choice(proposing[district.pk])
            ward = unit.parent.kind in ("ward", "commune")
            old, current = campaigns[district.pk]
            if rng.random() < 0.5:
                campaign, stages = old, OLD_STAGES
                t0 = datetime.datetime(2025, 8, 1, 1, tzinfo=tz) + rng.uniform(0, 60) * DAY
            else:
                campaign, stages = current, CURRENT_STAGES
                t0 = now - 50 * DAY + rng.uniform(0, 40) * DAY
            stage = rng.choices(list(stages), weights=list(stages.values()))[0]
            if stage == "ward" and not ward:
                stage = "review"
            if stage == "head" and rng.random() < 0.3:
                stage = "head_assigned"
            loop = stage in ("council", "chairman", "decided", "failed") and rng.random() < 0.1
            plan.add_dossier(
                Dossier(
                    unit=unit, campaign=campaign, district=district, stage=stage, size=size, t0=t0, ward=ward, loop=loop
                )
            )

        # Council sessions: closed ones for dossiers past the council, one open session per district.
        log("planning sessions and decisions …")
        groups = {}
        for d in plan.dossiers:
            if d.stage in ("chairman", "decided", "failed"):
                entries = [(n, o) for n, o in zip(d.nominations, d.outcome, strict=True) if "council" in o]
                kind = "chairman" if d.stage == "chairman" else "done"
                groups.setdefault((d.district.pk, d.campaign.pk, kind), []).append((d, entries))
        session_no = 0
        for (district_pk, campaign_pk, kind), dossiers in sorted(groups.items()):
            district = next(x for x in districts if x.pk == district_pk)
            campaign = next(c for c in campaigns[district_pk] if c.pk == campaign_pk)
            base = (
                datetime.datetime(2025, 12, 5, 2, tzinfo=tz)
                if campaign.status == "closed"
                else now - (4 if kind == "done" else 3) * DAY
            )
            chunk, chunk_dossiers = [], []
            for d, entries in dossiers + [(None, None)]:
                if d is not None:
                    chunk += entries
                    chunk_dossiers.append(d)
                if chunk and (d is None or len(chunk) >= SESSION_SIZE):
                    session_no += 1
                    held = base.replace(hour=2) + (session_no % 3) * HOUR
                    plan.session(district, campaign, chunk, held)
                    decided = held + 5 * DAY if campaign.status == "closed" else held + 2 * DAY
                    for dd in chunk_dossiers:
                        dd.council_at, dd.decided_at = held + HOUR, decided
                    passed = [(n, o) for n, o in chunk if o["council"] == "passed"]
                    if kind == "done" and passed:
                        plan.decision(district, campaign, passed, decided)
                    chunk, chunk_dossiers = [], []
        # Per district: a draft decision waiting for the chairman, and an open session with ballots assigned.
        for district in districts:
            old, current = campaigns[district.pk]
            waiting = [
                (n, o)
                for d in plan.dossiers
                if d.district is district and d.stage == "chairman"
                for n, o in zip(d.nominations, d.outcome, strict=True)
                if o["status"] == "council_passed"
            ]
            if waiting:
                plan.decision(district, current, waiting[:100], now - DAY, signed=False)
            accepted = [
                (n, o)
                for d in plan.dossiers
                if d.district is district and d.stage == "council" and d.campaign is current
                for n, o in zip(d.nominations, d.outcome, strict=True)
                if o["status"] == "accepted"
            ]
            if accepted:
                plan.session(district, current, accepted[:OPEN_AGENDA], now - 2 * HOUR, open_=True)
        for d in plan.dossiers:
            plan.flow_rows(d)
        # Prior award history: a fifth of the people were awarded before.
        from nominations.services.award_records import award_record

        by_code = {u.code: u for u in units}
        for person in rng.sample(plan.candidates, len(plan.candidates) // 5):
            district = by_code[person.unit.path.split("/")[1]]
            year = rng.choice([2022, 2023, 2024])
            plan.records.append(
                award_record(
                    person,
                    award_type=award,
                    decision_number=f"{rng.randint(1, 400)}/QĐ-UBND",
                    decision_date=datetime.date(year, 12, rng.randint(1, 28)),
                    issuer=district,
                    unit=person.unit,
                    unit_name=person.unit.name,
                    prize_amount=540000,
                )
            )
        log(f"  planned in {time.perf_counter() - started:.1f} s; writing …")
        plan.write(audit=audit, log=log)
    write_done = time.perf_counter()
    log("VACUUM ANALYZE …")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    total = time.perf_counter() - started
    return {
        "seconds": total,
        "write_seconds": write_done - started,
        "dossiers": len(plan.dossiers),
        "nominations": len(plan.nominations),
        "tasks": len(plan.tasks),
        "processes": len(plan.processes),
        "events": len(plan.events),
        "votes": sum(a + b + c for _i, a, b, c in plan.votes),
        "sessions": len(plan.sessions),
        "decisions": len(plan.decisions),
    }


# --------------------------------------------------------------------------- fresh dossiers for other benchmarks


def make_dossiers(stage: str, count: int, *, size: int = 3, units=None, seed: int = 1, audit: bool = True) -> list:
    """``count`` new dossiers of ``size`` nominations in ``stage`` ("prepare": the clerk's task assigned, documents
    attached; "head_assigned": the head holds the signing task), in the current campaigns. Returns the Dossiers."""
    from django.db import transaction
    from django.utils import timezone

    from nominations.models import Campaign, OrgUnit

    rng = random.Random(seed + int(time.time()))
    with transaction.atomic():
        ref = Ref()
        plan = Plan(ref, rng, timezone.now())
        units = units or list(OrgUnit.objects.filter(level__gt=2, path__startswith="bp/").select_related("parent"))
        current = {c.issuer_id: c for c in Campaign.objects.filter(code__endswith="-hien-tai")}
        district_of = {u.code: u for u in OrgUnit.objects.filter(level=2, path__startswith="bp/")}
        for i in range(count):
            unit = units[i % len(units)]
            district = district_of[unit.path.split("/")[1]]
            plan.add_dossier(
                Dossier(
                    unit=unit,
                    campaign=current[district.pk],
                    district=district,
                    stage=stage,
                    size=size,
                    t0=timezone.now() - HOUR,
                    ward=unit.parent.kind in ("ward", "commune"),
                )
            )
        for d in plan.dossiers:
            plan.flow_rows(d)
        plan.write(audit=audit, log=lambda *_: None)
    return plan.dossiers


def is_generated() -> bool:
    from nominations.models import OrgUnit

    return OrgUnit.objects.filter(code="bp").exists()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nominations", type=int, default=100_000)
    parser.add_argument("--reset", action="store_true", help="drop and recreate the bench database first")
    parser.add_argument("--no-audit", action="store_true", help="skip the (chained) audit trail")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    common.ensure_database(drop=args.reset)
    t = time.perf_counter()
    common.setup_django(migrate=True)
    common.header("bench.generate: province-size data set")
    print(f"database {common.BENCH_DB}: migrated in {time.perf_counter() - t:.1f} s")
    if is_generated():
        print("already generated (OrgUnit 'bp' exists): nothing to do; use --reset to rebuild")
        return 0
    result = generate(args.nominations, seed=args.seed, audit=not args.no_audit)
    print(
        f"GENERATED {result['nominations']:,} nominations in {result['dossiers']:,} dossiers, "
        f"{result['processes']:,} processes, {result['tasks']:,} tasks, {result['sessions']} sessions "
        f"({result['votes']:,} secret votes), {result['decisions']} decisions, {result['events']:,} audit events"
    )
    print(f"TIME generate: {result['seconds']:.1f} s (rows written after {result['write_seconds']:.1f} s; then VACUUM)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
