"""The archive's data model; docs/architecture.md has the map and the reasons.

- ``choices``: every enum; ``mixins``: timestamps, EDTF dates, slugs;
- ``entities``: records (people, places, organizations, events) and their names;
- ``documents``: sources, repositories (holding archives), agents, works cited;
- ``mentions``: where a text names a record, and the finder's proposals;
- ``redirects``: old addresses; ``search``: kept counts; ``state``: the archive version.
"""

from .choices import (
    AgentRole,
    Certainty,
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
from .documents import Document, DocumentAgent, Repository, WorkCited
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
from .mentions import Mention, MentionProposal
from .redirects import SlugRedirect
from .search import CountsSnapshot, RecordCount
from .state import ArchiveVersion, ChangeToken, everything_changed

__all__ = [
    "KIND_PATHS",
    "AgentRole",
    "ArchiveVersion",
    "Certainty",
    "ChangeToken",
    "CountsSnapshot",
    "Document",
    "DocumentAgent",
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
    "Person",
    "Place",
    "PlaceKind",
    "ProposalStatus",
    "PublicationStatus",
    "RecordCount",
    "RedirectKind",
    "Repository",
    "SlugRedirect",
    "SourceKind",
    "VariantKind",
    "WorkCited",
    "everything_changed",
]
