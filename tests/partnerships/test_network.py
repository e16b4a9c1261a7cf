"""/partnerships/network/: published organisations joined by the public partnerships they
accepted, forming or active; the picture, its list and its filters against the database."""

import html as html_lib
import re
from collections import Counter
from itertools import combinations

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisations.models import Organisation
from partnerships.models import Answer, Participant, PartnershipProposal, ProposalStatus
from partnerships.network import network
from tests.factories import NetworkGroupFactory, OrganisationFactory, UserFactory
from tests.languages import in_language
from tests.partnerships.factories import ParticipantFactory, ProposalFactory

pytestmark = pytest.mark.django_db

URL = "/partnerships/network/"
NODE = re.compile(
    r'<a href="/organisations/([^/]+)/"><title>([^<]+)</title><path class="node node-(\w+)"'
)
EDGE = re.compile(r'<line class="edge (edge-active|edge-forming)')


@pytest.fixture
def partnerships():
    youth = NetworkGroupFactory(slug="youth")
    amani = OrganisationFactory(name="Amani Diaspora", slug="amani-diaspora", kind="diaspora")
    bridge = OrganisationFactory(name="Bridge NGO", slug="bridge-ngo", kind="ngo")
    city = OrganisationFactory(name="City Office", slug="city-office", kind="government")
    pending = OrganisationFactory(name="Pending Partner", slug="pending-partner", status="pending")
    invited = OrganisationFactory(name="Invited Only", slug="invited-only")

    def proposal(status, lead, accepted=(), **fields):
        created = ProposalFactory(status=status, lead_participant=lead, **fields)
        for organisation in accepted:
            ParticipantFactory(proposal=created, organisation=organisation, answer=Answer.ACCEPTED)
        return created

    active = proposal(
        ProposalStatus.ACTIVE, amani, [bridge, pending], network_group=youth, themes=["youth"]
    )
    ParticipantFactory(proposal=active, organisation=invited, answer=Answer.INVITED)
    proposal(ProposalStatus.FORMING, amani, [city], themes=["gender"])
    proposal(ProposalStatus.OPEN, bridge, [city])
    proposal(ProposalStatus.COMPLETED, bridge, [city])
    proposal(ProposalStatus.DRAFT, city, [invited])
    proposal(
        ProposalStatus.ACTIVE, city, [invited], is_hidden=True, hidden_reason="Breaks the rules"
    )
    return {"amani": amani, "bridge": bridge, "city": city}


def expected_network(statuses=(ProposalStatus.FORMING, ProposalStatus.ACTIVE)):
    """Nodes {slug: partnerships} and edges {(slug, slug): active?} from the database."""
    counts, edges = Counter(), {}
    for proposal in PartnershipProposal.objects.all():
        if proposal.status not in statuses or proposal.is_hidden:
            continue
        members = sorted(
            p.organisation.slug
            for p in Participant.objects.filter(proposal=proposal)
            if p.answer == Answer.ACCEPTED and p.organisation.status == "published"
        )
        counts.update(members)
        for pair in combinations(members, 2):
            edges[pair] = edges.get(pair, False) or proposal.status == ProposalStatus.ACTIVE
    return dict(counts), edges


def drawn(page):
    nodes = {}
    for slug, title, _kind in NODE.findall(page):
        nodes[slug] = int(html_lib.unescape(title).rsplit(": ", 1)[1].split()[0])
    edges = page.split('<g class="edges">', 1)[1].split("</g>", 1)[0]
    return nodes, Counter(EDGE.findall(edges))


def test_the_picture_shows_who_works_with_whom(client, partnerships):
    page = client.get(URL).content.decode()

    nodes, edges = drawn(page)
    expected_nodes, expected_edges = expected_network()
    assert nodes == expected_nodes == {"amani-diaspora": 2, "bridge-ngo": 1, "city-office": 1}
    assert edges == Counter(
        "edge-active" if active else "edge-forming" for active in expected_edges.values()
    )
    assert "Pending Partner" not in page
    assert "Invited Only" not in page
    kinds = {slug: kind for slug, _title, kind in NODE.findall(page)}
    assert kinds == {
        "amani-diaspora": "diaspora",
        "bridge-ngo": "ngo",
        "city-office": "government",
    }


def test_the_heading_counts_what_the_picture_shows(client, partnerships):
    page = client.get(URL).content.decode()

    heading = re.search(r'<h2 id="network-heading">([^<]+)</h2>', page).group(1)
    shown = [
        proposal
        for proposal in PartnershipProposal.objects.all()
        if proposal.status in (ProposalStatus.FORMING, ProposalStatus.ACTIVE)
        and not proposal.is_hidden
        and proposal.participants.filter(answer=Answer.ACCEPTED, organisation__status="published")
    ]
    nodes, _edges = expected_network()
    assert heading == f"{len(nodes)} organisations, {len(shown)} partnerships"
    assert heading == "3 organisations, 2 partnerships"


def test_the_list_says_the_same_in_words(client, partnerships):
    page = client.get(URL).content.decode()

    listed = page.split('id="network-list-heading"', 1)[1]
    amani = listed.split("Amani Diaspora</a>", 1)[1].split("</ul>", 1)[0]
    assert "(active)</span>: with <a" in amani
    assert "Bridge NGO" in amani
    assert "City Office" in amani


def test_the_filters_narrow_the_network(client, partnerships):
    active, _edges = drawn(client.get(URL, {"status": "active"}).content.decode())
    grouped, _edges = drawn(client.get(URL, {"network_group": "youth"}).content.decode())
    themed, _edges = drawn(client.get(URL, {"theme": "gender"}).content.decode())

    assert active == expected_network(statuses=[ProposalStatus.ACTIVE])[0]
    assert active == {"amani-diaspora": 1, "bridge-ngo": 1}
    assert grouped == {"amani-diaspora": 1, "bridge-ngo": 1}
    assert themed == {"amani-diaspora": 1, "city-office": 1}


def test_the_picture_in_dutch_keeps_its_numbers_readable(client, partnerships):
    page = client.get(in_language(URL, "nl")).content.decode()

    assert "Amani Diaspora: 2 partnerschappen" in page
    assert not re.search(r'(x1|y1|x|y)="-?\d+,\d', page)


def test_a_status_it_does_not_show_is_refused_with_a_message(client, partnerships):
    response = client.get(URL, {"status": "open"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_layout_is_the_same_every_time(partnerships):
    proposals = PartnershipProposal.objects.public()
    first = network(proposals)
    for cache in caches.all():
        cache.clear()

    again = network(proposals)

    assert [(n["slug"], n["x"], n["y"]) for n in first["nodes"]] == [
        (n["slug"], n["x"], n["y"]) for n in again["nodes"]
    ]
    assert all(
        0 < n["x"] < first["width"] and 0 < n["y"] < first["height"] for n in first["nodes"]
    )


def test_a_bigger_node_has_more_partnerships(partnerships):
    nodes = {n["slug"]: n for n in network(PartnershipProposal.objects.public())["nodes"]}

    assert nodes["amani-diaspora"]["r"] > nodes["bridge-ngo"]["r"]


def test_a_change_redraws_the_network(client, partnerships, django_capture_on_commit_callbacks):
    before, _edges = drawn(client.get(URL).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        Organisation.objects.filter(slug="bridge-ngo").update(status="archived")
        Organisation.objects.get(slug="city-office").save()  # a saved change, as the admin does

    after, _edges = drawn(client.get(URL).content.decode())

    assert "bridge-ngo" in before
    assert "bridge-ngo" not in after


@pytest.mark.parametrize("count", [1, 12])
def test_the_network_costs_the_same_queries_for_any_size(count, client):
    lead = OrganisationFactory()
    for _ in range(count):
        proposal = ProposalFactory(status=ProposalStatus.ACTIVE, lead_participant=lead)
        ParticipantFactory(proposal=proposal, answer=Answer.ACCEPTED)
    client.force_login(UserFactory())  # signed in: rendered afresh, not the visitors' page

    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)

    assert response.status_code == 200
    assert len(drawn(response.content.decode())[0]) == count + 1
    # the session and its user, the theme and group choices, the proposals' themes, and two
    # for the network (its partnerships, its organisations): the same for 1 or 12
    assert len(queries) == 6
