import json
import re
from unittest import mock

import pytest
from django.conf import settings
from django.db import DatabaseError
from django.urls import reverse

from organisations.models import Organisation
from tests.events.factories import EventFactory
from tests.factories import OrganisationFactory
from tests.partnerships.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_home_counts_published_organisations_by_kind(client):
    OrganisationFactory.create_batch(2, kind=Organisation.Kind.DIASPORA)
    OrganisationFactory(kind=Organisation.Kind.GOVERNMENT)
    OrganisationFactory(kind=Organisation.Kind.NGO, status=Organisation.Status.PENDING)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    kinds = {kind["value"]: kind["count"] for kind in response.context["kinds"]}
    assert kinds == {
        "diaspora": 2,
        "ngo": 0,
        "government": 1,
        "knowledge_institute": 0,
        "international": 0,
    }
    assert response.context["total_organisations"] == 3
    assert "3 organisations in the directory" in response.text


def test_home_lists_newest_published_organisations_only(client):
    published = OrganisationFactory(name="Visible Peace Foundation")
    OrganisationFactory(name="Hidden Pending Group", status=Organisation.Status.PENDING)

    response = client.get(reverse("home"))

    assert list(response.context["newest"]) == [published]
    assert "Visible Peace Foundation" in response.text
    assert "Hidden Pending Group" not in response.text


def test_home_has_one_h1_skip_link_and_landmarks(client):
    response = client.get(reverse("home"))

    html = response.text
    assert html.count("<h1") == 1
    assert '<html lang="en" dir="ltr">' in html
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert "<nav" in html
    assert "<footer" in html
    for label in ("Directory", "Network groups", "Partnerships", "Events", "Sign in"):
        assert label in html


def test_home_sends_strict_content_security_policy(client):
    response = client.get(reverse("home"))

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_pages_tell_htmx_not_to_inject_its_indicator_style(client):
    # htmx would add a <style> element the Content-Security-Policy blocks (and the browser
    # reports); the indicator is styled in our own stylesheet instead.
    html = client.get(reverse("home")).content.decode()

    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert config, "no htmx-config meta element"
    assert json.loads(config.group(1))["includeIndicatorStyles"] is False
    assert html.index('name="htmx-config"') < html.index("htmx-2.0.11.min.js")
    css = (settings.BASE_DIR / "static" / "css" / "peacenet.css").read_text()
    assert ".htmx-request .htmx-indicator" in css


def test_home_query_count_does_not_grow_with_organisations(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    OrganisationFactory()
    EventFactory()
    ProposalFactory()
    # newest, groups, events, open proposals and their participants; the statistics' numbers
    # (cached for the content generation, counted afresh here after each change): the
    # directory's unfiltered options and facet counts (the directory's own cache entry),
    # new per month, partnerships, events (2)
    with django_assert_num_queries(14):
        client.get(reverse("home"))
    with django_capture_on_commit_callbacks(execute=True):  # committed
        OrganisationFactory.create_batch(20)
        EventFactory.create_batch(5)
        ProposalFactory.create_batch(5)
    with django_assert_num_queries(14):
        client.get(reverse("home"))


def test_home_shows_the_next_published_events(client):
    EventFactory(title="Youth network meeting")
    EventFactory(title="Seminar long ago", past=True)
    EventFactory(title="Unpublished plan", is_published=False)

    response = client.get(reverse("home"))

    assert [event.title for event in response.context["next_events"]] == ["Youth network meeting"]
    assert "Youth network meeting" in response.text
    assert "Unpublished plan" not in response.text


def test_healthz_reports_database_ok_and_the_server_that_answered(client, settings):
    settings.SERVER_NAME = "app-b"

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "server": "app-b"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_healthz_answers_503_when_database_unreachable(client, settings):
    with mock.patch("peacenet.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert response.json()["server"] == settings.SERVER_NAME
