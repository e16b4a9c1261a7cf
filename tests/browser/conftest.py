"""Shared helpers for PeaceNet's browser tests: screenshots, axe checks, signing in."""

import itertools
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from tests.accounts import sign_in_with_mfa
from tests.events.factories import EventFactory, FollowUpFactory, SessionFactory, SpeakerFactory
from tests.factories import NetworkGroupFactory, OrganisationFactory
from tests.partnerships.factories import ParticipantFactory, ProposalFactory

# WCAG 2.0, 2.1 and 2.2 at levels A and AA. axe tags the 2.2 AA rules (target-size) only
# with "wcag22aa", so it must be named explicitly.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # An explicit English browser, so the machine's own locale never changes the language.
    return {**browser_context_args, "locale": "en-GB"}


@pytest.fixture(autouse=True)
def _site_is_the_live_server(live_server, settings):
    """Links in mail point at SITE_URL; in these tests the site is the live server."""
    settings.SITE_URL = live_server.url


@pytest.fixture
def new_context(new_context):
    """Browser contexts that give up after 10 seconds: pages here answer in milliseconds,
    and a missing element should fail fast with a clear message."""

    def create(**kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(10_000)
        return context

    return create


@pytest.fixture
def screenshot(page, output_path):
    """Save a full-page screenshot under this test's output folder and return its path.

    Files are numbered in the order taken (``01-search.png``, ``02-results.png``) so a
    journey's steps read in sequence; pass ``of=`` to photograph another page.
    """
    counter = itertools.count(1)

    def take(name, *, of=None):
        path = f"{output_path}/{next(counter):02d}-{name}.png"
        (of or page).screenshot(path=path, full_page=True)
        return path

    return take


def format_violations(url, violations):
    """A readable report: one line per rule with its impact, then the offending elements."""
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node['failureSummary']}".replace("\n", " "))
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def axe_violations(page, axe):
    """Run axe-core (bundled, nothing fetched) with the WCAG 2.x A/AA rules on a page and
    return a readable report of its violations, or an empty string when there are none."""

    def check(of=None):
        target = of or page
        results = axe.run(target, options=AXE_OPTIONS)
        violations = results.response["violations"]
        return format_violations(target.url, violations) if violations else ""

    return check


@pytest.fixture
def assert_accessible(axe_violations):
    """Fail with the rule id, impact and target selectors of every WCAG A/AA violation."""

    def check(of=None):
        report = axe_violations(of)
        assert not report, report

    return check


@pytest.fixture
def log_in(live_server, context):
    """Sign a user in to a browser context: the Django test client creates the session and
    its cookie is copied into the context, so tests skip the sign-in form. ``mfa=True``
    records a second factor in the session, as the admin requires of staff."""

    def sign_in(user, *, into=None, mfa=False):
        client = Client()
        if mfa:
            sign_in_with_mfa(client, user)
        else:
            client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        (into or context).add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie.value,
                    "domain": urlsplit(live_server.url).hostname,
                    "path": "/",
                    "secure": settings.SESSION_COOKIE_SECURE,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )
        return user

    return sign_in


@pytest.fixture
def site_data():
    """One of each thing a page can show: a network group with a member organisation, an
    event with its programme and a follow-up, and a partnership proposal."""
    group = NetworkGroupFactory(name="Youth, peace and security", slug="youth")
    organisation = OrganisationFactory(
        name="Tosangana Diaspora Network",
        kind="diaspora",
        summary="Connects Congolese diaspora youth with peace work in the Great Lakes.",
        website="https://tosangana.example",
        themes=["youth", "dialogue"],
    )
    organisation.network_groups.add(group)
    partner = OrganisationFactory(name="Hague Peace Partners", kind="ngo", themes=["gender"])
    event = EventFactory(title="Partnerships for Peace", past=True, organiser=organisation)
    session = SessionFactory(event=event, title="Breakout: youth", network_group=group)
    SpeakerFactory(session=session, organisation=partner)
    follow_up = FollowUpFactory(event=event, title="Explore concrete partnerships")
    proposal = ProposalFactory(
        title="Youth dialogue circles",
        lead_participant=organisation,
        network_group=group,
        follow_up=follow_up,
        themes=["youth"],
    )
    ParticipantFactory(proposal=proposal, organisation=partner)
    upcoming = EventFactory(title="Network meeting on youth", capacity=20)
    return {
        "group": group,
        "organisation": organisation,
        "partner": partner,
        "event": event,
        "upcoming": upcoming,
        "proposal": proposal,
    }
