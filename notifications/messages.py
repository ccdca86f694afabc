"""The words of each notification, in Vietnamese whatever the recipient's browser says."""

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from nominations.models import Nomination, Submission
from workflow import audit

from .models import Notification

Kind = Notification.Kind


# The flows' URL namespaces (config/urls.py via workflow.urls).
NAMESPACES = {"NominationFlow": "nomination", "CouncilFlow": "council", "DecisionFlow": "decision"}


def task_url(task) -> str:
    namespace = NAMESPACES.get(task.flow_task.flow_class.__name__)
    try:
        return reverse(f"{namespace}:{task.flow_task.name}:index", args=[task.process_id, task.pk])
    except NoReverseMatch:  # a node without pages: no link rather than no notification
        return ""


def _is_return(task, artifact) -> bool:
    """A prepare task after the first: the head or the ward sent the dossier back."""
    return task.flow_task.name == "prepare" and task.process.task_set.filter(flow_task=task.flow_task).count() > 1


def _last_comment(artifact, *event_types) -> str:
    event = audit.timeline(f"submission:{artifact.pk}").filter(event_type__in=event_types).exclude(comment="").last()
    return event.comment if event else ""


@translation.override("vi")
def task_arrived(task) -> tuple[str, str, str, str]:
    """(kind, title, body, url) telling a person that ``task`` is now in their work."""
    artifact = task.process.artifact
    step = str(task.flow_task.task_title)
    if isinstance(artifact, Submission) and task.flow_task.name == "complete":
        missing = artifact.nominations.filter(status=Nomination.Status.NEEDS_COMPLETION).select_related("candidate")
        lines = [_("Nội dung cần bổ sung:")] + [f"- {n.candidate}: {n.missing_items}" for n in missing]
        if comment := _last_comment(artifact, audit.SUBMISSION_UPDATED):
            lines.append(_("Ý kiến của cán bộ thẩm định: %(c)s") % {"c": comment})
        title = _("Hồ sơ trả lại để bổ sung: %(a)s") % {"a": artifact}
        return Kind.RETURNED, title, "\n".join(lines), task_url(task)
    if isinstance(artifact, Submission) and _is_return(task, artifact):
        comment = _last_comment(artifact, audit.SUBMISSION_RETURNED)
        title = _("Hồ sơ bị trả lại để hoàn thiện: %(a)s") % {"a": artifact}
        body = _("Ý kiến: %(c)s") % {"c": comment} if comment else ""
        return Kind.RETURNED, title, body, task_url(task)
    title = _("Việc mới: %(step)s – %(a)s") % {"step": step, "a": artifact}
    return Kind.ASSIGNED, title, _("Việc đang chờ đồng chí xử lý."), task_url(task)


@translation.override("vi")
def reminder(task, deadline) -> tuple[str, str]:
    artifact = task.process.artifact
    due = f"{deadline.due_on:%d/%m/%Y}"
    if deadline.overdue:
        title = _("Quá hạn %(n)s ngày làm việc: %(step)s – %(a)s")
        body = _("Hạn xử lý là ngày %(due)s.")
        n = deadline.working_days_late
    else:
        title = _("Sắp đến hạn (còn %(n)s ngày làm việc): %(step)s – %(a)s")
        body = _("Hạn xử lý là ngày %(due)s.")
        n = deadline.working_days_left
    return title % {"n": n, "step": task.flow_task.task_title, "a": artifact}, body % {"due": due}


@translation.override("vi")
def escalation(task, deadline, holders) -> tuple[str, str]:
    names = ", ".join(u.get_full_name() or u.username for u in holders) or _("chưa có người nhận")
    title = _("Việc quá hạn %(n)s ngày làm việc: %(step)s – %(a)s") % {
        "n": deadline.working_days_late,
        "step": task.flow_task.task_title,
        "a": task.process.artifact,
    }
    body = _("Hạn xử lý là ngày %(due)s. Người đang giữ việc: %(names)s.") % {
        "due": f"{deadline.due_on:%d/%m/%Y}",
        "names": names,
    }
    return title, body
