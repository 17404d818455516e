"""The chains between two nodes, on the real corpus: found with their evidence, doubt
carried along, drafts never on a path, and the hub bound still finding what it should."""

from __future__ import annotations

import pytest

from sources.graph import connect, paths, resolve
from sources.graph.nodes import entity_node
from sources.graph.paths import MAX_LENGTH, MAX_PATHS, path_keys
from sources.models import (
    AGENT_VERBS,
    Certainty,
    Document,
    DocumentAgent,
    Entity,
    Mention,
    PublicationStatus,
)
from sources.text import hedged

pytestmark = pytest.mark.django_db

MOLOTOV = "person/vyacheslav-molotov"
BATTLES = "event/battles-of-inje-and-qalaburun"
MARAGHEH = "place/maragheh"
TELEGRAM = "document/1945-11-21-telegram-baku-to-moscow"


def node(identifier: str):
    found = resolve(identifier).node
    assert found is not None, identifier
    return found


def test_molotov_is_connected_to_the_battles_with_the_quoted_words():
    connection = connect(node(MOLOTOV), node(BATTLES))
    assert connection.found
    assert connection.paths and len(connection.paths) <= MAX_PATHS
    lengths = [path.length for path in connection.paths]
    assert lengths == sorted(lengths) and max(lengths) <= MAX_LENGTH
    for path in connection.paths:
        assert path.nodes[0].identifier == MOLOTOV and path.nodes[-1].identifier == BATTLES
    # The first step of the shortest chain is a mention of Molotov: its words are the
    # words the curators marked in that document.
    first = connection.paths[0].steps[0]
    document = Document.objects.get(pk=-first.target.key)
    assert document.status == PublicationStatus.PUBLISHED
    marked = set(
        Mention.objects.filter(document=document, entity__slug="vyacheslav-molotov").values_list(
            "text", flat=True
        )
    )
    assert marked and set(first.words) == marked
    assert any(link.kind == "mention" for link in first.links)


def test_the_issue_s_example_chain_reads_in_the_right_direction():
    """Molotov — received → telegram of 21 November 1945 — names → Maragheh."""
    connection = connect(node(MOLOTOV), node(MARAGHEH))
    chains = path_keys(connection.paths)
    assert [MOLOTOV, TELEGRAM, MARAGHEH] in chains
    path = connection.paths[chains.index([MOLOTOV, TELEGRAM, MARAGHEH])]
    role = DocumentAgent.objects.get(
        document__slug=TELEGRAM.split("/")[1], entity__slug="vyacheslav-molotov"
    ).role
    assert path.steps[0].label == AGENT_VERBS[role] == "received"
    assert path.steps[1].label == "names"
    assert "Maragheh" in path.steps[1].words
    assert path.sentence.startswith("Vyacheslav Molotov — received → telegram of 21 November 1945")
    # Read the other way, each step says the converse.
    back = connect(node(MARAGHEH), node(MOLOTOV))
    chains = path_keys(back.paths)
    assert [MARAGHEH, TELEGRAM, MOLOTOV] in chains
    steps = back.paths[chains.index([MARAGHEH, TELEGRAM, MOLOTOV])].steps
    assert [step.label for step in steps] == ["is named in", "received by"]


def test_a_probable_link_makes_the_whole_chain_probable():
    karaj = Entity.objects.get(slug="karaj")
    certainties = set(
        Mention.objects.filter(entity=karaj).values_list("certainty", flat=True)
    ) | set(DocumentAgent.objects.filter(entity=karaj).values_list("certainty", flat=True))
    assert certainties == {Certainty.PROBABLE}  # the corpus marks "Kerej" as probable
    connection = connect(entity_node(karaj), node(MARAGHEH))
    named = [p for p in connection.paths if p.steps[0].link.kind == "mention"]
    assert named, path_keys(connection.paths)
    for path in named:  # through the words "Kerej": probably, whatever follows
        assert path.certainty == Certainty.PROBABLE
        assert path.hedge == "probably"
        assert path.steps[0].label == hedged("is named in", Certainty.PROBABLE)
        assert path.sentence.startswith("Karaj — [probably] is named in →")
        assert path.steps[0].words == ["Kerej"]
        assert any(step.certainty == Certainty.CERTAIN for step in path.steps[1:])
    # At equal length, a chain of certain links comes first.
    ranks = [(p.length, p.certainty != Certainty.CERTAIN) for p in connection.paths]
    assert ranks == sorted(ranks)


def test_certain_chains_come_before_doubtful_ones_of_the_same_length(
    make_person, make_document, mention_of
):
    one, two = make_person(name="Ostap Zherebtsov"), make_person(name="Ilya Kholmogorov")
    doubtful = make_document(transcription="Zherebtsov met Kholmogorov.")
    sure = make_document(transcription="Kholmogorov wrote to Zherebtsov.")
    mention_of(doubtful, one, "Zherebtsov")
    weak = mention_of(doubtful, two, "Kholmogorov")
    Mention.objects.filter(pk=weak.pk).update(certainty=Certainty.UNCERTAIN)
    mention_of(sure, one, "Zherebtsov")
    mention_of(sure, two, "Kholmogorov")
    connection = connect(entity_node(one), entity_node(two))
    assert [path.certainty for path in connection.paths] == ["certain", "uncertain"]
    assert connection.paths[1].hedge == "possibly"
    assert connection.paths[0].nodes[1].key == -sure.pk


def test_no_connection_within_four_steps(make_person):
    alone = make_person(name="Nobody Linked")
    connection = connect(entity_node(alone), node(MOLOTOV))
    assert not connection.found and connection.paths == []


def test_draft_documents_are_never_on_a_path(make_person, make_document, mention_of):
    one, two = make_person(name="Arkady Pervukhin"), make_person(name="Semyon Vtorov")
    draft = make_document(transcription="Pervukhin and Vtorov.", status=PublicationStatus.DRAFT)
    mention_of(draft, one, "Pervukhin")
    mention_of(draft, two, "Vtorov")
    DocumentAgent.objects.create(document=draft, entity=one, role="author")
    assert not connect(entity_node(one), entity_node(two)).found
    assert resolve(f"document/{draft.slug}").node is None
    published = make_document(transcription="Pervukhin and Vtorov again.")
    mention_of(published, one, "Pervukhin")
    mention_of(published, two, "Vtorov")
    chains = path_keys(connect(entity_node(one), entity_node(two)).paths)
    assert chains == [[f"person/{one.slug}", f"document/{published.slug}", f"person/{two.slug}"]]


def test_the_order_is_the_same_every_time():
    first = path_keys(connect(node(MOLOTOV), node(BATTLES)).paths)
    again = path_keys(connect(node(MOLOTOV), node(BATTLES)).paths)
    assert first == again


def test_hubs_are_met_from_the_other_side_not_expanded(monkeypatch):
    """With every record a hub, no record's documents are listed, yet the chains
    through them are found by looking the hub up among what the other end reached."""
    # The article names Molotov and describes the battles.
    article = "document/1946-04-battles-of-inje-and-qalaburun"
    normal = path_keys(connect(node(MOLOTOV), node(BATTLES)).paths)
    monkeypatch.setattr(paths, "HUB_DOCUMENTS", 0)
    hubbed = path_keys(connect(node(MOLOTOV), node(BATTLES)).paths)
    assert [MOLOTOV, article, BATTLES] in normal
    assert [MOLOTOV, article, BATTLES] in hubbed
    assert len(hubbed[0]) == len(normal[0])


@pytest.mark.parametrize(
    "value",
    ["", "   ", "person/", "person/../../etc", "person/a b", "\x00\x01", "x" * 5000,
     "unknown/thing", "/people/", "https://evil.example/people/", "documents/%00"],
)  # fmt: skip
def test_malformed_values_resolve_to_nothing_with_a_reason(value):
    resolution = resolve(value)
    assert resolution.node is None
    assert resolution.message or not resolution.text


def test_identifiers_addresses_slugs_and_names_all_resolve():
    expected = Entity.objects.get(slug="vyacheslav-molotov").pk
    for value in (MOLOTOV, "people/vyacheslav-molotov", "/people/vyacheslav-molotov/",
                  "https://archive.example/people/vyacheslav-molotov/", "vyacheslav-molotov",
                  "Molotov", "molotov"):  # fmt: skip
        assert resolve(value).node.key == expected, value


def test_an_ambiguous_name_offers_choices():
    resolution = resolve("Azerbaijan")
    assert resolution.node is None and "choose" in resolution.message
    names = {candidate.title for candidate in resolution.candidates}
    assert "Iranian Azerbaijan" in names and len(names) > 1
