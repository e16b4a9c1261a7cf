"""Arabic, right to left, on a desktop and a phone: every page type is laid out from the
right, nothing overlaps and nothing scrolls sideways. A screenshot of each is kept."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.languages import in_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}

# Boxes of what a reader sees: each line of text (outside pictures, which are checked by
# their own tests), and each image, picture, form control and button. Two of them overlap when
# they share more than 2 pixels each way; text inside a control is part of that control.
OVERLAPS = """
() => {
  const skip = "svg, select, option, script, style, template, noscript, .visually-hidden";
  const boxes = [];
  // Rendered and seen: not in a closed <details>, not display: none, not transparent.
  const visible = (element) =>
    element.checkVisibility({contentVisibilityAuto: true, opacityProperty: true,
                             visibilityProperty: true});
  const add = (owner, rect, what) => {
    if (rect.width > 1 && rect.height > 1 && rect.bottom > 0) {
      boxes.push({owner, what, left: rect.left + scrollX, right: rect.right + scrollX,
                  top: rect.top + scrollY, bottom: rect.bottom + scrollY});
    }
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode;
    const parent = text.parentElement;
    if (!text.textContent.trim() || parent.closest(skip) || !visible(parent)) continue;
    const range = document.createRange();
    range.selectNodeContents(text);
    for (const rect of range.getClientRects()) add(parent, rect, text.textContent.trim());
  }
  const controls = "img, input:not([type=hidden]), select, textarea, button, main svg";
  for (const element of document.querySelectorAll(controls)) {
    if (element.closest(".visually-hidden") || !visible(element)) continue;
    add(element, element.getBoundingClientRect(),
        element.outerHTML.slice(0, 80));
  }
  const found = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.owner === b.owner || a.owner.contains(b.owner) || b.owner.contains(a.owner)) continue;
      const wide = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const high = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (wide > 2 && high > 2) found.push(`"${a.what}" overlaps "${b.what}"`);
    }
  }
  return found.slice(0, 10);
}
"""


def pages(data):
    pages = [
        ("home", reverse("home")),
        ("directory", reverse("organisations:directory")),
        ("profile", data["organisation"].get_absolute_url()),
        ("network-groups", reverse("organisations:network_groups")),
        ("network-group", data["group"].get_absolute_url()),
        ("events", reverse("events:list")),
        ("event", data["event"].get_absolute_url()),
        ("partnerships", reverse("partnerships:list")),
        ("proposal", data["proposal"].get_absolute_url()),
        ("statistics", reverse("statistics")),
        ("sign-up", reverse("account_signup")),
    ]
    return [(name, in_language(path, "ar")) for name, path in pages]


def problems_of(page):
    problems = []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        problems.append(f"scrolls sideways by {overflow}px")
    problems += page.evaluate(OVERLAPS)
    return problems


@pytest.mark.parametrize("size", SIZES)
def test_arabic_pages_neither_overlap_nor_scroll_sideways(
    live_server, page, screenshot, site_data, size
):
    page.set_viewport_size(SIZES[size])
    reports = []
    for name, path in pages(site_data):
        response = page.goto(live_server.url + path)
        assert response.ok, path
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        screenshot(f"{name}-ar-{size}")
        if problems := problems_of(page):
            reports.append(f"[{name}] {path}: " + "; ".join(problems))
    assert not reports, "\n".join(reports)


def test_the_page_starts_on_the_right_in_arabic(live_server, page, site_data):
    page.set_viewport_size(SIZES["desktop"])
    page.goto(live_server.url + in_language(reverse("home"), "ar"))

    brand = page.locator(".brand").bounding_box()
    heading = page.get_by_role("heading", level=1).bounding_box()
    width = SIZES["desktop"]["width"]
    # The site's name heads the right-hand side; the main heading starts on the right.
    assert brand["x"] + brand["width"] > width * 0.75
    assert heading["x"] + heading["width"] > width * 0.75


def test_the_check_finds_an_overlap_and_a_page_too_wide(live_server, page):
    page.set_viewport_size(SIZES["phone"])
    page.goto(live_server.url + in_language(reverse("accessibility"), "ar"))
    assert problems_of(page) == []

    page.evaluate(
        """() => {
          const heading = document.querySelector("h1");
          const copy = heading.cloneNode(true);
          copy.id = "";
          heading.after(copy);
          copy.style.position = "relative";  // through the CSSOM, which the CSP allows
          copy.style.top = `-${heading.offsetHeight}px`;
          document.querySelector("main").append(Object.assign(
            document.createElement("p"), {textContent: "x".repeat(400)}));
        }"""
    )

    problems = problems_of(page)
    assert problems[0].startswith("scrolls sideways by")
    assert any("overlaps" in problem for problem in problems)
