"""Completion rounds, read from the dossier's trail: what the unit changed since the reviewer's last appraisal,
and the reviewer's checklist the unit works from.

The trail is the record: every change of a nomination (``nomination.updated`` with its before/after) and of
its files (added, removed, replaced) is an event of the dossier's scope, so a round's changes are the events
after the reviewer's last appraisal of that nomination. Three queries, whatever the number of nominations.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from workflow import audit

from ..models import AwardType, Candidate, Nomination, Submission

FILE_EVENTS = (audit.ATTACHMENT_ADDED, audit.ATTACHMENT_REMOVED, audit.ATTACHMENT_REPLACED)


@dataclass
class FileChange:
    """One file event: ``old``/``new`` are (attachment id, name); a removal has no ``new``, an addition no ``old``."""

    action: str  # "added", "removed" or "replaced"
    old: tuple | None = None
    new: tuple | None = None


@dataclass
class RoundChanges:
    """What changed for one nomination (``nomination`` None: the dossier's shared files) since its appraisal."""

    nomination: Nomination | None
    fields: list = field(default_factory=list)  # [(label, before, after)] in display form
    files: list = field(default_factory=list)  # [FileChange]

    @property
    def empty(self) -> bool:
        return not self.fields and not self.files


def _label(name: str) -> str:
    model = Nomination if name in ("award_type", "achievement") else Candidate
    return str(model._meta.get_field(name).verbose_name).capitalize()


def _shown(name: str, value, award_names: dict) -> str:
    """A field's value as the reviewer reads it: names, choice labels, Có/Không, never ids."""
    if value in (None, ""):
        return "—"
    if name == "award_type":
        return award_names.get(value, str(value))
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    model = Nomination if name == "achievement" else Candidate
    choices = dict(model._meta.get_field(name).flatchoices)
    return str(choices.get(value, value))


def _merge_fields(events) -> dict:
    """{field: [first before, last after]} over a run of ``nomination.updated`` events."""
    merged = {}
    for event in events:
        for name, (before, after) in (event.changes or {}).items():
            merged.setdefault(name, [before, after])[1] = after
    return {name: pair for name, pair in merged.items() if pair[0] != pair[1]}


def _file_change(event) -> FileChange:
    data = event.data or {}
    name = data.get("original_name", "")
    if event.event_type == audit.ATTACHMENT_ADDED:
        return FileChange("added", new=(int(event.target_id), name))
    if event.event_type == audit.ATTACHMENT_REMOVED:
        return FileChange("removed", old=(data["attachment"], name))
    return FileChange("replaced", old=(data["attachment"], name), new=(data["replaced_by"], data.get("new_name", "")))


def changes_since_review(submission: Submission) -> list[RoundChanges]:
    """Per appraised nomination (then the shared files), what the unit changed since the last appraisal.

    Empty before the first completion round. A file added in place of another is shown once, as replaced.
    """
    if not submission.review_rounds:
        return []
    scope = submission.audit_scope
    reviewed = dict(
        audit.timeline(scope)
        .filter(event_type=audit.NOMINATION_REVIEWED)
        .order_by("target_id", "id")
        .values_list("target_id", "id")
    )  # the last appraisal of each nomination wins
    if not reviewed:
        return []
    since = min(reviewed.values())
    events = list(audit.timeline(scope).filter(id__gt=since, event_type__in=(audit.NOMINATION_UPDATED, *FILE_EVENTS)))
    nominations = {
        str(n.pk): n for n in submission.nominations.select_related("candidate").filter(pk__in=list(reviewed))
    }
    award_names = dict(AwardType.objects.values_list("pk", "name"))
    replacements = {e.data.get("replaced_by") for e in events if e.event_type == audit.ATTACHMENT_REPLACED}
    rounds = {key: RoundChanges(nomination) for key, nomination in nominations.items()}
    shared = RoundChanges(None)
    last_appraisal = max(reviewed.values())
    for key, changes in rounds.items():
        updates = [e for e in events if e.event_type == audit.NOMINATION_UPDATED and e.target_id == key]
        updates = [e for e in updates if e.id > reviewed[key]]
        for name, (before, after) in _merge_fields(updates).items():
            changes.fields.append((_label(name), _shown(name, before, award_names), _shown(name, after, award_names)))
    for event in events:
        if event.event_type not in FILE_EVENTS:
            continue
        if event.event_type == audit.ATTACHMENT_ADDED and int(event.target_id) in replacements:
            continue
        owner = (event.data or {}).get("nomination")
        target = rounds.get(str(owner)) if owner is not None else shared
        if target is None or event.id <= (reviewed.get(str(owner)) or last_appraisal):
            continue
        target.files.append(_file_change(event))
    return [*rounds.values(), shared]


def return_notice(submission: Submission) -> dict | None:
    """The banner of a dossier sent back to the unit: who sent it, why, and (completion) what is missing.

    ``{"reason": str, "by": name, "checklist": [(nomination, missing items)], "round": n}`` or None.
    """
    last = (
        audit.timeline(submission.audit_scope)
        .filter(target_type="nominations.submission")
        .exclude(event_type=audit.SUBMISSION_CREATED)
        .order_by("-id")
        .first()
    )
    if last is None:
        return None
    by = (last.actor.get_full_name() or last.actor.username) if last.actor else last.actor_name
    if submission.status == Submission.Status.DRAFT and last.event_type == audit.SUBMISSION_RETURNED:
        return {"reason": last.comment, "by": by, "checklist": [], "round": 0}
    waiting = [
        (n, n.missing_items)
        for n in submission.nominations.select_related("candidate").filter(status=Nomination.Status.NEEDS_COMPLETION)
    ]
    if submission.status != Submission.Status.IN_REVIEW or not waiting:
        return None
    return {"reason": last.comment, "by": by, "checklist": waiting, "round": submission.review_rounds}
