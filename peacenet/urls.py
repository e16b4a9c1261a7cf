from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from . import sitemaps, views

# Addresses that are the same in every language: for machines, and the language switch.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
    path("i18n/setlang/", views.set_language, name="set_language"),
]

# The pages, in English at their plain address and in the other languages under /nl/, /fr/
# and /ar/; a first visit to a plain address follows the browser's language
# (peacenet.middleware.LocaleMiddleware).
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("site.webmanifest", views.web_manifest, name="web_manifest"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("open-data/", views.open_data, name="open_data"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/<slug:chart>.csv", views.statistics_csv, name="statistics_csv"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("accounts/", include("allauth.urls")),
    path("", include("organisations.urls")),
    path("events/", include("events.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("alerts/", include("alerts.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
