"""The audit trail's event types and their Vietnamese names, apart from the writer (``workflow.audit``), so that
the event model can name its events without importing the writer that imports it."""

from django.utils.translation import gettext_lazy as _

SUBMISSION_CREATED = "submission.created"
SUBMISSION_UPDATED = "submission.updated"
SUBMISSION_SENT_TO_HEAD = "submission.sent_to_head"
SUBMISSION_RETURNED = "submission.returned"
SUBMISSION_SUBMITTED = "submission.submitted"
SUBMISSION_WARD_ENDORSED = "submission.ward_endorsed"
SUBMISSION_COMPLETED = "submission.completed"
SUBMISSION_DECIDED = "submission.decided"
SUBMISSION_NOTIFIED = "submission.notified"
NOMINATION_ADDED = "nomination.added"
NOMINATION_UPDATED = "nomination.updated"
NOMINATION_REMOVED = "nomination.removed"
NOMINATION_REVIEWED = "nomination.reviewed"
NOMINATION_COUNCIL_RESULT = "nomination.council_result"
NOMINATION_STRUCK = "nomination.struck"
NOMINATION_FINALISED = "nomination.finalised"
ATTACHMENT_ADDED = "attachment.added"
TASK_ASSIGNED = "task.assigned"
TASK_UNASSIGNED = "task.unassigned"
TASK_REMINDED = "task.reminded"
TASK_ESCALATED = "task.escalated"
AUTH_LOGIN = "auth.login"
AUTH_LOGIN_FAILED = "auth.login_failed"
AUTH_LOGOUT = "auth.logout"
AUTH_LOCKED_OUT = "auth.locked_out"
ACCESS_DENIED = "access.denied"
COUNCIL_SESSION_OPENED = "council.session_opened"
COUNCIL_BALLOT_CAST = "council.ballot_cast"
COUNCIL_RECUSAL = "council.recusal"
COUNCIL_VOTING_CLOSED = "council.voting_closed"
COUNCIL_BALLOT_BOX_FAILED = "council.ballot_box_failed"
COUNCIL_SECOND_ROUND = "council.second_round"
COUNCIL_CONCLUDED = "council.concluded"
DECISION_DRAFTED = "decision.drafted"
DECISION_RETURNED = "decision.returned"
DECISION_REDRAFTED = "decision.redrafted"
DECISION_SIGNED = "decision.signed"
DECISION_REVOKED = "decision.revoked"
DECISION_DOCUMENTS = "decision.documents"
DECISION_PDF_SIGNED = "decision.pdf_signed"
DELEGATION_GRANTED = "delegation.granted"
# The boundary between unkeyed rows and keyed ones (migration 0007).
AUDIT_KEYED = "audit.keyed"
DELEGATION_ENDED = "delegation.ended"
REGISTRATION_CREATED = "registration.created"
REGISTRATION_UPDATED = "registration.updated"
REGISTRATION_SIGNED = "registration.signed"
REGISTRATION_ACCEPTED = "registration.accepted"
REGISTRATION_RETURNED = "registration.returned"
PROGRESS_REPORTED = "registration.progress"
REGISTRATION_REMINDED = "registration.reminded"
REGISTRATION_EVALUATED = "registration.evaluated"
NOMINATION_BASIS_SET = "nomination.basis_set"

CAMPAIGN_CREATED = "campaign.created"
CAMPAIGN_UPDATED = "campaign.updated"
CAMPAIGN_LAUNCHED = "campaign.launched"
CAMPAIGN_CLOSED = "campaign.closed"
CAMPAIGN_SUMMARISED = "campaign.summarised"
PERSON_CREATED = "person.created"
PERSON_INVITED = "person.invited"
MEMBERSHIP_ADDED = "membership.added"
MEMBERSHIP_ENDED = "membership.ended"
ORGUNIT_CREATED = "orgunit.created"
ORGUNIT_RENAMED = "orgunit.renamed"
ORGUNIT_DISSOLVED = "orgunit.dissolved"
ORGUNIT_REORGANISED = "orgunit.reorganised"
ORGUNIT_MOVED = "orgunit.moved"
SUBMISSION_UNIT_MOVED = "submission.unit_moved"
QUOTA_MOVED = "quota.moved"
COUNCIL_CREATED = "council.created"
COUNCIL_SEAT_ADDED = "council.seat_added"
COUNCIL_SEAT_ENDED = "council.seat_ended"
ATTACHMENT_REMOVED = "attachment.removed"
ATTACHMENT_REPLACED = "attachment.replaced"
AWARD_TYPE_CREATED = "award_type.created"
RULE_SET_ADDED = "award_type.rule_set_added"
BASE_SALARY_ADDED = "base_salary.added"

LABELS = {
    REGISTRATION_CREATED: _("Lập đăng ký thi đua"),
    REGISTRATION_UPDATED: _("Sửa đăng ký thi đua"),
    REGISTRATION_SIGNED: _("Thủ trưởng ký đăng ký thi đua"),
    REGISTRATION_ACCEPTED: _("Chấp thuận đăng ký thi đua"),
    REGISTRATION_RETURNED: _("Trả lại đăng ký thi đua"),
    PROGRESS_REPORTED: _("Báo cáo tiến độ"),
    REGISTRATION_REMINDED: _("Đôn đốc đơn vị"),
    REGISTRATION_EVALUATED: _("Đơn vị tự đánh giá kết quả thi đua"),
    NOMINATION_BASIS_SET: _("Gắn công trình, chỉ tiêu làm căn cứ đề nghị"),
    SUBMISSION_CREATED: _("Lập tờ trình"),
    SUBMISSION_UPDATED: _("Cập nhật tờ trình"),
    SUBMISSION_SENT_TO_HEAD: _("Trình thủ trưởng đơn vị"),
    SUBMISSION_RETURNED: _("Trả lại hồ sơ"),
    SUBMISSION_SUBMITTED: _("Trình hồ sơ"),
    SUBMISSION_WARD_ENDORSED: _("Phường, xã xác nhận"),
    SUBMISSION_COMPLETED: _("Bổ sung hồ sơ"),
    SUBMISSION_DECIDED: _("Có quyết định"),
    SUBMISSION_NOTIFIED: _("Thông báo kết quả cho đơn vị"),
    NOMINATION_ADDED: _("Thêm đề nghị"),
    NOMINATION_UPDATED: _("Sửa đề nghị"),
    NOMINATION_REMOVED: _("Xoá đề nghị"),
    NOMINATION_REVIEWED: _("Thẩm định đề nghị"),
    NOMINATION_COUNCIL_RESULT: _("Kết quả hội đồng"),
    NOMINATION_STRUCK: _("Không được khen thưởng"),
    NOMINATION_FINALISED: _("Chốt kết quả đề nghị"),
    ATTACHMENT_ADDED: _("Đính kèm tài liệu"),
    TASK_ASSIGNED: _("Nhận việc"),
    TASK_UNASSIGNED: _("Trả việc"),
    TASK_REMINDED: _("Nhắc hạn xử lý"),
    TASK_ESCALATED: _("Báo cáo việc quá hạn lên thủ trưởng"),
    AUTH_LOGIN: _("Đăng nhập"),
    AUTH_LOGIN_FAILED: _("Đăng nhập thất bại"),
    AUTH_LOGOUT: _("Đăng xuất"),
    AUTH_LOCKED_OUT: _("Tạm khoá đăng nhập do sai mật khẩu nhiều lần"),
    ACCESS_DENIED: _("Bị từ chối truy cập"),
    COUNCIL_SESSION_OPENED: _("Mở phiên họp Hội đồng"),
    COUNCIL_BALLOT_CAST: _("Bỏ phiếu"),
    COUNCIL_RECUSAL: _("Không tham gia biểu quyết"),
    COUNCIL_VOTING_CLOSED: _("Kết thúc biểu quyết"),
    COUNCIL_BALLOT_BOX_FAILED: _("Hòm phiếu kín không qua kiểm tra toàn vẹn"),
    COUNCIL_SECOND_ROUND: _("Biểu quyết vòng hai"),
    COUNCIL_CONCLUDED: _("Chốt kết quả phiên họp"),
    DECISION_DRAFTED: _("Dự thảo quyết định"),
    DECISION_RETURNED: _("Chủ tịch trả lại dự thảo"),
    DECISION_REDRAFTED: _("Sửa dự thảo quyết định"),
    DECISION_SIGNED: _("Ký ban hành quyết định"),
    DECISION_REVOKED: _("Hủy bỏ quyết định"),
    DECISION_DOCUMENTS: _("Tạo văn bản quyết định"),
    DECISION_PDF_SIGNED: _("Ký số tệp PDF quyết định"),
    DELEGATION_GRANTED: _("Ủy quyền ký"),
    AUDIT_KEYED: _("Bắt đầu ký nhật ký bằng khoá bí mật"),
    DELEGATION_ENDED: _("Chấm dứt ủy quyền ký"),
    CAMPAIGN_CREATED: _("Tạo phong trào thi đua"),
    CAMPAIGN_UPDATED: _("Sửa phong trào thi đua"),
    CAMPAIGN_LAUNCHED: _("Phát động phong trào"),
    CAMPAIGN_CLOSED: _("Kết thúc nhận hồ sơ của phong trào"),
    CAMPAIGN_SUMMARISED: _("Tổng kết phong trào"),
    PERSON_CREATED: _("Tạo tài khoản người dùng"),
    PERSON_INVITED: _("Gửi thư mời đặt mật khẩu"),
    MEMBERSHIP_ADDED: _("Phân công vai trò"),
    MEMBERSHIP_ENDED: _("Kết thúc vai trò"),
    ORGUNIT_CREATED: _("Thành lập đơn vị"),
    ORGUNIT_RENAMED: _("Đổi tên đơn vị"),
    ORGUNIT_DISSOLVED: _("Giải thể, sáp nhập đơn vị"),
    ORGUNIT_REORGANISED: _("Sắp xếp lại đơn vị (sáp nhập, chia tách)"),
    ORGUNIT_MOVED: _("Chuyển đơn vị sang đơn vị cấp trên mới"),
    SUBMISSION_UNIT_MOVED: _("Chuyển hồ sơ sang đơn vị kế thừa"),
    QUOTA_MOVED: _("Chuyển chỉ tiêu sang đơn vị kế thừa"),
    COUNCIL_CREATED: _("Thành lập Hội đồng thi đua – khen thưởng"),
    COUNCIL_SEAT_ADDED: _("Bổ nhiệm thành viên Hội đồng"),
    COUNCIL_SEAT_ENDED: _("Kết thúc nhiệm vụ thành viên Hội đồng"),
    ATTACHMENT_REMOVED: _("Gỡ tài liệu"),
    ATTACHMENT_REPLACED: _("Thay tài liệu"),
    AWARD_TYPE_CREATED: _("Thêm hình thức khen thưởng"),
    RULE_SET_ADDED: _("Ban hành bộ quy định khen thưởng mới"),
    BASE_SALARY_ADDED: _("Áp dụng mức lương cơ sở mới"),
}
