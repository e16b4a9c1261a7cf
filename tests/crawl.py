"""A visitor's walk through the public site: every page, feed, export, calendar, sitemap and
htmx fragment reachable from the home page and from the addresses machines fetch without a
link (feeds, exports, sitemap, robots.txt)."""

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.urls import reverse

# Addresses visitors and machines fetch whether or not a page links to them.
KNOWN_NAMES = [
    "home",
    "robots_txt",
    "sitemap",
    "organisations:directory",
    "organisations:export_csv",
    "organisations:export_json",
    "organisations:network_groups",
    "partnerships:list",
    "partnerships:feed",
    "events:list",
    "events:feed",
    "events:feed_ics",
]
# Not content: assets, the admin (staff only) and the language switch (POST only); and the
# same pages in the other languages (/nl/…, linked as alternates from every page): walking
# the English ones reaches every page.
OTHER_LANGUAGES = [f"/{code}/" for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
SKIPPED_PREFIXES = ("/static/", "/media/", "/admin/", "/i18n/", *OTHER_LANGUAGES)
# A page with filters links to many combinations of them; a few of each are enough to see
# every option, because an unfiltered page already lists them all.
QUERIES_PER_PATH = 6

LINK = re.compile(
    r"""(?:href|src|action|hx-get)=["']([^"']*)["']"""  # HTML and Atom
    r"""|<loc>([^<]*)</loc>"""  # sitemaps
    r"""|^(?:URL|Sitemap):\s*(\S+)""",  # iCalendar and robots.txt
    re.MULTILINE,
)
HTMX_GET = re.compile(r"""hx-get=["']([^"']*)["']""")
BINARY_TYPES = ("image/", "font/")


@dataclass
class Fetched:
    url: str
    htmx: bool
    status: int
    content_type: str
    text: str


def local_path(link: str, base_path: str) -> str | None:
    """The site-relative address of a link (with its query), or None when it leads away."""
    link = html.unescape(link).strip()
    if not link or link.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    for origin in (settings.SITE_URL, "http://testserver", "https://testserver"):
        if link.startswith(origin + "/"):
            link = link[len(origin) :]
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None
    path = parts.path
    if not path.startswith("/"):
        path = base_path.rsplit("/", 1)[0] + "/" + path if path else base_path
    if path.startswith(SKIPPED_PREFIXES):
        return None
    return urlunsplit(("", "", path, parts.query, ""))


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(BINARY_TYPES):
        return ""
    return content.decode(errors="replace")


def crawl(client, *, limit: int = 3000) -> list[Fetched]:
    """Fetch, as whoever ``client`` is, everything reachable from the known addresses; each
    address that some page loads with htmx is fetched once more as the htmx fragment."""
    queue = [(reverse(name), False) for name in KNOWN_NAMES]
    seen = set(queue)
    queries_seen: dict[str, int] = {}
    htmx_paths: set[str] = set()
    fetched: list[Fetched] = []

    def enqueue(url, htmx=False):
        path, _, query = url.partition("?")
        if (url, htmx) in seen:
            return
        if query and not htmx:
            if queries_seen.get(path, 0) >= QUERIES_PER_PATH:
                return
            queries_seen[path] = queries_seen.get(path, 0) + 1
        seen.add((url, htmx))
        queue.append((url, htmx))
        if not htmx and path in htmx_paths:
            enqueue(url, htmx=True)

    while queue:
        assert len(fetched) < limit, f"the crawl passed {limit} addresses; is a link looping?"
        url, htmx = queue.pop(0)
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.get(url, headers=headers)
        text = body_text(response)
        fetched.append(
            Fetched(url, htmx, response.status_code, response.get("Content-Type", ""), text)
        )
        if response.status_code in (301, 302, 303, 307, 308):
            if target := local_path(response["Location"], url.partition("?")[0]):
                enqueue(target)
            continue
        base = url.partition("?")[0]
        for link in HTMX_GET.findall(text):
            if target := local_path(link, base):
                target_path = target.partition("?")[0]
                if target_path not in htmx_paths:
                    htmx_paths.add(target_path)
                    for known, was_htmx in list(seen):
                        if not was_htmx and known.partition("?")[0] == target_path:
                            enqueue(known, htmx=True)
        for match in LINK.finditer(text):
            link = next(group for group in match.groups() if group is not None)
            if target := local_path(link, base):
                enqueue(target)
    return fetched
