"""A URL configuration for testing how reserved slugs are read from the URL patterns."""

from django.http import HttpResponse
from django.urls import include, path, re_path


def view(request, **kwargs):
    return HttpResponse()


more = [path("feed/", view), path("<slug:slug>/edit/", view)]

urlpatterns = [
    path("organisations/", view),
    path("organisations/map/", view),
    path("organisations/export.csv", view),
    path("organisations/<slug:slug>/", view),
    path("organisations/<slug:slug>/contact/", view),
    re_path(r"^organisations/stats\.svg$", view),
    path("organisations/", include(more)),
    path("network-groups/", view),
    path("elsewhere/", view),
]
