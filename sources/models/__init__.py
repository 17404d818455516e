"""The archive's data model; see DESIGN.md for the shape and why."""

from .documents import (
    AgentRole,
    Document,
    DocumentAgent,
    DocumentType,
    Language,
    Mention,
    MentionRole,
    PublicationStatus,
    Repository,
    SourceKind,
    WorkCited,
)
from .entities import (
    KIND_PATHS,
    Entity,
    EntityKind,
    Event,
    EventKind,
    EventParticipant,
    EventPlace,
    NameVariant,
    Organization,
    OrganizationKind,
    Person,
    Place,
    PlaceKind,
    VariantKind,
)
from .mixins import Certainty
from .redirects import RedirectKind, SlugRedirect

__all__ = [
    "KIND_PATHS", "AgentRole", "Certainty", "Document", "DocumentAgent", "DocumentType",
    "Entity", "EntityKind", "Event", "EventKind", "EventParticipant", "EventPlace",
    "Language", "Mention", "MentionRole", "NameVariant", "Organization", "OrganizationKind",
    "Person", "Place", "PlaceKind", "PublicationStatus", "RedirectKind", "Repository",
    "SlugRedirect", "SourceKind", "VariantKind", "WorkCited",
]  # fmt: skip
