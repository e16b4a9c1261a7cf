from django.conf import settings


def site(request):
    """What every page needs to build absolute links (canonical URLs, feeds, JSON-LD)."""
    return {"SITE_URL": settings.SITE_URL}
