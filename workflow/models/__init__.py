from .audit import AuditEvent
from .process import CouncilProcess, DecisionProcess, SubmissionProcess

__all__ = ["AuditEvent", "CouncilProcess", "DecisionProcess", "SubmissionProcess"]
