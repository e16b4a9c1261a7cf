"""What search engines may crawl: the sitemap sections and robots.txt."""

from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from events.models import Event
from organisations.models import NetworkGroup, Organisation
from peacenet.lib.links import absolute_url


class PagesSitemap(Sitemap):
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


class OrganisationSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 10_000

    def items(self):
        return Organisation.objects.published().only("slug", "updated").order_by("name", "pk")

    def lastmod(self, organisation):
        return organisation.updated


class NetworkGroupSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return NetworkGroup.objects.only("slug")


class EventSitemap(Sitemap):
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
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /dashboard/",
        "Disallow: /invitations/",
        # Every filter combination of the directory is a page; the profiles are what counts.
        "Disallow: /organisations/?",
        "Disallow: /organisations/export.",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
