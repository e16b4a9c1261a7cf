"""What search engines may crawl: the sitemap sections and robots.txt."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from events.models import Event
from organisations.models import NetworkGroup, Organisation
from peacenet.lib.links import absolute_url


class InEveryLanguage(Sitemap):
    """Each page once per language (English plain, the others under /nl/, /fr/, /ar/), each
    listing the others as ``hreflang`` alternates and the plain address as ``x-default``."""

    i18n = True
    alternates = True
    x_default = True


class PagesSitemap(InEveryLanguage):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return [
            "home",
            "organisations:directory",
            "organisations:map",
            "organisations:network_groups",
            "partnerships:list",
            "partnerships:network",
            "events:list",
            "open_data",
            "statistics",
        ]

    def location(self, item):
        return reverse(item)


class OrganisationSitemap(InEveryLanguage):
    changefreq = "weekly"
    priority = 0.6
    limit = 10_000

    def items(self):
        return Organisation.objects.published().only("slug", "updated").order_by("name", "pk")

    def lastmod(self, organisation):
        return organisation.updated


class NetworkGroupSitemap(InEveryLanguage):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return NetworkGroup.objects.only("slug")


class EventSitemap(InEveryLanguage):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Event.objects.published().only("slug", "updated").order_by("-start", "pk")

    def lastmod(self, event):
        return event.updated


SITEMAPS = {
    "pages": PagesSitemap,
    "organisations": OrganisationSitemap,
    "network-groups": NetworkGroupSitemap,
    "events": EventSitemap,
}


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    private = [
        "/admin/",
        "/accounts/",
        "/dashboard/",
        "/invitations/",
        # Every filter combination of the directory is a page; the profiles are what counts.
        "/organisations/?",
        "/organisations/export.",
    ]
    # The same paths in every language: English plain, the others under their prefix.
    prefixes = [
        "" if code == settings.LANGUAGE_CODE else f"/{code}" for code, _ in settings.LANGUAGES
    ]
    lines = [
        "User-agent: *",
        *(f"Disallow: {prefix}{path}" for prefix in prefixes for path in private),
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
