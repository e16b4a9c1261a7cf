"""Every public page answers HEAD as it answers GET (link checkers and monitors use it)."""

import pytest
from django.urls import resolve

from tests.crawl import crawl
from tests.events.factories import EventFactory, FollowUpFactory, SessionFactory, SpeakerFactory
from tests.factories import NetworkGroupFactory, OrganisationFactory
from tests.partnerships.factories import ProposalFactory

pytestmark = pytest.mark.django_db

# The kinds of public page the crawl must reach, so that the test cannot pass by reaching few.
EXPECTED_PAGES = {
    "home",
    "robots_txt",
    "sitemap",
    "sitemap_section",
    "accessibility",
    "organisations:directory",
    "organisations:detail",
    "organisations:export_csv",
    "organisations:export_json",
    "organisations:network_groups",
    "organisations:network_group",
    "events:list",
    "events:detail",
    "events:ics",
    "events:feed",
    "events:feed_ics",
    "partnerships:list",
    "partnerships:detail",
    "partnerships:feed",
    "statistics",
    "organisations:map",
    "partnerships:network",
    "statistics_csv",
}


@pytest.fixture
def public_site():
    group = NetworkGroupFactory()
    organisation = OrganisationFactory(themes=["Youth"])
    organisation.network_groups.add(group)
    event = EventFactory(organiser=organisation, network_groups=[group])
    session = SessionFactory(event=event, facilitator=organisation, network_group=group)
    SpeakerFactory(session=session, organisation=organisation)
    FollowUpFactory(event=event, owner=organisation)
    ProposalFactory(lead_participant=organisation, network_group=group, themes=["Youth"])


def test_every_public_page_answers_head_as_it_answers_get(client, public_site):
    pages = [page for page in crawl(client) if page.status == 200 and not page.htmx]

    reached = {resolve(page.url.partition("?")[0]).view_name for page in pages}
    assert reached >= EXPECTED_PAGES
    refused = {}
    for page in pages:
        response = client.head(page.url)
        if response.status_code != 200 or response["Content-Type"] != page.content_type:
            refused[page.url] = response.status_code
    assert refused == {}
