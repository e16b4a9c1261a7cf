"""Keyboard-only helpers for browser tests: move with Tab, checking every focus stop."""

# For the focused element: is it shown with a focus indicator, is it on screen, and is it the
# target? (One round trip per key press.)
FOCUS_STATE = """target => {
  const element = document.activeElement;
  if (!element || element === document.body || element === document.documentElement) {
    return null;
  }
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow !== "none";
  const box = element.getBoundingClientRect();
  const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
    && box.top < window.innerHeight && box.left < window.innerWidth;
  const label = (element.getAttribute("aria-label") || element.innerText || element.value
    || element.name || element.id || "").trim().slice(0, 60);
  return {
    description: `<${element.tagName.toLowerCase()}> ${label}`,
    indicated: outline || shadow,
    onScreen: onScreen,
    reached: element === target,
  };
}"""


def tab_to(page, target, *, limit=60, backwards=False):
    """Press Tab (Shift+Tab with ``backwards``) until ``target`` has the focus.

    Every element focused on the way must show a focus indicator and be on screen; more than
    ``limit`` presses means the target cannot be reached (or the focus is trapped).
    """
    key = "Shift+Tab" if backwards else "Tab"
    visited = []
    for _ in range(limit):
        page.keyboard.press(key)
        state = target.evaluate(FOCUS_STATE)
        if state is None:  # the focus left the page for the browser's own controls
            visited.append("(browser)")
            continue
        visited.append(state["description"])
        assert state["indicated"], f"no visible focus on {state['description']}"
        assert state["onScreen"], f"focused element off screen: {state['description']}"
        if state["reached"]:
            return visited
    raise AssertionError(
        f"{target} not reached in {limit} presses of {key}; focus went: " + " → ".join(visited)
    )


def assert_focus_kept(page):
    """After an in-page update the focus must stay on an element, not fall back to the top
    of the document (where the next Tab would start over). Waits for htmx to finish first."""
    wait_for_htmx(page)
    where = page.evaluate("document.activeElement ? document.activeElement.tagName : null")
    assert where not in (None, "BODY", "HTML"), "the focus was lost after the update"


def press_to_navigate(page, key="Enter"):
    """Press a key that follows a link or submits a form, and wait for the new page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def wait_for_htmx(page):
    """Wait until no htmx request is in flight or settling (typing sends one), so the next
    key goes to the page the user sees."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")
