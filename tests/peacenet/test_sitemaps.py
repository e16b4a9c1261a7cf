import pytest

from tests.factories import NetworkGroupFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_robots_txt_points_to_the_sitemap_and_keeps_private_pages_out(client, settings):
    settings.SITE_URL = "https://peacenet.example"

    response = client.get("/robots.txt")
    body = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: https://peacenet.example/sitemap.xml" in body
    assert "Disallow: /admin/" in body
    assert "Disallow: /dashboard/" in body


def test_sitemap_index_lists_its_sections(client):
    body = client.get("/sitemap.xml").content.decode()

    for section in ("pages", "organisations", "network-groups"):
        assert f"/sitemap-{section}.xml" in body


def test_sitemap_lists_published_organisations_only(client):
    OrganisationFactory(slug="published")
    OrganisationFactory(slug="waiting", status="pending")

    body = client.get("/sitemap-organisations.xml").content.decode()

    assert "/organisations/published/" in body
    assert "/organisations/waiting/" not in body


def test_sitemap_lists_network_groups_and_main_pages(client):
    NetworkGroupFactory(slug="youth")

    groups = client.get("/sitemap-network-groups.xml").content.decode()
    pages = client.get("/sitemap-pages.xml").content.decode()

    assert "/network-groups/youth/" in groups
    assert "/organisations/</loc>" in pages
    assert "/statistics/</loc>" in pages


def test_sitemap_lists_each_page_in_every_language_with_its_alternates(client):
    OrganisationFactory(slug="published")

    body = client.get("/sitemap-organisations.xml").content.decode()

    for prefix in ("", "/nl", "/fr", "/ar"):
        assert body.count(f"<loc>http://testserver{prefix}/organisations/published/</loc>") == 1
    # Each of the four entries names all four versions and the plain one as the default.
    for language in ("en", "nl", "fr", "ar", "x-default"):
        assert body.count(f'hreflang="{language}"') == 4
    assert 'hreflang="ar" href="http://testserver/ar/organisations/published/"' in body
    assert 'hreflang="x-default" href="http://testserver/organisations/published/"' in body


def test_robots_txt_keeps_private_pages_out_in_every_language(client):
    body = client.get("/robots.txt").content.decode()

    for prefix in ("", "/nl", "/fr", "/ar"):
        assert f"Disallow: {prefix}/admin/\n" in body
        assert f"Disallow: {prefix}/organisations/?\n" in body
