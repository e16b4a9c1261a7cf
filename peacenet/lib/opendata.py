"""The licence of PeaceNet's open data, in one place: the directory, the CSV and JSON exports
and the open-data page (``/open-data/``) all state it from here.

The directory is published under Creative Commons Attribution 4.0 (CC BY 4.0): anyone may
reuse it, also commercially, if they name PeaceNet as the source.
"""

from django.urls import reverse

from .links import absolute_url

LICENCE_NAME = "CC BY 4.0"
LICENCE_TITLE = "Creative Commons Attribution 4.0 International"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "PeaceNet The Hague"


def licence() -> dict:
    """The licence as the JSON export's envelope and the templates state it."""
    return {
        "name": LICENCE_NAME,
        "title": LICENCE_TITLE,
        "url": LICENCE_URL,
        "attribution": ATTRIBUTION,
        "about": absolute_url(reverse("open_data")),
    }


def link_header() -> str:
    """An HTTP ``Link`` header naming the licence of a download (RFC 8288 ``license``) and
    the page that describes it (``describedby``), for files that cannot say it themselves."""
    about = absolute_url(reverse("open_data"))
    return f'<{LICENCE_URL}>; rel="license", <{about}>; rel="describedby"'
