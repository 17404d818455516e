"""The archive's data model; docs/architecture.md has the map and the reasons.

- ``choices``: every enum; ``mixins``: timestamps, EDTF dates, slugs;
- ``entities``: records (people, places, organizations, events) and their names;
- ``documents``: sources, repositories (holding archives), agents, works cited;
- ``mentions``: where a text names a record, and the finder's proposals;
- ``review``: changes waiting for an Editor;
- ``redirects``: old addresses; ``search``: kept counts; ``state``: the archive version.
"""

from .choices import (
    AGENT_BY,
    AGENT_KINDS,
    AGENT_VERBS,
    PARTICIPANT_KINDS,
    PARTICIPANT_PLACE_KINDS,
    AgentRole,
    Certainty,
    DocumentEventRole,
    DocumentType,
    EntityKind,
    EventKind,
    Language,
    MentionRole,
    OrganizationKind,
    PlaceKind,
    ProposalStatus,
    PublicationStatus,
    RedirectKind,
    SourceKind,
    VariantKind,
)
from .documents import Document, DocumentAgent, DocumentEvent, Repository, WorkCited
from .entities import (
    KIND_PATHS,
    Entity,
    Event,
    EventParticipant,
    EventPlace,
    NameVariant,
    Organization,
    Person,
    Place,
)
from .mentions import DismissedName, Mention, MentionProposal
from .redirects import SlugRedirect
from .review import ChangeAction, PendingChange, ReviewStatus
from .search import CountsSnapshot, RecordCount
from .state import ArchiveVersion, ChangeToken, everything_changed
from .texts import DocumentText, TextKind

__all__ = [
    "AGENT_BY",
    "AGENT_KINDS",
    "AGENT_VERBS",
    "KIND_PATHS",
    "PARTICIPANT_KINDS",
    "PARTICIPANT_PLACE_KINDS",
    "AgentRole",
    "ArchiveVersion",
    "Certainty",
    "ChangeAction",
    "ChangeToken",
    "CountsSnapshot",
    "DismissedName",
    "Document",
    "DocumentAgent",
    "DocumentEvent",
    "DocumentEventRole",
    "DocumentText",
    "DocumentType",
    "Entity",
    "EntityKind",
    "Event",
    "EventKind",
    "EventParticipant",
    "EventPlace",
    "Language",
    "Mention",
    "MentionProposal",
    "MentionRole",
    "NameVariant",
    "Organization",
    "OrganizationKind",
    "PendingChange",
    "Person",
    "Place",
    "PlaceKind",
    "ProposalStatus",
    "PublicationStatus",
    "RecordCount",
    "RedirectKind",
    "Repository",
    "ReviewStatus",
    "SlugRedirect",
    "SourceKind",
    "TextKind",
    "VariantKind",
    "WorkCited",
    "everything_changed",
]
