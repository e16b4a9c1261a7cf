"""A phone-sized browser for tests: 390 by 844 CSS pixels, touch, and the check that nothing
makes a page scroll sideways."""

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def sideways_overflow(page):
    """How many pixels the page is wider than the screen (0 when it fits)."""
    return max(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"), 0)


def assert_fits_the_screen(page):
    """Nothing makes the page scroll sideways (WCAG 1.4.10, reflow)."""
    overflow = sideways_overflow(page)
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"
