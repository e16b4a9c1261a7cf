"""Pictures of a profile and a partnership for other sites: the profile's JSON-LD logo and
public email, and an Open Graph image for every profile and partnership (the logo, or a card
with the name drawn once)."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from organisations.models import Organisation
from partnerships.models import ProposalStatus
from peacenet.lib.cards import mark
from tests.accounts import client_as
from tests.factories import OrganisationFactory
from tests.partnerships.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def og_image(html):
    return re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)


def json_ld(html):
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )


def test_a_profile_without_a_logo_shows_a_card_with_its_name(client, settings):
    settings.SITE_URL = "https://peacenet.example"
    organisation = OrganisationFactory(name="Amani Diaspora", slug="amani")

    image = og_image(client.get(organisation.get_absolute_url()).content.decode())
    card = client.get(image.removeprefix("https://peacenet.example"))

    assert image == "https://peacenet.example/organisations/amani/card.png"
    assert card.status_code == 200
    assert card["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(card.content)).size == (1200, 630)


def test_a_profile_with_a_logo_shows_its_logo_everywhere(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://peacenet.example"
    organisation = OrganisationFactory(
        slug="amani",
        email="hello@amani.example",
        email_visibility="public",
        logo=SimpleUploadedFile("amani.png", mark("AD", (29, 78, 137)), "image/png"),
    )

    html = client.get(organisation.get_absolute_url()).content.decode()

    assert og_image(html) == organisation.logo_absolute_url
    assert og_image(html).startswith("https://peacenet.example/media/logos/")
    data = json_ld(html)
    assert data["logo"] == organisation.logo_absolute_url
    assert data["email"] == "hello@amani.example"


def test_json_ld_names_only_public_contact_details_even_for_members(client):
    organisation = OrganisationFactory(
        email="members@amani.example",
        email_visibility="members",
        phone="070",
        phone_visibility="members",
    )
    member = client_as(client, "other_member", organisation)

    html = member.get(organisation.get_absolute_url()).content.decode()

    assert "members@amani.example" in html  # shown to the signed-in member on the page
    assert "email" not in json_ld(html)
    assert "telephone" not in json_ld(html)


def test_an_unpublished_profile_has_no_card_for_visitors(client):
    pending = OrganisationFactory(slug="waiting", status="pending")

    assert client.get("/organisations/waiting/card.png").status_code == 404
    assert pending.status == "pending"


def test_a_partnership_has_an_open_graph_card(client, settings):
    settings.SITE_URL = "https://peacenet.example"
    proposal = ProposalFactory(title="Youth dialogue circles", slug="circles")

    html = client.get(proposal.get_absolute_url()).content.decode()
    card = client.get("/partnerships/circles/card.png")

    assert og_image(html) == "https://peacenet.example/partnerships/circles/card.png"
    assert '<meta property="og:title" content="Youth dialogue circles">' in html
    assert Image.open(io.BytesIO(card.content)).size == (1200, 630)


def test_a_draft_has_no_card_for_visitors(client):
    ProposalFactory(slug="secret-plan", status=ProposalStatus.DRAFT)

    assert client.get("/partnerships/secret-plan/card.png").status_code == 404


def test_a_generated_mark_is_a_round_picture_with_initials():
    image = Image.open(io.BytesIO(mark("WM", (138, 59, 0))))

    assert image.size == (256, 256)
    assert image.getpixel((0, 0))[3] == 0  # transparent outside the disc
    assert image.getpixel((128, 20))[:3] == (138, 59, 0)


def logo_upload(initials="AD", colour=(29, 78, 137)):
    return SimpleUploadedFile("logo.png", mark(initials, colour), "image/png")


def test_a_new_logo_gets_a_card_size_rendition_made_once():
    organisation = OrganisationFactory(logo=logo_upload())

    organisation.refresh_from_db()
    card = organisation.logo_card
    assert card.name.startswith("logos/cards/")
    with card.open("rb") as stored:
        image = Image.open(stored)
        assert (image.format, image.size) == ("WEBP", (96, 96))
    organisation.summary = "Saved again without a new logo."
    organisation.save()
    organisation.refresh_from_db()
    assert organisation.logo_card.name == card.name  # not made again


def test_a_replaced_logo_gets_a_new_rendition_and_no_logo_none():
    organisation = OrganisationFactory(logo=logo_upload())
    first = Organisation.objects.get(pk=organisation.pk).logo_card.name

    organisation.logo = logo_upload("NW", (138, 59, 0))
    organisation.save()
    replaced = Organisation.objects.get(pk=organisation.pk).logo_card.name
    organisation.logo = ""
    organisation.save()

    assert replaced != first
    assert Organisation.objects.get(pk=organisation.pk).logo_card.name == ""


def test_a_logo_that_cannot_be_read_leaves_the_card_without_one_and_saves(caplog):
    organisation = OrganisationFactory()
    Organisation.objects.filter(pk=organisation.pk).update(logo="logos/missing.png")
    organisation.refresh_from_db()

    organisation.summary = "Still saved."
    organisation.save()

    organisation.refresh_from_db()
    assert organisation.summary == "Still saved."
    assert organisation.logo_card.name == ""
    assert "could not be read" in caplog.text


def test_directory_cards_show_the_small_logo_lazily_with_its_size(client):
    OrganisationFactory(name="Amani Diaspora", logo=logo_upload())
    OrganisationFactory(name="No Logo Foundation")

    html = client.get("/organisations/").content.decode()

    images = re.findall(r'<img class="card-logo" src="([^"]+)"([^>]*)>', html)
    assert len(images) == 1
    src, attributes = images[0]
    assert src.startswith("/media/logos/cards/")
    assert 'width="48" height="48" loading="lazy"' in attributes
    assert 'alt=""' in attributes
