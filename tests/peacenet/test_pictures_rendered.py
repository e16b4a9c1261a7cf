"""The pictures (the world map, the partnership network, the statistics) are rendered once per
content generation, language and query and shared by everyone who asks, signed-in members
too; a change shows at once, a refused query is never stored, and the links in a shared
picture carry only the parameters the page understands."""

import re
from unittest import mock

import pytest
from django.utils.module_loading import import_string

from partnerships.models import Answer, ProposalStatus
from tests.factories import OrganisationFactory, UserFactory
from tests.languages import in_language
from tests.partnerships.factories import ParticipantFactory, ProposalFactory

pytestmark = pytest.mark.django_db

MAP = "/organisations/map/"
NETWORK = "/partnerships/network/"
STATISTICS = "/statistics/"
# Each page and what renders its picture.
PICTURES = [
    (MAP, "organisations.views.maps._picture"),
    (MAP + "?kind=diaspora&sort=count", "organisations.views.maps._picture"),
    (NETWORK, "partnerships.views.network._picture"),
    (NETWORK + "?status=active", "partnerships.views.network._picture"),
    (STATISTICS, "peacenet.statistics.charts"),
]


@pytest.fixture
def network():
    somali = OrganisationFactory(name="Somali Voices", kind="diaspora", countries=["SO"])
    partner = OrganisationFactory(name="Bridge Partner", kind="ngo", countries=["SO", "UA"])
    proposal = ProposalFactory(status=ProposalStatus.ACTIVE, lead_participant=somali)
    ParticipantFactory(proposal=proposal, organisation=partner, answer=Answer.ACCEPTED)
    return somali


def main(response):
    """The page's main content, the part that is the same for everyone."""
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize(("url", "renders"), PICTURES)
def test_signed_in_members_share_one_rendering_per_language(client, network, url, renders):
    with mock.patch(renders, wraps=import_string(renders)) as rendering:
        client.force_login(UserFactory())
        first = client.get(url)
        again = client.get(url)
        client.force_login(UserFactory())
        someone_else = client.get(url)
        assert rendering.call_count == 1
        dutch = client.get(in_language(url, "nl"))
        assert rendering.call_count == 2

    assert first.status_code == again.status_code == someone_else.status_code == 200
    assert main(first) == main(again) == main(someone_else)
    assert 'lang="nl"' in dutch.content.decode()
    assert main(dutch) != main(first)


def test_a_change_shows_at_once_on_every_picture(
    client, network, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory())
    before = {url: client.get(url).content.decode() for url in (MAP, NETWORK, STATISTICS)}
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = OrganisationFactory(name="Newcomer Trust", kind="government", countries=["SO"])
        proposal = ProposalFactory(status=ProposalStatus.FORMING, lead_participant=newcomer)
        ParticipantFactory(proposal=proposal, organisation=network, answer=Answer.ACCEPTED)

    after = {url: client.get(url).content.decode() for url in (MAP, NETWORK, STATISTICS)}

    assert "Somalia: 2 organisations" in before[MAP]
    assert "Somalia: 3 organisations" in after[MAP]
    assert "Newcomer Trust" not in before[NETWORK]
    assert "Newcomer Trust: 1 partnership" in after[NETWORK]

    def governments(page):
        kinds = page.split('id="organisations-by-kind"', 1)[1].split("</section>", 1)[0]
        return re.search(r"Government</a></th><td class=\"number\">(\d+)", kinds).group(1)

    assert (governments(before[STATISTICS]), governments(after[STATISTICS])) == ("0", "1")


@pytest.mark.parametrize("url", [MAP + "?kind=pirates", NETWORK + "?status=draft"])
def test_a_refused_query_gets_its_message_every_time(client, network, url):
    client.force_login(UserFactory())

    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("url", [MAP + "?kind=diaspora&utm_source=mail", NETWORK + "?x=1"])
def test_shared_links_carry_only_what_the_page_understands(client, network, url):
    client.force_login(UserFactory())

    page = main(client.get(url))

    assert "utm_source" not in page
    assert "x=1" not in page
    if url.startswith(MAP):
        assert 'href="/organisations/?kind=diaspora&amp;country=SO"' in page
        assert 'href="?kind=diaspora&amp;sort=count"' in page
