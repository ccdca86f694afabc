"""The decisions people take at the flows' steps: one TextChoices each.

Forms offer them, steps read them, and the process stores what its gateway
needs (``workflow/models/process.py``); the literals are written only here.
The appraisal's per-nomination choice is the domain's ``Nomination.Review``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HeadDecision(models.TextChoices):
    SUBMIT = "submit", _("Ký, trình hồ sơ")
    RETURN = "return", _("Trả lại cán bộ lập hồ sơ")


class WardDecision(models.TextChoices):
    ENDORSE = "endorse", _("Đồng ý, chuyển Phòng Nội vụ")
    RETURN = "return", _("Trả lại đơn vị")


class RevoteDecision(models.TextChoices):
    REVOTE = "revote", _("Biểu quyết lại (vòng hai)")
    CONCLUDE = "conclude", _("Kết luận: không thông qua")


class SignDecision(models.TextChoices):
    SIGN = "sign", _("Ký ban hành")
    RETURN = "return", _("Trả lại Thư ký Hội đồng")
