"""Parts of a page rendered once per content generation, language and query.

The pictures (the world map, the partnership network, the statistics) draw hundreds of
shapes, rows and links from numbers that are the same for everyone who asks the same
question. Their views render that part once per content generation
(``peacenet.lib.caching``), language and normalised query, and put it into the page of
whoever asks, signed in or not; only the layout around it is theirs.

Such a part is rendered from the normalised query (``caching.normalised_query``), never from
the request: its links carry the parameters the page understands, whoever asks first.
A query the page refuses (``render`` gives None) is not stored: the view renders its message.
"""

import hashlib
import pickle
import zlib

from django.utils.translation import get_language

from .caching import Stamped


def rendered_for_generation(name, query, render, timeout):
    """What ``render()`` gave for ``name`` and ``query`` (a normalised query string) in the
    current language and content generation, else ``render()`` now, stored for at most
    ``timeout`` seconds unless it is None."""
    digest = hashlib.sha256(f"{name}\n{get_language()}\n{query}".encode()).hexdigest()
    key = f"peacenet:rendered:{digest}"
    stamped = Stamped(key)
    if (stored := stamped.get(key)) is not None:
        return pickle.loads(zlib.decompress(stored))  # noqa: S301 -- written below
    value = render()
    if value is not None:
        # Markup compresses to a quarter or less: a smaller read every time it is served.
        stamped.set(key, zlib.compress(pickle.dumps(value)), timeout)
    return value
