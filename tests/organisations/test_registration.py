import io
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import resolve, reverse
from PIL import Image

from organisations.models import Membership, Organisation, Theme, ThemeSuggestion
from organisations.services import registration as registration_service
from tests.accounts import sign_in_with_mfa
from tests.clock import NOW, frozen_clock
from tests.factories import NetworkGroupFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("organisations:register")


def registration(**overrides):
    data = {
        "name": "Tosangana Peace Circle",
        "short_name": "TPC",
        "kind": "diaspora",
        "summary": "Congolese diaspora women building peace.",
        "description": "We meet monthly in The Hague.",
        "website": "https://tosangana.example.org",
        "email": "hidden@tosangana.example.org",
        "email_visibility": "admins",
        "phone": "",
        "phone_visibility": "admins",
        "address": "",
        "postcode": "",
        "address_visibility": "admins",
        "city": "The Hague",
        "themes": "gender, dr congo",
        "consent": "on",
    }
    data.update(overrides)
    return data


def image_file(fmt="PNG", size=(64, 32), name=None):
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format=fmt)
    return SimpleUploadedFile(name or f"logo.{fmt.lower()}", buffer.getvalue())


def test_register_sends_anonymous_visitors_to_sign_in_and_back(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={URL}"


def test_register_shows_the_form_to_a_signed_in_user(client, user):
    client.force_login(user)

    response = client.get(URL)

    assert response.status_code == 200
    assert b'name="consent"' in response.content
    assert b'name="homepage"' in response.content  # the honeypot


@frozen_clock
def test_register_creates_a_pending_organisation_owned_by_the_submitter(
    client, user, staff, django_capture_on_commit_callbacks
):
    group = NetworkGroupFactory(name="Gender")
    Theme.objects.create(name_en="Gender", name_fr="Genre")
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, registration(network_groups=[group.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    organisation = Organisation.objects.get(name="Tosangana Peace Circle")
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.slug == "tosangana-peace-circle"
    assert organisation.last_confirmed == NOW.date()
    # A theme of the vocabulary is given; one it lacks waits for staff as a suggestion.
    assert [theme.name_en for theme in organisation.themes.all()] == ["Gender"]
    suggestion = ThemeSuggestion.objects.get()
    assert (suggestion.name, suggestion.content_object, suggestion.suggested_by) == (
        "dr congo",
        organisation,
        user,
    )
    assert list(organisation.network_groups.all()) == [group]
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (user, Membership.Role.OWNER)
    assert [message.to for message in mail.outbox] == [[staff.email]]
    assert "Tosangana Peace Circle" in mail.outbox[0].subject
    change_page = reverse("admin:organisations_organisation_change", args=[organisation.pk])
    assert settings.SITE_URL + change_page in mail.outbox[0].body


def test_register_pending_profile_is_visible_to_its_owner_and_staff_only(client, user, staff):
    client.force_login(user)
    client.post(URL, registration())
    detail = reverse("organisations:detail", kwargs={"slug": "tosangana-peace-circle"})

    own = client.get(detail)
    client.force_login(staff)
    as_staff_without_mfa = client.get(detail)
    sign_in_with_mfa(client, staff)
    as_staff = client.get(detail)
    client.force_login(UserFactory())
    as_stranger = client.get(detail)
    client.logout()
    as_anonymous = client.get(detail)

    assert own.status_code == 200
    assert "Waiting for review" in own.content.decode()
    assert as_staff.status_code == 200
    assert as_staff_without_mfa.status_code == 404
    assert as_stranger.status_code == 404
    assert as_anonymous.status_code == 404


@frozen_clock
def test_register_ignores_fields_the_user_may_not_set(client, user):
    other = OrganisationFactory()
    client.force_login(user)

    client.post(
        URL,
        registration(
            status="published",
            last_confirmed="2001-01-01",
            slug="chosen-slug",
            moderated_by=user.pk,
            status_reason="none",
            memberships=[other.pk],
            organisation=other.pk,
            role="owner",
        ),
    )

    organisation = Organisation.objects.get(name="Tosangana Peace Circle")
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.last_confirmed == NOW.date()
    assert organisation.slug == "tosangana-peace-circle"
    assert organisation.moderated_by is None
    assert not Membership.objects.filter(organisation=other, user=user).exists()


def test_register_refuses_an_existing_name_in_any_case_and_offers_to_claim_it(client, user):
    OrganisationFactory(name="Tosangana Peace Circle", slug="tosangana")
    client.force_login(user)

    response = client.post(URL, registration(name="tosangana   PEACE circle"))

    assert response.status_code == 200
    assert Organisation.objects.count() == 1
    body = response.content.decode()
    assert "is already in PeaceNet" in body
    assert reverse("organisations:claim", kwargs={"slug": "tosangana"}) in body


@pytest.mark.parametrize(
    "website",
    ["javascript:alert(1)", "ftp://files.example.org", "data:text/html,hi", "file:///etc/passwd"],
)
def test_register_accepts_only_http_and_https_websites(client, user, website):
    client.force_login(user)

    response = client.post(URL, registration(website=website))

    assert response.status_code == 200
    assert 'id="id_website_error"' in response.content.decode()
    assert not Organisation.objects.exists()


def test_register_invalid_form_keeps_what_the_user_typed(client, user):
    client.force_login(user)

    response = client.post(URL, registration(consent="", kind="not-a-kind"))

    assert response.status_code == 200
    assert not Organisation.objects.exists()
    body = response.content.decode()
    assert 'value="Tosangana Peace Circle"' in body
    assert "Congolese diaspora women building peace." in body
    assert "We meet monthly in The Hague." in body
    # The error summary links to each invalid field; each error is tied to its field.
    assert 'class="error-summary"' in body
    assert 'href="#id_consent"' in body
    assert 'href="#id_kind"' in body
    assert 'aria-describedby="id_consent_error"' in body


def test_register_honeypot_stops_bots(client, user):
    client.force_login(user)

    response = client.post(URL, registration(homepage="http://spam.example"))

    assert response.status_code == 200
    assert not Organisation.objects.exists()


def test_register_rate_limit_refuses_with_a_clear_message(client, user, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "register_organisation": "1/h/ip,1/h/user",
    }
    client.force_login(user)
    client.post(URL, registration())

    response = client.post(URL, registration(name="Second Circle"))

    assert response.status_code == 429
    assert "too often" in response.content.decode()
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Tosangana Peace Circle"]


def test_register_rate_limit_counts_per_ip_address_across_users(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "register_organisation": "1/h/ip,1/h/user",
    }
    client.force_login(UserFactory())
    client.post(URL, registration())
    client.force_login(UserFactory())

    response = client.post(URL, registration(name="Second Circle"))

    assert response.status_code == 429
    assert Organisation.objects.count() == 1


def test_register_stores_a_re_encoded_logo(client, user):
    client.force_login(user)

    client.post(URL, registration(logo=image_file("PNG", size=(2000, 1000))))

    organisation = Organisation.objects.get()
    assert organisation.logo.name.startswith("logos/")
    assert organisation.logo.name.endswith(".png")
    with Image.open(organisation.logo.path) as stored:
        assert stored.format == "PNG"
        assert max(stored.size) <= 1024


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP"])
def test_register_accepts_jpeg_and_webp_logos(client, user, fmt):
    client.force_login(user)

    client.post(URL, registration(logo=image_file(fmt)))

    assert Organisation.objects.get().logo


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: image_file("GIF"), "PNG, JPEG or WebP"),
        (lambda: SimpleUploadedFile("logo.png", b"<?php echo 'no'; ?>"), "image"),
        (lambda: SimpleUploadedFile("big.png", b"\0" * (2 * 1024 * 1024 + 1)), "2 MB"),
    ],
    ids=["gif", "not-an-image", "too-large"],
)
def test_register_refuses_bad_logos(client, user, upload, message):
    client.force_login(user)

    response = client.post(URL, registration(logo=upload()))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organisation.objects.exists()


def test_register_refuses_a_decompression_bomb(client, user):
    buffer = io.BytesIO()
    Image.new("1", (6000, 6000)).save(buffer, format="PNG")  # 36 megapixels, a few KB
    client.force_login(user)

    response = client.post(
        URL, registration(logo=SimpleUploadedFile("bomb.png", buffer.getvalue()))
    )

    assert response.status_code == 200
    assert len(buffer.getvalue()) < 100_000
    assert "too many pixels" in response.content.decode()
    assert not Organisation.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_registrations_at_the_same_moment_create_one(monkeypatch):
    users = [UserFactory(), UserFactory()]
    both_validated = threading.Barrier(2, timeout=10)
    real_unique_slug = registration_service.unique_slug

    def unique_slug_after_both_validated(name, **kwargs):
        both_validated.wait()
        return real_unique_slug(name, **kwargs)

    monkeypatch.setattr(registration_service, "unique_slug", unique_slug_after_both_validated)
    responses = []

    def submit(user):
        client = Client()
        client.force_login(user)
        try:
            responses.append(client.post(URL, registration()))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(response.status_code for response in responses) == [200, 302]
    refused = next(response for response in responses if response.status_code == 200)
    assert "was registered a moment ago" in refused.content.decode()
    assert Organisation.objects.filter(name="Tosangana Peace Circle").count() == 1
    assert Membership.objects.count() == 1


def test_register_suggests_themes_already_in_use(client, user):
    OrganisationFactory(themes=["mediation", "youth"])
    client.force_login(user)

    body = client.get(URL).content.decode()

    assert "for example: mediation, youth." in body


def test_register_rate_limit_uses_the_client_address_behind_a_proxy(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "register_organisation": "1/h/ip,1/h/user",
    }
    client.force_login(UserFactory())
    client.post(URL, registration(), HTTP_X_FORWARDED_FOR="198.51.100.1")
    client.force_login(UserFactory())

    other_client = client.post(
        URL, registration(name="Second Circle"), HTTP_X_FORWARDED_FOR="198.51.100.2"
    )

    assert other_client.status_code == 302
    assert Organisation.objects.count() == 2


@pytest.mark.parametrize(("name", "slug"), [("Register", "register-2"), ("Export", "export-2")])
def test_register_never_gives_a_slug_that_shadows_a_fixed_address(client, user, name, slug):
    client.force_login(user)

    client.post(URL, registration(name=name))

    organisation = Organisation.objects.get(name=name)
    assert organisation.slug == slug
    assert resolve(organisation.get_absolute_url()).view_name == "organisations:detail"
