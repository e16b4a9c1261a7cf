import datetime
import json
import re
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from organisations.models import Capacity, Organisation
from tests.accounts import ROLES, STAFF_WITHOUT_MFA, client_as
from tests.factories import NetworkGroupFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _json_ld(response):
    html = response.content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1)) if match else None


@pytest.fixture
def organisation():
    organisation = OrganisationFactory(
        name="Stichting Tosangana",
        short_name="Tosangana",
        slug="tosangana",
        kind="diaspora",
        summary="Congolese-Dutch foundation.",
        description="Supports a school and a women's centre.",
        website="https://tosangana.example",
        email="info@tosangana.example",
        email_visibility="public",
        phone="+31 70 000 0000",
        phone_visibility="members",
        address="Laan 1",
        postcode="2500 AA",
        address_visibility="admins",
        countries=["CD"],
        focus_regions="Kinshasa",
        founded=2006,
        last_confirmed=datetime.date(2026, 10, 1),
        themes=["Gender", "Youth"],
        offers_detail="Access to the Congolese community.",
        needs_detail="Help with funding applications.",
    )
    organisation.network_groups.add(NetworkGroupFactory(name="Gender", slug="gender"))
    organisation.offers.add(Capacity.objects.create(name="Community access", slug="community"))
    return organisation


def test_profile_shows_the_public_fields(client, organisation):
    response = client.get(organisation.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    for text in (
        "Stichting Tosangana (Tosangana)",
        "Congolese-Dutch foundation.",
        "Supports a school",
        "Diaspora organisation",
        "founded in 2006",
        "Congo",
        "Kinshasa",
        'href="/network-groups/gender/"',
        'href="/organisations/?theme=gender"',
        "Community access",
        "Access to the Congolese community.",
        "Help with funding applications.",
        '<time datetime="2026-10-01">1 October 2026</time>',
    ):
        assert text in html, text


def test_profile_without_confirmation_says_so(client):
    organisation = OrganisationFactory(last_confirmed=None)

    response = client.get(organisation.get_absolute_url())

    assert "has not confirmed these details yet" in response.content.decode()


@pytest.mark.parametrize("role", [*ROLES, STAFF_WITHOUT_MFA])
def test_profile_shows_contact_details_only_as_the_organisation_chose(client, organisation, role):
    client = client_as(client, role, organisation)
    expected = {
        "anonymous": {"email"},
        "other_member": {"email", "phone"},
        "owner": {"email", "phone", "address"},
        "editor": {"email", "phone", "address"},
        "staff": {"email", "phone", "address"},
        STAFF_WITHOUT_MFA: {"email", "phone"},
    }[role]

    html = client.get(organisation.get_absolute_url()).content.decode()

    shown = {
        name
        for name, value in [
            ("email", "info@tosangana.example"),
            ("phone", "+31 70 000 0000"),
            ("address", "Laan 1"),
        ]
        if value in html
    }
    assert shown == expected


def test_profile_has_schema_org_json_ld_with_public_contact_only(client, organisation):
    data = _json_ld(client.get(organisation.get_absolute_url()))

    assert data["@type"] == "Organization"
    assert data["name"] == "Stichting Tosangana"
    assert data["alternateName"] == "Tosangana"
    assert data["url"].endswith("/organisations/tosangana/")
    assert data["email"] == "info@tosangana.example"
    assert "telephone" not in data
    assert "streetAddress" not in data["address"]
    assert data["foundingDate"] == "2006"


def test_profile_json_ld_cannot_break_out_of_its_script(client):
    organisation = OrganisationFactory(summary="</script><script>alert(1)</script>")

    html = client.get(organisation.get_absolute_url()).content.decode()

    assert "</script><script>alert(1)" not in html
    assert _json_ld(client.get(organisation.get_absolute_url()))["description"] == (
        "</script><script>alert(1)</script>"
    )


def test_profile_has_open_graph_and_canonical_url(client, settings, organisation):
    settings.SITE_URL = "https://peacenet.example"

    html = client.get(organisation.get_absolute_url()).content.decode()

    assert (
        '<link rel="canonical" href="https://peacenet.example/organisations/tosangana/">' in html
    )
    assert '<meta property="og:title" content="Stichting Tosangana (Tosangana)">' in html
    assert '<meta property="og:description" content="Congolese-Dutch foundation.">' in html
    assert (
        '<meta property="og:url" content="https://peacenet.example/organisations/tosangana/">'
        in html
    )


def test_profile_has_places_for_partnerships_and_events(client, organisation):
    html = client.get(organisation.get_absolute_url()).content.decode()

    assert 'id="partnerships-heading"' in html
    assert 'id="events-heading"' in html
    assert "is not in a partnership on PeaceNet yet" in html
    assert "No events with Stichting Tosangana on PeaceNet yet" in html


@pytest.mark.parametrize("status", ["pending", "rejected", "archived"])
def test_profile_not_published_answers_404_to_the_public(client, status):
    organisation = OrganisationFactory(status=status)

    response = client.get(organisation.get_absolute_url())

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("owner", 200),
        ("editor", 200),
        ("other_member", 404),
        ("anonymous", 404),
        ("staff", 200),
        ("staff_without_mfa", 404),
    ],
)
def test_profile_pending_is_visible_to_its_members_and_staff(client, role, status_code):
    organisation = OrganisationFactory(status=Organisation.Status.PENDING)
    client = client_as(client, role, organisation)

    response = client.get(organisation.get_absolute_url())

    assert response.status_code == status_code
    if status_code == 200:
        assert '<meta name="robots" content="noindex">' in response.content.decode()
        assert _json_ld(response) is None
    # Staff without a second factor are shown the way to one where the profile would have been.
    offered = reverse("mfa_activate_totp") in response.content.decode()
    assert offered is (role == STAFF_WITHOUT_MFA)


def test_profile_unknown_slug_answers_404(client):
    assert client.get("/organisations/no-such-organisation/").status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_profile_query_count_is_fixed(client, django_assert_num_queries, count):
    organisation = OrganisationFactory(themes=[f"Theme {n}" for n in range(count)])
    for n in range(count):
        organisation.network_groups.add(NetworkGroupFactory())
        organisation.offers.add(Capacity.objects.create(name=f"Offer {n}", slug=f"offer-{n}"))
        organisation.needs.add(Capacity.objects.create(name=f"Need {n}", slug=f"need-{n}"))
    OrganisationFactory.create_batch(count)

    # The organisation (with whether it has members), its themes, groups, offers and needs;
    # its events (organised or co-organised; sessions facilitated or spoken in); its
    # partnerships.
    with django_assert_num_queries(8):
        response = client.get(organisation.get_absolute_url())

    assert response.status_code == 200


def test_visible_contact_for_anonymous_has_public_fields_only(organisation):
    assert organisation.visible_contact(AnonymousUser()) == {"email": "info@tosangana.example"}


def test_logo_address_is_absolute_for_local_media_and_as_is_on_an_object_store(settings):
    settings.SITE_URL = "https://peacenet.example"
    organisation = Organisation(slug="logo-owner", logo="logos/a.png")

    assert organisation.logo_absolute_url == "https://peacenet.example/media/logos/a.png"
    with mock.patch(
        "django.core.files.storage.FileSystemStorage.url",
        return_value="https://media.peacenet.example/logos/a.png",
    ):
        assert organisation.logo_absolute_url == "https://media.peacenet.example/logos/a.png"
    assert Organisation(slug="no-logo").logo_absolute_url == ""
