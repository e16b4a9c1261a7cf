"""The open data carries its licence (CC BY 4.0) wherever it is offered."""

import csv
import io
import json

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def test_open_data_page_states_the_licence_and_offers_the_files(client):
    page = client.get(reverse("open_data")).content.decode()

    assert "CC BY 4.0" in page
    assert f'<a href="{LICENCE_URL}" rel="license">' in page
    assert reverse("organisations:export_csv") in page
    assert reverse("organisations:export_json") in page
    assert reverse("events:feed_ics") in page


def test_directory_states_the_licence_beside_the_downloads(client):
    OrganisationFactory()

    page = client.get(reverse("organisations:directory")).content.decode()

    assert f'<a href="{LICENCE_URL}" rel="license">CC BY 4.0</a>' in page
    assert reverse("open_data") in page


def test_json_export_carries_the_licence_in_its_envelope(client, settings):
    OrganisationFactory(name="Open Org")

    response = client.get(reverse("organisations:export_json"))
    data = json.loads(b"".join(response.streaming_content))

    assert data["licence"] == {
        "name": "CC BY 4.0",
        "title": "Creative Commons Attribution 4.0 International",
        "url": LICENCE_URL,
        "attribution": "PeaceNet The Hague",
        "about": f"{settings.SITE_URL}/open-data/",
    }
    assert [organisation["name"] for organisation in data["organisations"]] == ["Open Org"]


def test_csv_export_names_its_licence_in_a_link_header_and_stays_plain_csv(client):
    OrganisationFactory(name="Open Org")

    response = client.get(reverse("organisations:export_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert f'<{LICENCE_URL}>; rel="license"' in response["Link"]
    assert '/open-data/>; rel="describedby"' in response["Link"]
    assert rows[0][0] == "name"
    assert rows[1][0] == "Open Org"


def test_the_open_data_page_is_in_the_sitemap(client):
    sitemap = client.get(reverse("sitemap_section", kwargs={"section": "pages"}))

    assert "/open-data/</loc>" in sitemap.content.decode()
