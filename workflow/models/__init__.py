from .audit import AuditEvent
from .process import CouncilProcess, SubmissionProcess

__all__ = ["AuditEvent", "CouncilProcess", "SubmissionProcess"]
