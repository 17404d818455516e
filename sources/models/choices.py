"""Every fixed list of values the models use, in one place: kinds of record, of place,
of document; publication states; roles; certainty. Choices are data a curator picks
from, so their labels are written for curators and readers."""

from __future__ import annotations

from django.db import models


class Certainty(models.TextChoices):
    CERTAIN = "certain", "certain"
    PROBABLE = "probable", "probable"
    UNCERTAIN = "uncertain", "uncertain"


class EntityKind(models.TextChoices):
    PERSON = "person", "person"
    PLACE = "place", "place"
    ORGANIZATION = "organization", "organization"
    EVENT = "event", "event"


class PlaceKind(models.TextChoices):
    COUNTRY = "country", "country or state"
    REGION = "region", "historical or geographical region"
    PROVINCE = "province", "province"
    DISTRICT = "district", "district"
    CITY = "city", "city"
    TOWN = "town", "town"
    VILLAGE = "village", "village"
    STATION = "station", "railway station"
    ROAD = "road", "road"
    OTHER = "other", "other"


class OrganizationKind(models.TextChoices):
    PARTY = "party", "political party"
    PARTY_BODY = "party_body", "party body"
    STATE_BODY = "state_body", "state body or ministry"
    GOVERNMENT = "government", "government"
    ASSEMBLY = "assembly", "assembly or parliament"
    MILITARY = "military", "military unit or force"
    POLICE = "police", "police, gendarmerie or security service"
    DIPLOMATIC = "diplomatic", "diplomatic mission"
    SOCIETY = "society", "society or association"
    PUBLISHER = "publisher", "publisher"
    MEDIA = "media", "newspaper, broadcaster or media"
    RESEARCH = "research", "research or archival body"
    FOUNDATION = "foundation", "foundation"
    COURT = "court", "court"
    OTHER = "other", "other"


class EventKind(models.TextChoices):
    DECISION = "decision", "decision or decree"
    FOUNDING = "founding", "founding"
    CONGRESS = "congress", "congress or meeting"
    ELECTION = "election", "election"
    RALLY = "rally", "rally or demonstration"
    MILITARY_ACTION = "military_action", "military action"
    PROCLAMATION = "proclamation", "proclamation"
    WITHDRAWAL = "withdrawal", "withdrawal"
    POLITICAL_CRISIS = "political_crisis", "political crisis"
    NEGOTIATION = "negotiation", "negotiation"
    CORRESPONDENCE = "correspondence", "correspondence"
    OTHER = "other", "other"


class VariantKind(models.TextChoices):
    SPELLING = "spelling", "spelling in a source"
    TRANSLITERATION = "transliteration", "transliteration"
    NATIVE = "native", "native-language form"
    FORMER = "former", "former name"
    MODERN = "modern", "modern name"
    ABBREVIATION = "abbreviation", "abbreviation"
    SHORT = "short", "short form"


class DocumentType(models.TextChoices):
    DECREE = "decree", "decree or resolution"
    TELEGRAM = "telegram", "telegram"
    LETTER = "letter", "letter"
    REPORT = "report", "report"
    MEMORANDUM = "memorandum", "memorandum"
    MINUTES = "minutes", "minutes"
    ARTICLE = "article", "article"
    ENCYCLOPEDIA_ARTICLE = "encyclopedia_article", "encyclopedia article"
    INTERVIEW = "interview", "interview"
    BOOK = "book", "book or book extract"
    OTHER = "other", "other"


class SourceKind(models.TextChoices):
    PRIMARY = "primary", "primary source"
    SECONDARY = "secondary", "secondary source"


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "draft"
    IN_REVIEW = "review", "in review"
    PUBLISHED = "published", "published"
    WITHDRAWN = "withdrawn", "withdrawn"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    RUSSIAN = "ru", "Russian"
    AZERBAIJANI = "az", "Azerbaijani"
    PERSIAN = "fa", "Persian"
    TURKISH = "tr", "Turkish"
    KURDISH = "ku", "Kurdish"
    ARMENIAN = "hy", "Armenian"
    FRENCH = "fr", "French"
    GERMAN = "de", "German"


class AgentRole(models.TextChoices):
    AUTHOR = "author", "author or issuer"
    RECIPIENT = "recipient", "recipient"
    COPY_RECIPIENT = "copy_recipient", "copy recipient"
    INTERVIEWER = "interviewer", "interviewer"
    INTERVIEWEE = "interviewee", "interviewee"
    OBTAINED_BY = "obtained_by", "obtained or contributed by"
    TRANSLATOR = "translator", "translator"


# How a record page says what a person or body did with a document ("wrote").
AGENT_VERBS = {
    AgentRole.AUTHOR: "wrote",
    AgentRole.RECIPIENT: "received",
    AgentRole.COPY_RECIPIENT: "received a copy of",
    AgentRole.INTERVIEWER: "interviewed for",
    AgentRole.INTERVIEWEE: "was interviewed in",
    AgentRole.OBTAINED_BY: "obtained",
    AgentRole.TRANSLATOR: "translated",
}
# How a search result or a related document says it (the document "written by …").
AGENT_BY = {
    AgentRole.AUTHOR: "written by",
    AgentRole.RECIPIENT: "received by",
    AgentRole.COPY_RECIPIENT: "copied to",
    AgentRole.INTERVIEWER: "interview by",
    AgentRole.INTERVIEWEE: "interview with",
    AgentRole.OBTAINED_BY: "obtained by",
    AgentRole.TRANSLATOR: "translated by",
}


class DocumentEventRole(models.TextChoices):
    """How a document stands to an event, strongest first (the order pages list them)."""

    RECORD = "record", "is the record of"
    REPORTS = "reports", "reports"
    DESCRIBES = "describes", "describes"
    MENTIONS = "mentions", "mentions"


# Which kinds of record may stand in which link (one rule for models, admin, importer
# and check_corpus). A "state" taking part in an event is a place of kind country.
AGENT_KINDS = (EntityKind.PERSON, EntityKind.ORGANIZATION)
PARTICIPANT_KINDS = (EntityKind.PERSON, EntityKind.ORGANIZATION)
PARTICIPANT_PLACE_KINDS = (PlaceKind.COUNTRY,)


class MentionRole(models.TextChoices):
    SUBJECT = "subject", "subject"
    MENTIONED = "mentioned", "mentioned"
    AUTHOR = "author", "author"
    RECIPIENT = "recipient", "recipient"


class ProposalStatus(models.TextChoices):
    OPEN = "open", "open"
    REJECTED = "rejected", "rejected"


class RedirectKind(models.TextChoices):
    """The URL family an old slug belongs to (/documents/…, /people/…)."""

    DOCUMENT = "document", "document"
    PERSON = EntityKind.PERSON.value, EntityKind.PERSON.label
    PLACE = EntityKind.PLACE.value, EntityKind.PLACE.label
    ORGANIZATION = EntityKind.ORGANIZATION.value, EntityKind.ORGANIZATION.label
    EVENT = EntityKind.EVENT.value, EntityKind.EVENT.label
