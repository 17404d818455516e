"""The archive's data model; docs/architecture.md has the map and the reasons.

- ``choices``: every enum; ``mixins``: timestamps, EDTF dates, slugs;
- ``entities``: records (people, places, organizations, events) and their names;
- ``documents``: sources, repositories (holding archives), agents, works cited;
- ``mentions``: where a text names a record, and the finder's proposals;
- ``claims``: what a source says about a record or a document, in its words;
- ``review``: changes waiting for an Editor;
- ``redirects``: old addresses; ``search``: kept counts; ``state``: the archive version.
"""

from .calendars import Calendar, shows_solar_hijri, solar_hijri_of
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
from .claims import Claim, ClaimProperty
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
from .placenames import NameUsage, PlaceContainment
from .redirects import SlugRedirect
from .review import ChangeAction, PendingChange, ReviewStatus
from .scans import DerivativeState, PageBreak, PageImage
from .search import CountsSnapshot, DocumentRecords, FacetCount, RecordCount
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
    "Calendar",
    "Certainty",
    "ChangeAction",
    "ChangeToken",
    "Claim",
    "ClaimProperty",
    "CountsSnapshot",
    "DerivativeState",
    "DismissedName",
    "Document",
    "DocumentAgent",
    "DocumentEvent",
    "DocumentEventRole",
    "DocumentRecords",
    "DocumentText",
    "DocumentType",
    "Entity",
    "EntityKind",
    "Event",
    "EventKind",
    "EventParticipant",
    "EventPlace",
    "FacetCount",
    "Language",
    "Mention",
    "MentionProposal",
    "MentionRole",
    "NameUsage",
    "NameVariant",
    "Organization",
    "OrganizationKind",
    "PageBreak",
    "PageImage",
    "PendingChange",
    "Person",
    "Place",
    "PlaceContainment",
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
    "shows_solar_hijri",
    "solar_hijri_of",
]
