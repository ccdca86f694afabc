from .audit import AuditEvent
from .process import SubmissionProcess

__all__ = ["AuditEvent", "SubmissionProcess"]
