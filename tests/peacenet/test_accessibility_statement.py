from django.urls import reverse
from django.utils import translation


def test_accessibility_statement_says_what_is_tested(client):
    response = client.get(reverse("accessibility"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Accessibility statement</h1>" in content
    assert "WCAG) 2.2 at level AA" in content
    assert "axe-core" in content


def test_accessibility_statement_names_the_staff_address_for_reports(client, settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["access@peacenet.example"]

    response = client.get(reverse("accessibility"))

    assert b'href="mailto:access@peacenet.example"' in response.content


def test_every_page_links_to_the_accessibility_statement_in_its_footer(client, db):
    response = client.get(reverse("home"))

    footer = response.content.decode().split('<footer class="site-footer">')[1]
    assert f'href="{reverse("accessibility")}"' in footer


def test_accessibility_statement_names_every_interface_language(client, settings):
    """It promises what the site offers: each interface language, by name, in each language."""
    names = {"en": "Arabic", "nl": "Arabisch", "fr": "l\u2019arabe", "ar": "العربية"}
    assert set(names) == {code for code, _name in settings.LANGUAGES}
    for code, arabic in names.items():
        with translation.override(code):
            page = client.get(reverse("accessibility")).content.decode()
        assert arabic in page
        assert "English and Dutch" not in page
