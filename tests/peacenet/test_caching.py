"""Public pages come from the cache for visitors, and are never out of date or someone else's."""

import datetime as dt
import re
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.template import Context as TemplateContext
from django.template import Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from redis.exceptions import OutOfMemoryError

from organisations.models import Membership
from peacenet.lib import caching
from peacenet.lib.caching import (
    GENERATION_KEY,
    Stamped,
    cached_for_generation,
    content_changed,
    one_generation,
    page_cache,
)
from peacenet.lib.redis_cache import set_each
from tests.accounts import client_as
from tests.clock import at
from tests.factories import (
    MembershipFactory,
    NetworkGroupFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.languages import in_language

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def without_token(html):
    return TOKEN.sub("", html)


def test_a_visitors_repeat_visit_costs_no_queries(client, django_assert_num_queries):
    organisation = OrganisationFactory(name="Somali Peace Forum")
    first = client.get(organisation.get_absolute_url()).content.decode()

    with django_assert_num_queries(0):
        again = client.get(organisation.get_absolute_url()).content.decode()

    assert "Somali Peace Forum" in again
    assert without_token(again) == without_token(first)


@pytest.mark.parametrize(
    "page",
    [
        lambda organisation: reverse("home"),
        lambda organisation: DIRECTORY,
        lambda organisation: organisation.get_absolute_url(),
        lambda organisation: reverse("organisations:network_groups"),
        lambda organisation: organisation.network_groups.get().get_absolute_url(),
    ],
    ids=["home", "directory", "profile", "network groups", "network group"],
)
def test_each_visitor_gets_their_own_csrf_token(page):
    organisation = OrganisationFactory()
    organisation.network_groups.add(NetworkGroupFactory())
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get(page(organisation)).content.decode()

    second_page = second.get(page(organisation)).content.decode()

    assert without_token(second_page) == without_token(first_page)  # the cached page
    (first_token,) = set(TOKEN.findall(first_page))
    (second_token,) = set(TOKEN.findall(second_page))
    assert first_token != second_token
    # The token on the cached page works for its visitor: the language switch accepts it.
    switched = second.post(
        reverse("set_language"),
        {"language": "nl", "next": "/", "csrfmiddlewaretoken": second_token},
    )
    assert switched.status_code == 302
    assert switched.cookies["django_language"].value == "nl"


def test_a_change_shows_at_once_on_every_cached_page(client, committed):
    organisation = OrganisationFactory(name="Old Name Foundation")
    pages = [reverse("home"), DIRECTORY, organisation.get_absolute_url()]
    for page in pages:
        assert "Old Name Foundation" in client.get(page).content.decode()

    with committed():
        organisation.name = "New Name Foundation"
        organisation.save()

    for page in pages:
        html = client.get(page).content.decode()
        assert "New Name Foundation" in html
        assert "Old Name Foundation" not in html


def test_new_themes_and_groups_show_at_once(client, committed):
    organisation = OrganisationFactory()
    client.get(DIRECTORY)
    client.get(organisation.get_absolute_url())
    group = NetworkGroupFactory(name="Mediators")

    with committed():
        organisation.themes.add("Transitional justice")
    with committed():
        organisation.network_groups.add(group)

    assert "Transitional justice" in client.get(DIRECTORY).content.decode()
    profile = client.get(organisation.get_absolute_url()).content.decode()
    assert "Transitional justice" in profile
    assert "Mediators" in profile


def test_an_unpublished_organisation_leaves_the_cached_pages_at_once(client, committed):
    organisation = OrganisationFactory(name="Leaving Foundation")
    client.get(DIRECTORY)
    client.get(organisation.get_absolute_url())

    with committed():
        organisation.status = "archived"
        organisation.save()

    assert "Leaving Foundation" not in client.get(DIRECTORY).content.decode()
    assert client.get(organisation.get_absolute_url()).status_code == 404


def test_the_generation_changes_when_the_change_is_committed_not_before(committed):
    """A page rendered by another request before the commit shows the old content; the
    commit retires it. Nothing is written inside the transaction, where the database cache
    would lock the generation's row until the commit."""
    before = page_cache().get(GENERATION_KEY)

    with committed():
        content_changed()
        assert page_cache().get(GENERATION_KEY) == before

    assert page_cache().get(GENERATION_KEY) != before


def test_signed_in_members_get_their_own_page_and_never_leave_it_for_visitors(client, committed):
    organisation = OrganisationFactory(name="Our Foundation")
    visitor_page = Client().get(organisation.get_absolute_url()).content.decode()
    assert "Edit the profile" not in visitor_page

    owner = client_as(client, "owner", organisation)
    assert "Edit the profile" in owner.get(organisation.get_absolute_url()).content.decode()

    with committed():
        content_changed()  # Even when the owner is the first to see the page after a change,
    owner.get(organisation.get_absolute_url())  # what they see is not stored for visitors.
    assert "Edit the profile" not in Client().get(organisation.get_absolute_url()).content.decode()


def test_a_message_waiting_for_a_visitor_is_shown_not_the_cached_page():
    visitor, user = Client(), UserFactory()
    visitor.get(reverse("home"))  # The home page is cached for visitors.
    visitor.force_login(user)

    signed_out = visitor.post(reverse("account_logout"), follow=True)

    assert signed_out.redirect_chain[-1][0] == reverse("home")
    assert "You have signed out." in signed_out.content.decode()


def test_languages_and_htmx_fragments_are_cached_apart(client):
    OrganisationFactory()
    english = client.get(DIRECTORY).content.decode()
    dutch = client.get(in_language(DIRECTORY, "nl")).content.decode()
    arabic = client.get(in_language(DIRECTORY, "ar")).content.decode()
    fragment = client.get(DIRECTORY, headers={"HX-Request": "true"}).content.decode()

    assert "Directory of organisations" in english
    assert '<html lang="nl" dir="ltr">' in dutch
    assert "Directory of organisations" not in dutch
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "<html" not in fragment
    assert 'id="directory-results"' in fragment


def test_a_cached_english_page_never_keeps_a_first_visit_from_its_language(client):
    """The plain address's cached page is English; a first visit whose browser asks for
    Dutch is still sent to the Dutch page, and the English page is not stored in its place."""
    english = Client().get(DIRECTORY)
    assert english.status_code == 200

    dutch_browser = Client().get(DIRECTORY, headers={"accept-language": "nl-NL,nl;q=0.9"})
    again = Client().get(DIRECTORY)

    assert (dutch_browser.status_code, dutch_browser["Location"]) == (302, "/nl/organisations/")
    assert "Accept-Language" in dutch_browser["Vary"]
    assert "Directory of organisations" in again.content.decode()


@pytest.mark.parametrize(
    "address",
    [reverse("organisations:detail", args=["no-such-foundation"]), DIRECTORY + "?kind=nonsense"],
    ids=["404", "400"],
)
def test_error_pages_are_not_stored(client, address):
    """Mistyped addresses and bad searches are rendered each time, so they cannot fill the
    cache."""
    with patch.object(Stamped, "set", autospec=True, side_effect=Stamped.set) as stored:
        assert client.get(address).status_code >= 400

    stored_keys = [call.args[1] for call in stored.call_args_list]
    assert not [key for key in stored_keys if key.startswith("peacenet:page:")]


def test_claiming_hides_the_claim_link_at_once(client, committed):
    organisation = OrganisationFactory()
    assert "Claim it" in client.get(organisation.get_absolute_url()).content.decode()

    with committed():
        MembershipFactory(organisation=organisation, role=Membership.Role.OWNER)

    assert "Claim it" not in client.get(organisation.get_absolute_url()).content.decode()


# Page keys: only the query a page understands, in one order ---------------------------------


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ("/", "/?n=1"),
        (DIRECTORY, DIRECTORY + "?utm_source=newsletter"),
        (DIRECTORY + "?kind=ngo&q=peace", DIRECTORY + "?q=peace&kind=ngo"),
        (DIRECTORY + "?theme=youth&theme=mediation", DIRECTORY + "?theme=mediation&theme=youth"),
        (DIRECTORY + "?kind=ngo", DIRECTORY + "?q=&kind=ngo&city="),
        (DIRECTORY + "?city=Delft", DIRECTORY + "?city=Delft&n=2&city_=x"),
    ],
    ids=["home", "unknown", "order", "repeated", "empty", "unknown beside known"],
)
def test_an_address_with_the_same_understood_query_is_served_from_the_same_entry(
    client, django_assert_num_queries, first, again
):
    OrganisationFactory(name="Delft Peace Lab", city="Delft", themes=["youth", "mediation"])
    stored = client.get(first).content.decode()

    with django_assert_num_queries(0):
        served = client.get(again).content.decode()

    assert without_token(served) == without_token(stored)


DIRECTORY_QUERIES = {
    "q": "peace",
    "kind": "diaspora",
    "network_group": "mediators",
    "theme": "youth",
    "country": "SO",
    "city": "Delft",
    "ordering": "newest",
    "page": "2",
}


@pytest.mark.parametrize("name", DIRECTORY_QUERIES)
def test_each_directory_filter_and_the_page_number_is_an_entry_of_its_own(client, name):
    OrganisationFactory(themes=["youth"]).network_groups.add(NetworkGroupFactory(slug="mediators"))
    client.get(DIRECTORY)

    with CaptureQueriesContext(connection) as rendered:
        response = client.get(DIRECTORY, {name: DIRECTORY_QUERIES[name]})

    assert response.status_code == 200
    assert len(rendered) > 0  # not the unfiltered directory's page


def test_a_parameter_the_page_does_not_understand_never_reaches_a_stored_page():
    OrganisationFactory(kind="ngo")
    marker = "campaign-7f3a"
    first = Client().get(DIRECTORY, {"kind": "ngo", "ref": marker}).content.decode()

    later = Client().get(DIRECTORY, {"kind": "ngo"}).content.decode()

    assert marker not in first
    assert marker not in later


def test_signed_in_members_keep_their_whole_query(client, user):
    client.force_login(user)

    html = client.get(DIRECTORY, {"kind": "ngo", "ref": "campaign-7f3a"}).content.decode()

    assert "ref=campaign-7f3a" in html


def test_a_full_page_cache_serves_pages_uncached_instead_of_failing(client, caplog):
    """Redis shared with the security state refuses writes when full rather than evict."""
    OrganisationFactory(name="Full Cache Foundation")
    refuse = OutOfMemoryError("command not allowed when used memory > 'maxmemory'")

    with patch.object(page_cache(), "set", side_effect=refuse):
        first = client.get(DIRECTORY)
        again = client.get(DIRECTORY)

    assert first.status_code == again.status_code == 200
    assert "Full Cache Foundation" in again.content.decode()
    assert "The page cache is full" in caplog.text


class _Probe:
    """Counts how often a template reads it."""

    def __init__(self):
        self.reads = 0

    @property
    def value(self):
        self.reads += 1
        return f"read {self.reads}"


FRAGMENT = Template(
    '{% load fragments %}{% fragment "probe" key %}{{ probe.value }}{% endfragment %}'
)


def test_a_fragment_is_rendered_once_per_generation_and_values_given(committed):
    probe = _Probe()

    def render(key):
        return FRAGMENT.render(TemplateContext({"probe": probe, "key": key}))

    assert render("a") == "read 1"
    assert render("a") == "read 1"  # From the cache.
    assert render("b") == "read 2"  # Another value: a fragment of its own.
    with committed():
        content_changed()
    assert render("a") == "read 3"  # A change makes it out of date at once.
    assert probe.reads == 3


def test_a_fragment_is_rendered_again_on_a_new_day(committed):
    """What turns with the calendar (a stale entry, an upcoming event) is never shown from
    yesterday: the day is part of every fragment's key, as of every page's."""
    probe = _Probe()

    def render():
        return FRAGMENT.render(TemplateContext({"probe": probe, "key": "a"}))

    with time_machine.travel(dt.datetime(2026, 5, 4, 23, 50, tzinfo=ZoneInfo(settings.TIME_ZONE))):
        assert render() == "read 1"
        assert render() == "read 1"
    with time_machine.travel(dt.datetime(2026, 5, 5, 0, 5, tzinfo=ZoneInfo(settings.TIME_ZONE))):
        assert render() == "read 2"
        assert render() == "read 2"


def test_signed_in_members_see_a_change_at_once_in_the_directorys_fragments(client, committed):
    organisation = OrganisationFactory(name="Old Name Foundation", kind="ngo")
    member = client_as(client, "other_member", organisation)
    assert "Old Name Foundation" in member.get(reverse("organisations:directory")).content.decode()

    with committed():
        organisation.name = "New Name Foundation"
        organisation.kind = "diaspora"
        organisation.save()

    html = member.get(reverse("organisations:directory")).content.decode()
    assert "New Name Foundation" in html
    assert "Old Name Foundation" not in html
    assert re.search(
        r'id="facet-kind-diaspora"[^>]*>Diaspora organisation <span class="facet-count">\(1\)',
        html,
    )


def test_a_profiles_fragments_never_show_one_members_contact_details_to_another(client):
    organisation = OrganisationFactory(
        email="info@example.org",
        email_visibility="public",
        phone="+31 70 123 4567",
        phone_visibility="admins",
    )
    owner = client_as(Client(), "owner", organisation)
    assert "+31 70 123 4567" in owner.get(organisation.get_absolute_url()).text

    other = client_as(Client(), "other_member", organisation)
    html = other.get(organisation.get_absolute_url()).text
    assert "info@example.org" in html
    assert "+31 70 123 4567" not in html
    assert "Edit the profile" not in html
    assert "Edit the profile" in owner.get(organisation.get_absolute_url()).text


def test_a_signed_in_members_first_visit_to_a_profile_reads_no_relations_others_saw(
    client, django_assert_num_queries
):
    organisation = OrganisationFactory(themes=["Gender", "Youth"])
    organisation.network_groups.add(NetworkGroupFactory(name="Gender Platform"))
    first = client_as(Client(), "other_member", organisation).get(organisation.get_absolute_url())
    member = client_as(client, "other_member", organisation)

    # The session and the user (with whether they follow anything: they don't): the
    # organisation with its members' roles and claims, its themes, groups, offers, needs,
    # events and partnerships come with the page and what another member's visit cached.
    with django_assert_num_queries(2):
        again = member.get(organisation.get_absolute_url()).text

    assert without_token(again) == without_token(first.text)
    assert "Gender Platform" in again
    assert "Youth" in again


@pytest.mark.parametrize(
    "page",
    [
        lambda organisation: reverse("home"),
        lambda organisation: DIRECTORY + "?q=peace&kind=ngo",
        lambda organisation: organisation.get_absolute_url(),
        lambda organisation: organisation.network_groups.get().get_absolute_url(),
        lambda organisation: reverse("partnerships:list"),
        lambda organisation: reverse("events:list"),
    ],
    ids=["home", "directory", "profile", "network group", "partnerships", "events"],
)
def test_a_members_repeat_visit_is_their_own_cached_page(page, django_assert_num_queries):
    organisation = OrganisationFactory()
    organisation.network_groups.add(NetworkGroupFactory())
    address = page(organisation)
    member = client_as(Client(), "owner", organisation)
    member.get(address)  # A response that sets a cookie (CSRF's) is not stored.
    first = member.get(address)

    # The session and the user only: the page was stored for this member.
    with django_assert_num_queries(2):
        again = member.get(address)

    assert again.status_code == 200
    assert without_token(again.text) == without_token(first.text)
    tokens = TOKEN.findall(again.text)
    assert tokens
    assert all(token != "\x00csrf-token\x00" for token in tokens)
    assert TOKEN.findall(first.text) != tokens  # each response its own masked token


def test_a_members_page_is_never_served_to_another_member_or_a_visitor(client):
    organisation = OrganisationFactory(name="Our Foundation", phone="+31 70 123 4567")
    owner = client_as(Client(), "owner", organisation)
    assert "Edit the profile" in owner.get(organisation.get_absolute_url()).text
    assert "Edit the profile" in owner.get(organisation.get_absolute_url()).text  # cached

    other = client_as(Client(), "other_member", organisation).get(organisation.get_absolute_url())
    visitor = Client().get(organisation.get_absolute_url())

    assert "Edit the profile" not in other.text
    assert "Edit the profile" not in visitor.text


def test_what_a_member_does_shows_at_once_on_their_cached_pages(client):
    organisation = OrganisationFactory()
    member = client_as(client, "other_member", organisation)
    assert "Follow this organisation" in member.get(organisation.get_absolute_url()).text

    member.post(reverse("alerts:follow"), {"kind": "organisation", "slug": organisation.slug})

    html = member.get(organisation.get_absolute_url()).text
    assert "Stop following" in html
    assert "Follow this organisation" not in html


def test_what_others_do_to_a_members_rows_shows_at_once_on_their_cached_pages(client, committed):
    organisation = OrganisationFactory()
    member = client_as(client, "other_member", organisation)
    assert "Edit the profile" not in member.get(organisation.get_absolute_url()).text

    with committed():  # Staff make them an editor, in the admin: no request of theirs.
        MembershipFactory(user=member.user, organisation=organisation, role=Membership.Role.EDITOR)

    assert "Edit the profile" in member.get(organisation.get_absolute_url()).text


def test_a_change_to_the_content_shows_at_once_on_members_cached_pages(client, committed):
    organisation = OrganisationFactory(name="Somali Peace Forum")
    member = client_as(client, "other_member", organisation)
    assert "Somali Peace Forum" in member.get(DIRECTORY).text

    with committed():
        organisation.name = "Somali Peace Network"
        organisation.save()

    assert "Somali Peace Network" in member.get(DIRECTORY).text


def test_staff_always_get_the_page_rendered(client):
    staff = client_as(client, "staff", OrganisationFactory())
    staff.get(reverse("events:list"))

    with CaptureQueriesContext(connection) as queries:
        staff.get(reverse("events:list"))

    assert len(queries) > 2  # more than the session and the user: the page, rendered


def test_a_message_waiting_for_a_member_is_shown_not_their_cached_page(client):
    organisation = OrganisationFactory()
    member = client_as(client, "other_member", organisation)
    member.get(organisation.get_absolute_url())
    member.get(organisation.get_absolute_url())  # Stored for them.

    following = member.post(
        reverse("alerts:follow"),
        {
            "kind": "organisation",
            "slug": organisation.slug,
            "next": organisation.get_absolute_url(),
        },
        follow=True,
    )

    assert following.redirect_chain
    assert "Stop following" in following.text
    assert any(message.message for message in following.context["messages"])


def test_a_signed_out_members_cookie_gets_no_page_of_theirs(client):
    organisation = OrganisationFactory(name="Our Foundation")
    owner = client_as(client, "owner", organisation)
    assert "Edit the profile" in owner.get(organisation.get_absolute_url()).text
    cookie = owner.cookies[settings.SESSION_COOKIE_NAME].value

    owner.post(reverse("account_logout"))
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = cookie

    assert "Edit the profile" not in stolen.get(organisation.get_absolute_url()).text


def test_staffs_events_list_with_unpublished_events_is_never_shown_to_members(client):
    from tests.events.factories import EventFactory

    EventFactory(title="Hidden Seminar", is_published=False)
    EventFactory(title="Open Seminar")
    organisation = OrganisationFactory()
    staff = client_as(Client(), "staff", organisation)
    assert "Hidden Seminar" in staff.get(reverse("events:list")).text

    member = client_as(Client(), "other_member", organisation)
    html = member.get(reverse("events:list")).text
    assert "Open Seminar" in html
    assert "Hidden Seminar" not in html
    assert "Hidden Seminar" not in Client().get(reverse("events:list")).text


def test_signed_in_members_get_the_partnerships_list_from_its_fragment_and_see_changes(
    client, committed, django_assert_num_queries
):
    from tests.partnerships.factories import ProposalFactory

    proposal = ProposalFactory(title="Women Mediators Exchange", status="open")
    member = client_as(client, "other_member", OrganisationFactory())
    assert "Women Mediators Exchange" in member.get(reverse("partnerships:list")).text

    # The session and the user: the proposals and their facets come with the fragment.
    with django_assert_num_queries(2):
        assert "Women Mediators Exchange" in member.get(reverse("partnerships:list")).text

    with committed():
        proposal.title = "Women Mediators Network"
        proposal.save()
    html = member.get(reverse("partnerships:list")).text
    assert "Women Mediators Network" in html
    assert "Women Mediators Exchange" not in html


def test_signed_in_members_get_each_languages_own_fragments(client):
    member = client_as(client, "other_member", OrganisationFactory())

    def page(language):
        with translation.override(language):
            return member.get(reverse("partnerships:list")).text

    english, dutch, french = page("en"), page("nl"), page("fr")

    assert "<h1>Partnership proposals</h1>" in english
    assert "<h1>Partnerschapsvoorstellen</h1>" in dutch
    assert "<h1>Propositions de partenariat</h1>" in french
    assert "<h1>Partnership proposals</h1>" in page("en")


SAME_FOR_MEMBERS = {
    "home": lambda network: reverse("home"),
    "statistics": lambda network: reverse("statistics"),
    "open data": lambda network: reverse("open_data"),
    "events": lambda network: reverse("events:list"),
    "partnerships": lambda network: reverse("partnerships:list"),
    "partnership network": lambda network: reverse("partnerships:network"),
    "map": lambda network: reverse("organisations:map"),
    "network groups": lambda network: reverse("organisations:network_groups"),
    "directory": lambda network: reverse("organisations:directory"),
    "their organisation's profile": lambda network: network.ours.get_absolute_url(),
    "another organisation's profile": lambda network: network.theirs.get_absolute_url(),
}

# Whom a page may differ for: the owner and an editor of "Our Foundation", a member of no
# organisation, one who asked to claim "Their Institute" (which has no members), and one who
# follows both organisations.
READERS = ["owner", "editor", "without organisation", "claimant", "follower"]

CONTACT = {
    "email": "info@example.org",
    "email_visibility": "public",
    "phone": "+31 70 000 0000",
    "phone_visibility": "members",
    "address": "Laan 1",
    "postcode": "2500 AA",
    "address_visibility": "admins",
}


@pytest.fixture
def a_network_at_work():
    """Content a member might be part of: their organisation in a group, a partnership, an
    event; and another organisation, without members, that may be claimed. Both show their
    contact details to visitors, members and their own members alike."""
    from types import SimpleNamespace

    from tests.events.factories import EventFactory
    from tests.partnerships.factories import ProposalFactory

    organisation = OrganisationFactory(name="Our Foundation", countries=["SO"], **CONTACT)
    organisation.network_groups.add(NetworkGroupFactory(name="Gender Platform"))
    ProposalFactory(title="Women Mediators Exchange", status="open", lead_participant=organisation)
    EventFactory(title="Open Seminar", organiser=organisation)
    theirs = OrganisationFactory(name="Their Institute", **CONTACT)
    return SimpleNamespace(ours=organisation, theirs=theirs)


def _reader(role, network):
    """A client signed in as ``role`` (see ``READERS``)."""
    from alerts.models import Follow
    from organisations.models import ClaimRequest

    if role in ("owner", "editor"):
        return client_as(Client(), role, network.ours)
    member = Client()
    user = UserFactory()
    member.force_login(user)
    if role == "claimant":
        ClaimRequest.objects.create(organisation=network.theirs, user=user, justification="Me.")
    elif role == "follower":
        for organisation in (network.ours, network.theirs):
            Follow.objects.create(user=user, kind="organisation", organisation=organisation)
    return member


@pytest.mark.parametrize("page", SAME_FOR_MEMBERS)
@pytest.mark.parametrize("role", READERS)
def test_a_page_the_same_for_members_is_what_its_view_renders_for_them(
    page, role, a_network_at_work
):
    """The guard of ``same_for_members``: the page a member is served, made from the visitors'
    page, is the page its view renders for them."""
    from peacenet.lib import caching

    member = _reader(role, a_network_at_work)
    member.get(reverse("dashboard"))  # their CSRF cookie
    address = SAME_FOR_MEMBERS[page](a_network_at_work)
    Client().get(address)  # the visitors' page, stored

    with patch("peacenet.lib.caching._for_reader", wraps=caching._for_reader) as from_shared:
        served = member.get(address)
    with patch("peacenet.lib.caching._reader", return_value=None):
        rendered = member.get(address)

    assert from_shared.call_count == 1  # made from the visitors' page, not rendered
    assert served.status_code == rendered.status_code == 200
    assert without_token(served.text) == without_token(rendered.text)


def test_a_members_first_view_of_a_page_the_same_for_everyone_is_one_cache_read(
    client, django_assert_num_queries
):
    member = client_as(client, "other_member", OrganisationFactory())
    member.get(reverse("home"))  # their CSRF cookie
    Client().get(reverse("partnerships:list"))  # a visitor's visit stored the page

    # The session and the user: the visitors' page, with their navigation put in.
    with django_assert_num_queries(2):
        html = member.get(reverse("partnerships:list")).text

    assert "Sign out" in html
    assert "Sign in" not in html
    assert TOKEN.findall(html)[0] != "\x00csrf-token\x00"


@pytest.mark.parametrize(
    ("reader", "has_members", "queries"),
    [
        # The session and the user: the organisation, with its members' roles and who asked
        # to claim it, was read by the first member's visit.
        ("without organisation", False, 2),
        ("other_member", True, 2),
        # And their follow of it (they follow something).
        ("follower", False, 3),
    ],
)
def test_a_members_first_view_of_a_profile_is_one_cache_read_and_what_is_theirs(
    client, django_assert_num_queries, reader, has_members, queries
):
    from alerts.models import Follow

    organisation = OrganisationFactory(**CONTACT)
    if has_members:
        MembershipFactory(organisation=organisation)
    if reader == "without organisation":
        member = client
        member.force_login(UserFactory())
    else:
        member = client_as(client, "other_member", OrganisationFactory())
        if reader == "follower":
            Follow.objects.create(user=member.user, kind="organisation", organisation=organisation)
    member.get(reverse("dashboard"))  # their CSRF cookie
    Client().get(organisation.get_absolute_url())  # a visitor's visit stored the page
    client_as(Client(), "other_member", None).get(organisation.get_absolute_url())  # and ours

    with django_assert_num_queries(queries):
        html = member.get(organisation.get_absolute_url()).text

    assert "+31 70 000 0000" in html  # shown to members
    assert "Laan 1" not in html  # shown to its own members only
    assert ("Stop following" in html) is (reader == "follower")
    assert ("Claim it" in html) is (not has_members)


@pytest.mark.parametrize("role", ["owner", "claimant"])
def test_a_member_gets_their_own_actions_on_the_profile_others_share(client, role):
    from organisations.models import ClaimRequest

    organisation = OrganisationFactory(**CONTACT)
    if role == "owner":
        member = client_as(client, "owner", organisation)
    else:
        member = client_as(client, "other_member", OrganisationFactory())
        ClaimRequest.objects.create(
            organisation=organisation, user=member.user, justification="Me."
        )
    visitors = Client().get(organisation.get_absolute_url()).text

    html = member.get(organisation.get_absolute_url()).text

    if role == "owner":
        assert "Members and invitations" not in visitors
        assert "Members and invitations" in html
        assert "Laan 1" in html
        assert "Claim" not in html
    else:
        assert "Claim it" in visitors
        assert "Claim sent, waiting for review." in html
        assert "Claim it" not in html


def test_a_claim_and_its_answer_show_at_once_on_the_profile_others_share(client, committed):
    from organisations import services

    organisation = OrganisationFactory()  # without members: it may be claimed
    claimant, other = UserFactory(), Client()
    other.force_login(UserFactory())
    client.force_login(claimant)
    Client().get(organisation.get_absolute_url())  # the visitors' page, stored
    assert "Claim it" in client.get(organisation.get_absolute_url()).text
    assert "Claim it" in other.get(organisation.get_absolute_url()).text

    with committed():
        claim = services.request_claim(
            organisation=organisation, user=claimant, justification="Me."
        )
    claimed = client.get(organisation.get_absolute_url()).text
    for_another = other.get(organisation.get_absolute_url()).text
    with committed():
        services.approve_claim(claim=claim, by=UserFactory(is_staff=True))
    owned = client.get(organisation.get_absolute_url()).text

    assert "Claim sent, waiting for review." in claimed
    assert "Claim it" in for_another
    assert "Claim sent" not in for_another
    assert "Members and invitations" in owned
    assert "Claim" not in owned


def test_an_organisation_not_published_is_rendered_for_its_members(client):
    organisation = OrganisationFactory(status="pending")
    owner = client_as(client, "owner", organisation)
    assert Client().get(organisation.get_absolute_url()).status_code == 404

    response = owner.get(organisation.get_absolute_url())

    assert response.status_code == 200
    assert "This profile is not public." in response.text
    assert "Edit the profile" in response.text


@pytest.mark.parametrize("role", ["staff", "staff_without_mfa"])
def test_staff_get_a_profile_rendered_afresh(client, role):
    organisation = OrganisationFactory(**CONTACT)
    staff = client_as(client, role, organisation)
    Client().get(organisation.get_absolute_url())  # the visitors' page, stored

    html = staff.get(organisation.get_absolute_url()).text

    if role == "staff":
        assert "Edit the profile" in html
        assert "Laan 1" in html
    else:  # Where the staff actions would be: the way to a second factor.
        assert reverse("mfa_activate_totp") in html
        assert "Laan 1" not in html


def test_a_members_visit_stores_the_visitors_page_without_anything_of_theirs(
    client, django_assert_num_queries
):
    member = Client()
    member.force_login(UserFactory())
    member.get(reverse("home"))
    assert "Add your organisation" in member.get(reverse("statistics")).text

    with django_assert_num_queries(0):
        html = Client().get(reverse("statistics")).text

    assert "Sign in" in html
    assert "Add your organisation" not in html
    assert "Sign out" not in html


def test_a_member_with_a_query_of_their_own_gets_the_page_rendered_with_it(client):
    member = client_as(client, "other_member", OrganisationFactory())
    Client().get(reverse("partnerships:list"))

    html = member.get(reverse("partnerships:list"), {"ref": "campaign-7f3a"}).text

    assert "ref=campaign-7f3a" in html


def test_a_member_following_the_search_sees_it_on_the_page_others_share(client):
    member = client_as(client, "other_member", OrganisationFactory())
    member.get(reverse("home"))
    address = DIRECTORY + "?kind=ngo"
    Client().get(address)  # the visitors' page, stored
    member.post(reverse("alerts:follow"), {"kind": "search", "query": "kind=ngo"})

    html = member.get(address).text

    assert "You get alerts about new organisations matching this search." in html
    assert "Sign in to get alerts" not in html
    assert "Stop following" in html


def test_a_member_gets_the_shared_page_whatever_the_order_of_the_filters(
    client, django_assert_num_queries
):
    member = client_as(client, "other_member", OrganisationFactory())
    member.get(reverse("home"))
    Client().get(DIRECTORY + "?kind=ngo&q=peace")  # the visitors' page, stored

    # The session and the user (who follows nothing): the rest is the visitors' page.
    with django_assert_num_queries(2):
        html = member.get(DIRECTORY + "?q=peace&kind=ngo").text

    assert "Alert me about new organisations matching this search" in html


def test_a_cache_without_a_generation_starts_one_for_what_it_stamps():
    """A fresh or emptied cache has no content generation: the first value stamped starts
    one, so what is kept in a process for the generation (the search's vocabulary) is kept."""
    page_cache().delete(GENERATION_KEY)

    stamped = Stamped("peacenet:test:value")
    stamped.set("peacenet:test:value", "kept", 60)

    assert stamped.generation is not None
    assert page_cache().get(GENERATION_KEY) == stamped.generation
    assert Stamped("peacenet:test:value").get("peacenet:test:value") == "kept"


def test_a_new_search_reads_the_generation_once_and_stores_what_it_made_in_one_write(client):
    """The page, its counts and its two fragments are each read (the generation with the
    page), and written together once the page is rendered; what is kept per generation
    (the facets' options, the search's vocabulary) asks the cache for no generation."""
    OrganisationFactory(name="Peace Women Network", kind="ngo")
    client.get(DIRECTORY, {"q": "network"})  # what is kept per generation, read once
    cache = page_cache()

    with (
        patch.object(cache, "get_many", wraps=cache.get_many) as reads,
        patch.object(cache, "get", wraps=cache.get) as gets,
        patch("peacenet.lib.caching.set_each", wraps=set_each) as writes,
    ):
        response = client.get(DIRECTORY, {"q": "peace women", "kind": "ngo"})

    assert "Peace Women Network" in response.text
    asked = [call.args[0] for call in reads.call_args_list]
    assert [GENERATION_KEY in keys for keys in asked] == [True, False, False, False]
    # Once, with the page (the memory cache's ``get_many`` asks ``get`` for each key).
    assert [call.args[0] for call in gets.call_args_list].count(GENERATION_KEY) == 1
    assert writes.call_count == 1
    written = writes.call_args.args[1]
    # The counts, the two fragments, the page; on SQLite the page's ids apart from the
    # counts (PostgreSQL reads them in the counts' statement).
    kinds = [
        "ids" if key.startswith("organisations:") and ":page:" in key else key.split(":")[1]
        for key in written
    ]
    expected = ["directory-facets", "fragment", "fragment", "page"]
    if connection.vendor != "postgresql":
        expected.append("ids")
    assert sorted(kinds) == sorted(expected)
    again = client.get(DIRECTORY, {"q": "peace women", "kind": "ngo"})
    assert without_token(again.text) == without_token(response.text)


def test_within_a_page_values_are_of_its_generation_and_stored_once_it_is_done():
    generation = Stamped("peacenet:test:page").content_generation

    with one_generation(generation):
        page_cache().set(GENERATION_KEY, "committed-meanwhile", None)
        stamped = Stamped("peacenet:test:part")
        stamped.set("peacenet:test:part", "made", 60)

        assert stamped.generation == generation
        assert page_cache().get("peacenet:test:part") is None  # not written yet
        # Asked again meanwhile, it is read back from what waits to be written.
        with patch.object(page_cache(), "get_many") as reads:
            assert Stamped("peacenet:test:part").get("peacenet:test:part") == "made"
        reads.assert_not_called()

    assert page_cache().get("peacenet:test:part") == (generation, "made")
    # Made as of the page's generation: out of date for the next page.
    assert Stamped("peacenet:test:part").get("peacenet:test:part") is None


def test_a_page_that_fails_stores_nothing():
    generation = Stamped().content_generation

    def failing_page():
        with one_generation(generation):
            Stamped("peacenet:test:half").set("peacenet:test:half", "half made", 60)
            raise ZeroDivisionError  # the page's view fails

    with pytest.raises(ZeroDivisionError):
        failing_page()

    assert page_cache().get("peacenet:test:half") is None
    assert Stamped("peacenet:test:next").set("peacenet:test:next", "stored", 60) is None
    assert page_cache().get("peacenet:test:next") == (generation, "stored")


def test_a_value_kept_in_the_process_is_made_once_per_generation(committed):
    made = []

    def make():
        made.append(len(made) + 1)
        return made[-1]

    key = "peacenet:test:kept"
    assert cached_for_generation(key, make, 60, in_process=True) == 1
    page_cache().delete(key)  # Gone from the cache: this process still has it.
    assert cached_for_generation(key, make, 60, in_process=True) == 1
    cache = page_cache()
    with (
        one_generation(cache.get(GENERATION_KEY)),
        patch.object(cache, "get", wraps=cache.get) as gets,
        patch.object(cache, "get_many", wraps=cache.get_many) as reads,
    ):
        assert cached_for_generation(key, make, 60, in_process=True) == 1
    assert gets.call_count == reads.call_count == 0  # Within a page: the cache is not asked.

    with committed():
        content_changed()

    assert cached_for_generation(key, make, 60, in_process=True) == 2
    assert cached_for_generation(key, make, 60) == 2  # Stored in the cache as well.
    assert made == [1, 2]


def test_the_values_kept_in_the_process_are_bounded():
    for index in range(caching.MAX_KEPT + 5):
        cached_for_generation(f"peacenet:test:{index}", lambda: "x", 60, in_process=True)

    assert 0 < len(caching._kept) <= caching.MAX_KEPT


def test_set_each_stores_each_value_with_its_own_timeout():
    cache = page_cache()
    with time_machine.travel(at("2026-07-20 12:00"), tick=False) as clock:
        cache.set("peacenet:test:dropped", "old", 600)
        set_each(
            cache,
            {
                "peacenet:test:short": ("short", 60),
                "peacenet:test:long": ("long", 600),
                "peacenet:test:dropped": ("gone", 0),
            },
        )
        assert cache.get("peacenet:test:short") == "short"
        assert cache.get("peacenet:test:dropped") is None
        clock.shift(61)

        assert cache.get("peacenet:test:short") is None
        assert cache.get("peacenet:test:long") == "long"
