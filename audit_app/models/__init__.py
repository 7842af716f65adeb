"""The database tables (storage only: business rules live in scoring/ and data/)."""

from .activity import ActionItem, AuditLogEntry, ImportRun, Job, Message
from .base import (
    ActionStatus,
    ContactRole,
    CycleStatus,
    EvidenceKind,
    JobStatus,
    MessageStage,
    MessageStatus,
    OrganisationKind,
    OrganisationStatus,
    ReturnStatus,
    Role,
    TokenPurpose,
    utcnow,
)
from .cycles import AuditCycle, CycleNote, CycleQuestionnaire, QuestionnaireVersion, cycle_partnership
from .organisations import Contact, Organisation, Partnership, partnership_organisation
from .people import AuthToken, RoleGrant, User
from .returns import Answer, Evidence, Return, ReturnFeedback, ReturnSection, ReturnStatusChange, SignOff
from .review import AgendaItem, ChallengeEvent, ChallengeQuestion, PanelMember, StandardModeration

__all__ = [
    "ActionItem",
    "ActionStatus",
    "AgendaItem",
    "Answer",
    "AuditCycle",
    "AuditLogEntry",
    "AuthToken",
    "ChallengeEvent",
    "ChallengeQuestion",
    "Contact",
    "ContactRole",
    "CycleNote",
    "CycleQuestionnaire",
    "CycleStatus",
    "Evidence",
    "EvidenceKind",
    "ImportRun",
    "Job",
    "JobStatus",
    "Message",
    "MessageStage",
    "MessageStatus",
    "Organisation",
    "OrganisationKind",
    "OrganisationStatus",
    "PanelMember",
    "Partnership",
    "QuestionnaireVersion",
    "Return",
    "ReturnFeedback",
    "ReturnSection",
    "ReturnStatus",
    "ReturnStatusChange",
    "Role",
    "RoleGrant",
    "SignOff",
    "StandardModeration",
    "TokenPurpose",
    "User",
    "cycle_partnership",
    "partnership_organisation",
    "utcnow",
]
