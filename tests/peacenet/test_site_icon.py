"""The site's icon: /favicon.ico, the SVG icon and the web manifest every page links to."""

import json
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ICO_HEADER = b"\x00\x00\x01\x00"  # reserved 0, type 1 (icon)


def linked(html, rel):
    """The address of the <link rel=...> element of a page."""
    found = re.search(rf'<link rel="{rel}" href="([^"]+)"', html)
    assert found, f'no <link rel="{rel}">'
    return found.group(1)


def test_favicon_ico_answers_with_an_icon_not_a_404(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content).startswith(ICO_HEADER)
    assert "max-age=86400" in response["Cache-Control"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_pages_link_the_svg_icon_and_the_manifest(client):
    html = client.get(reverse("home")).content.decode()

    svg = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert svg, "no SVG icon"
    icon = client.get(svg.group(1))
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)
    assert linked(html, "manifest") == "/site.webmanifest"
    assert '<meta name="theme-color" content="#1d4e89">' in html


def test_web_manifest_names_the_site_with_icons_that_exist_and_a_theme_colour(client):
    response = client.get("/site.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "PeaceNet The Hague"
    assert manifest["short_name"] == "PeaceNet"
    assert manifest["start_url"] == "/"
    assert manifest["theme_color"] == "#1d4e89"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"any", "192x192", "512x512"}
    for icon in manifest["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200, icon["src"]
        assert served["Content-Type"] == icon["type"]


def test_web_manifest_speaks_the_visitors_language(client):
    client.cookies["django_language"] = "nl"  # chosen: the plain address leads to /nl/

    manifest = json.loads(client.get("/site.webmanifest", follow=True).content)

    assert manifest["lang"] == "nl"
    assert manifest["name"] == "PeaceNet Den Haag"
