from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_loads_in_a_real_browser(live_server, page, screenshot):
    OrganisationFactory(name="Tosangana Test Foundation")

    page.goto(live_server.url + "/")

    expect(page.get_by_role("heading", level=1)).to_contain_text("working for peace")
    expect(page.get_by_role("link", name="Tosangana Test Foundation")).to_be_visible()
    # Our own stylesheet and script load (no CDN, nothing blocked by the CSP).
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Liberation')
    assert page.evaluate("typeof window.htmx") == "object"
    path = screenshot("home")
    assert Path(path).stat().st_size > 10_000


def test_skip_link_moves_focus_to_main_content(live_server, page):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"
