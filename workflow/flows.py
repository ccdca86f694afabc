"""The nomination flow, read top to bottom like the procedure it follows.

unit clerk prepares → unit head submits (or returns) → [ward review when the
unit sits under a ward/commune] → standing body appraises each nomination
(accept / request completion → clerk completes → same reviewer / reject)
→ the council votes (CouncilFlow) → the chairman signs a decision
(DecisionFlow: sign, strike items, or return to the secretary) → outcome.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import act, flow, lock

from . import permissions as perms
from .models import CouncilProcess, DecisionProcess, SubmissionProcess
from .nodes import DataSplit, Gate, LeanJoin, LeanView, PersonalView, RecordingView
from .steps import council as council_steps
from .steps import decision as decision_steps
from .steps import dossier as dossier_steps
from .views import council as council_views
from .views import decision as decision_views
from .views import dossier as dossier_views


# The flows are diagrams: one chained call per line, kept as written.
# fmt: off
class NominationFlow(flow.Flow):
    process_class = SubmissionProcess
    process_title = _("Đề nghị khen thưởng")
    process_description = _("Đề nghị, thẩm định, Hội đồng xét, Chủ tịch quyết định")
    process_summary_template = "{{ process.artifact.unit }} – {{ process.artifact.title }}"
    # Without a row lock, concurrent completions duplicate the next task.
    lock_impl = lock.select_for_update_lock

    # Unit clerk
    start = (
        flow.Start(dossier_views.StartView.as_view())
        .Annotation(title=_("Lập hồ sơ đề nghị"))
        .Available(perms.may_propose)
        .Next(this.prepare)
    )
    # Portals, scripts and the demo loader open dossiers from code.
    start_from_code = (
        flow.StartHandle(dossier_steps.start_from_code)
        .Annotation(title=_("Lập hồ sơ từ hệ thống khác"))
        .Next(this.prepare)
    )
    prepare = (
        PersonalView(dossier_views.PrepareView.as_view())
        .Annotation(title=_("Hoàn thiện hồ sơ, trình thủ trưởng"))
        .Assign(dossier_steps.dossier_creator)
        .Next(this.head_approval)
    )

    # Unit head
    head_approval = (
        LeanView(dossier_views.HeadApprovalView.as_view())
        .Annotation(title=_("Thủ trưởng đơn vị duyệt, ký tờ trình"))
        .Permission(perms.SUBMIT, obj=perms.proposing_unit)
        .Next(this.check_head)
    )
    check_head = (
        Gate(act.process.head_approved)
        .Annotation(title=_("Thủ trưởng đồng ý?"))
        .Then(this.route_review)
        .Else(this.prepare)
    )
    route_review = (
        Gate(act.process.needs_ward_review)
        .Annotation(title=_("Đơn vị thuộc phường, xã?"))
        .Then(this.ward_review)
        .Else(this.review)
    )

    # Ward / commune People's Committee
    ward_review = (
        LeanView(dossier_views.WardReviewView.as_view())
        .Annotation(title=_("Phường, xã xem xét"))
        .Permission(perms.WARD_REVIEW, obj=perms.reviewing_ward)
        .Next(this.check_ward)
    )
    check_ward = (
        Gate(act.process.ward_endorsed)
        .Annotation(title=_("Phường, xã đồng ý?"))
        .Then(this.review)
        .Else(this.prepare)
    )

    # Standing body (Phòng Nội vụ)
    review = (
        LeanView(dossier_views.ReviewView.as_view())
        .Annotation(title=_("Thẩm định hồ sơ"))
        .Permission(perms.REVIEW, obj=perms.issuing_unit)
        .Assign(dossier_steps.previous_reviewer)
        .Next(this.check_review)
    )
    check_review = (
        Gate(act.process.completion_requested)
        .Annotation(title=_("Cần bổ sung?"))
        .Then(this.complete)
        .Else(this.check_accepted)
    )
    complete = (
        PersonalView(dossier_views.CompleteView.as_view())
        .Annotation(title=_("Bổ sung hồ sơ theo yêu cầu"))
        .Assign(dossier_steps.dossier_creator)
        .Next(this.review)
    )
    check_accepted = (
        Gate(act.process.has_accepted)
        .Annotation(title=_("Có đề nghị đạt thẩm định?"))
        .Then(this.council)
        .Else(this.finish)
    )

    # Council: the dossier waits until a session of CouncilFlow has voted on
    # all its nominations (workflow.steps.dossier.resume_waiting runs this Handle).
    council = (
        flow.Handle(dossier_steps.council)
        .Annotation(title=_("Hội đồng xét, biểu quyết"))
        .Next(this.check_council)
    )
    check_council = (
        Gate(act.process.has_council_passed)
        .Annotation(title=_("Có đề nghị được Hội đồng thông qua?"))
        .Then(this.to_chairman)
        .Else(this.finish)
    )
    to_chairman = (
        flow.Function(dossier_steps.to_chairman)
        .Annotation(title=_("Chuyển Chủ tịch UBND"))
        .Next(this.decision)
    )

    # Chairman: the dossier waits until its passed nominations are in a
    # signed decision of DecisionFlow (workflow.steps.dossier.resume_waiting again).
    decision = (
        flow.Handle(dossier_steps.decision)
        .Annotation(title=_("Chủ tịch UBND ký quyết định"))
        .Next(this.finish)
    )

    finish = (
        flow.Function(dossier_steps.finish)
        .Annotation(title=_("Khép hồ sơ"))
        .Next(this.end)
    )
    end = flow.End().Annotation(title=_("Kết thúc"))


class CouncilFlow(flow.Flow):
    """A council session: open with agenda and attendance → one ballot task per
    present member, a close task for the secretary and a deadline timer →
    count (when all voted, the secretary closed, or time ran out) → second
    round for tied items, or conclude → the dossiers' flows move on."""

    process_class = CouncilProcess
    process_title = _("Họp Hội đồng")
    process_summary_template = "{{ process.artifact.title }}"
    # A whole council votes at once on one process: wait for the row lock
    # instead of giving up after a few NOWAIT attempts (a lost ballot).
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    # Council secretary
    start = (
        flow.Start(council_views.OpenSessionView.as_view())
        .Annotation(title=_("Mở phiên họp, điểm danh"))
        .Available(perms.may_open_session)
        .Next(this.voting)
    )
    voting = (
        DataSplit()
        .Annotation(title=_("Phát phiếu biểu quyết"))
        .Next(this.vote, task_data_source=council_steps.present_members)
        .Next(this.close_voting)
        .Next(this.deadline)
    )
    # Voting also ends by itself at the end of the meeting day.
    deadline = (
        flow.Timer(council_steps.deadline)
        .Annotation(title=_("Hết giờ biểu quyết"))
        .Next(this.voting_done)
    )

    # Each present member
    vote = (
        # Recorded without the process lock: the lock is taken only to complete the task and evaluate the join.
        RecordingView(council_views.VoteView.as_view())
        .Annotation(title=_("Bỏ phiếu"))
        .Assign(council_steps.member_user)
        .Next(this.voting_done)
    )
    # Council secretary
    close_voting = (
        PersonalView(council_views.CloseVotingView.as_view())
        .Annotation(title=_("Kết thúc biểu quyết"))
        .Assign(council_steps.session_secretary)
        .Next(this.voting_done)
    )
    voting_done = (
        LeanJoin(continue_on_condition=council_steps.voting_done)
        .Annotation(title=_("Kết thúc bỏ phiếu"))
        .Next(this.count)
    )
    count = (
        flow.Function(council_steps.count)
        .Annotation(title=_("Kiểm phiếu"))
        .Next(this.check_undecided)
    )
    check_undecided = (
        Gate(act.process.has_undecided)
        .Annotation(title=_("Có nội dung phiếu ngang nhau / chưa đủ phiếu?"))
        .Then(this.second_round)
        .Else(this.conclude)
    )
    second_round = (
        PersonalView(council_views.SecondRoundView.as_view())
        .Annotation(title=_("Quyết định biểu quyết vòng hai"))
        .Assign(council_steps.session_secretary)
        .Next(this.check_revote)
    )
    check_revote = (
        Gate(act.process.revote)
        .Annotation(title=_("Biểu quyết lại?"))
        .Then(this.voting)
        .Else(this.conclude)
    )
    conclude = (
        flow.Function(council_steps.conclude)
        .Annotation(title=_("Kết luận phiên họp"))
        .Next(this.end)
    )
    end = flow.End().Annotation(title=_("Kết thúc"))


class DecisionFlow(flow.Flow):
    """An award decision: the council secretary drafts it from the council's
    result → the chairman (or a delegated vice-chairman) signs, striking items,
    or returns it → the secretary redrafts → once signed: numbered, recorded,
    documents and certificates made in the background, dossiers closed."""

    process_class = DecisionProcess
    process_title = _("Ký quyết định")
    process_summary_template = "{{ process.artifact }}"
    lock_impl = lock.select_for_update_lock

    # Council secretary
    start = (
        flow.Start(decision_views.DraftDecisionView.as_view())
        .Annotation(title=_("Dự thảo quyết định, tờ trình"))
        .Available(perms.may_open_session)
        .Next(this.sign)
    )

    # Chairman, or a vice-chairman by delegation
    sign = (
        LeanView(decision_views.SignView.as_view())
        .Annotation(title=_("Ký quyết định"))
        .Permission(perms.APPROVE, obj=perms.decision_issuer)
        .Next(this.check_signed)
    )
    check_signed = (
        Gate(act.process.signed)
        .Annotation(title=_("Đã ký?"))
        .Then(this.issue)
        .Else(this.redraft)
    )

    # Council secretary
    redraft = (
        PersonalView(decision_views.RedraftView.as_view())
        .Annotation(title=_("Sửa dự thảo theo ý kiến Chủ tịch"))
        .Assign(decision_steps.drafter)
        .Next(this.sign)
    )

    issue = (
        flow.Function(decision_steps.issue)
        .Annotation(title=_("Ban hành, cấp số"))
        .Next(this.end)
    )
    end = flow.End().Annotation(title=_("Kết thúc"))
# fmt: on
