"""Domain tables. Import from the submodules in new code; these names are
re-exported only so that Django finds every model of the app."""

from .awards import AwardRuleSet, AwardType, BaseSalary
from .calendar import CalendarDay, StepDeadline
from .campaigns import Campaign, CampaignAward, ContentArea, UnitQuota
from .candidates import AwardRecord, AwardTally, Candidate, LeaderLevel
from .council import (
    AgendaItem,
    Attendance,
    BallotCast,
    BallotChoice,
    BallotKey,
    BallotReceipt,
    Council,
    CouncilMember,
    CouncilSession,
    OpenVote,
    Recusal,
    SealedBallot,
    SecretVote,
)
from .decisions import Certificate, Decision, DecisionItem, Delegation, DocumentCounter
from .dossiers import Attachment, Nomination, Submission
from .org import Membership, OrgUnit, OrgUnitName, Role
from .registrations import (
    Commitment,
    NominationBasis,
    ProgressReport,
    Registration,
    SelfAssessment,
    Target,
    TargetPlan,
    Work,
)

__all__ = [
    "Certificate",
    "Decision",
    "DecisionItem",
    "Delegation",
    "DocumentCounter",
    "AgendaItem",
    "Attendance",
    "BallotCast",
    "BallotChoice",
    "Council",
    "CouncilMember",
    "CouncilSession",
    "OpenVote",
    "Recusal",
    "SecretVote",
    "BallotReceipt",
    "BallotKey",
    "SealedBallot",
    "Attachment",
    "AwardRecord",
    "AwardTally",
    "AwardRuleSet",
    "AwardType",
    "BaseSalary",
    "CalendarDay",
    "StepDeadline",
    "Campaign",
    "CampaignAward",
    "Candidate",
    "LeaderLevel",
    "ContentArea",
    "Membership",
    "Nomination",
    "OrgUnit",
    "OrgUnitName",
    "Role",
    "SelfAssessment",
    "NominationBasis",
    "Submission",
    "UnitQuota",
    "Commitment",
    "ProgressReport",
    "Registration",
    "Target",
    "TargetPlan",
    "Work",
]
