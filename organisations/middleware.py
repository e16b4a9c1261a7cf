"""Old addresses of renamed organisations keep working."""

from django.http import HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import get_language_from_path

from .models import Organisation

PREFIX = "/organisations/"


class FormerSlugRedirectMiddleware:
    """Answers a GET for a page of an organisation under a slug it no longer has (it was
    renamed) with a permanent redirect to the same page under its current slug, query string
    kept: the profile and every page below it, so links in old mail keep working. Only a page
    that was not found is looked up (one query), and only for someone who may see the
    organisation, so the new address of an unpublished one is never given away."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        path = request.path_info
        if language := get_language_from_path(path):
            path = path.removeprefix(f"/{language}")  # /nl/organisations/… is the same page
        if not path.startswith(PREFIX):
            return response
        return self.redirect(request) or response

    def redirect(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        slug = match.kwargs.get("slug")
        if not slug or not match.view_name.startswith("organisations:"):
            return None
        organisation = (
            Organisation.objects.visible_to(request.user)
            .filter(former_slugs__slug=slug)
            .only("slug")
            .first()
        )
        if organisation is None or organisation.slug == slug:
            return None
        try:
            path = reverse(match.view_name, kwargs={**match.kwargs, "slug": organisation.slug})
        except NoReverseMatch:
            return None
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)
