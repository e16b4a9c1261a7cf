"""Caching what the public sees, without ever showing it out of date.

Everything cached from the portal's content (public pages for visitors, the directory's
facet counts, partner suggestions) is stamped with the **content generation**: a token that
changes when a change to an organisation, network group, theme, capacity, event or
partnership is committed. A value stamped with an older generation is never used, so a change
shows as soon as it is committed. Pages are stored per day; timeouts only bound the cache's
size and how late a page notices the hour (an event moving from "upcoming" to "past").

The new generation is written after the commit, not inside the transaction: the database
cache would otherwise lock the generation's row until the commit, making every transaction
that changes content wait for the others.

Code that changes content without model signals (``bulk_create``, ``QuerySet.update``) calls
``content_changed()`` itself.

All of it lives in the ``pages`` cache, apart from the ``default`` cache that holds security
state (rate limits, lockouts, used one-time codes): visitors choose page addresses, and
filling the page cache must never push a lockout out. A page is stored once per query that
it understands, in a normal order; other parameters in an address are dropped before the page
is rendered, so they neither make a new entry nor end up in a page others are served.

Signed-in members get public pages from the cache too, each their own: a member's page is
stored for that member alone and stamped with their **reader generation** as well, a token
that changes when anything of theirs changes (a row that points to them: their account,
memberships, follows, claims, registrations, …) or when they send anything but a GET
(``reader_acted``). So a member sees at once what they did, and what others did to the
content. Staff, and anyone with a message waiting, always get the page rendered afresh.
"""

import hashlib
import logging
import re
import uuid
import zlib
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal
from django.http import Http404, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from redis.exceptions import OutOfMemoryError

from peacenet.lib.redis_cache import set_each

logger = logging.getLogger(__name__)

# The cache alias for everything cached from the content (settings.CACHES).
PAGE_CACHE = "pages"
GENERATION_KEY = "peacenet:content-generation"
READER_KEY = "peacenet:reader-generation:{}"
PAGE_CACHE_SECONDS = 300

# The CSRF token is the one part of a visitor's page that is theirs alone: it is taken out
# before a page is stored and each visitor's own is put back when it is served.
CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"\x00csrf-token\x00"


def page_cache():
    """The cache for content: pages, counts, suggestions (never for security state)."""
    return caches[PAGE_CACHE]


# Sent once a new content generation has been written (with it, as ``generation``): what is
# prepared once per generation (the full exports) may be prepared again for it.
generation_changed = Signal()


def _new_generation():
    generation = uuid.uuid4().hex
    page_cache().set(GENERATION_KEY, generation, None)
    generation_changed.send(sender=None, generation=generation)


def current_generation():
    """The current content generation (one is started when the cache has none)."""
    cache = page_cache()
    cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
    return cache.get(GENERATION_KEY)


def content_changed(**kwargs):
    """Make every cached page and count out of date once the current transaction commits
    (at once outside a transaction)."""
    transaction.on_commit(_new_generation, robust=True)


def register_content(*models):
    """Call ``content_changed`` whenever one of ``models`` is saved or deleted, or a
    many-to-many relation through it changes. Each app registers the models its public
    pages show from its ``AppConfig.ready()``."""
    for model in models:
        uid = f"peacenet.caching:{model._meta.label}"
        post_save.connect(content_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(content_changed, sender=model, dispatch_uid=uid)
        m2m_changed.connect(content_changed, sender=model, dispatch_uid=uid)


class Stamped:
    """Values cached for the current content generation, read with it in one round trip.

    ``Stamped(key, …).get(key)`` is the value stored for the current generation, or None;
    ``set`` stamps a value with the generation read here, before the value was computed.
    With ``reader`` (a user's primary key) the stamp is the content generation and that
    reader's generation: a value for one member, out of date when either changes."""

    def __init__(self, *keys, reader=None):
        reader_key = READER_KEY.format(reader) if reader is not None else None
        page = _page.get()
        # Within a page being rendered, its generation and what it has stored meanwhile.
        known, pending = (page.generation, page.writes) if page else (None, {})
        asked = [*filter(None, [reader_key]), *(key for key in keys if key not in pending)]
        if known is None:
            asked.insert(0, GENERATION_KEY)
        found = page_cache().get_many(asked) if asked else {}
        found.update((key, pending[key][0]) for key in keys if key in pending)
        # A cache that has lost (or never had) the generation starts one: values stamped
        # with no generation would otherwise be read again from the cache on every request.
        self.content_generation = self.generation = (
            known or found.pop(GENERATION_KEY, None) or current_generation()
        )
        if reader_key is not None:
            reader_generation = found.pop(reader_key, None) or _start_reader(reader_key)
            self.generation = (self.content_generation, reader_generation)
        self.found = found

    def get(self, key, *, shared=False):
        """The value under ``key`` if stamped with this generation; with ``shared``, a value
        for everyone (stamped with the content generation alone) read with a reader's."""
        stamp = self.content_generation if shared else self.generation
        entry = self.found.get(key)
        return entry[1] if entry is not None and entry[0] == stamp else None

    def set(self, key, value, timeout, *, shared=False):
        stamp = self.content_generation if shared else self.generation
        page = _page.get()
        if page is not None:  # Written with the page's other values, once it is rendered.
            page.writes[key] = ((stamp, value), timeout)
        else:
            _write({key: ((stamp, value), timeout)})


def _write(entries):
    """Store ``entries`` (key: (value, timeout)) in the page cache, in one round trip."""
    try:
        set_each(page_cache(), entries)
    except OutOfMemoryError:
        # Redis refuses writes when full (it must not evict the security state that
        # shares it): the values are then computed again next time, which is only slower.
        logger.warning("The page cache is full; %s is not cached.", ", ".join(entries))


class _Page:
    """A public page being rendered (``one_generation``): the content generation read with
    it, and the values stamped with it that wait to be stored."""

    def __init__(self, generation):
        self.generation, self.writes = generation, {}


_page = ContextVar("peacenet_caching_page", default=None)


def page_generation():
    """The content generation of the public page being rendered (``one_generation``), or
    None outside one: what a page may keep in the process for its generation."""
    page = _page.get()
    return page.generation if page else None


@contextmanager
def one_generation(generation):
    """Render a public page as of ``generation``, read with the page's own cache entry:
    every value read meanwhile (fragments, counts, what is kept per generation) is of that
    generation without asking the cache for it again, and every value stored is written in
    one round trip once the page is done (read back from there if asked again meanwhile). A
    change committed meanwhile makes what the page stores out of date at once, as a change
    committed just after would. A page that fails stores nothing."""
    page = _Page(generation)
    token = _page.set(page)
    try:
        yield
    finally:
        _page.reset(token)
    if page.writes:
        _write(page.writes)


def _start_reader(reader_key):
    cache = page_cache()
    cache.add(reader_key, uuid.uuid4().hex, None)
    return cache.get(reader_key)


def reader_acted(user_pk):
    """Make every page cached for this member out of date: at once, and again once the
    current transaction commits, so a page rendered meanwhile from what was there before is
    not kept either."""
    key = READER_KEY.format(user_pk)

    def new_reader_generation():
        try:
            page_cache().set(key, uuid.uuid4().hex, None)
        except OutOfMemoryError:
            logger.warning("The page cache is full; %s is not renewed.", key)

    new_reader_generation()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(new_reader_generation, robust=True)


_user_fields = {}


def _readers_of(instance):
    """The primary keys of the users a row belongs to or points to."""
    model = type(instance)
    if model not in _user_fields:
        user_model = settings.AUTH_USER_MODEL
        _user_fields[model] = [
            field.attname
            for field in model._meta.concrete_fields
            if field.is_relation
            and field.related_model is not None
            and field.related_model._meta.label == user_model
        ]
    readers = {getattr(instance, attname) for attname in _user_fields[model]}
    if model._meta.label == settings.AUTH_USER_MODEL:
        readers.add(instance.pk)
    return readers - {None}


def _reader_state_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    for reader in _readers_of(instance):
        reader_acted(reader)


def watch_readers():
    """Call ``reader_acted`` for the users any saved or deleted row belongs to. Connected
    once, from ``peacenet``'s ``AppConfig.ready()``."""
    post_save.connect(_reader_state_changed, dispatch_uid="peacenet.caching:readers")
    post_delete.connect(_reader_state_changed, dispatch_uid="peacenet.caching:readers")


# Values kept in this process with their generation (``cached_for_generation``'s
# ``in_process``), by key; a handful of keys, each asked for by many pages.
_kept = {}
MAX_KEPT = 64


def cached_for_generation(key, compute, timeout, *, in_process=False):
    """The value cached under ``key`` for the current content generation, else
    ``compute()``, stored for this generation for at most ``timeout`` seconds.

    ``in_process``: also kept in this process while the generation lasts, for a value that
    many pages ask for: then only the generation is read from the cache (nothing, within a
    page being rendered: ``one_generation``)."""
    if in_process:
        generation = page_generation() or page_cache().get(GENERATION_KEY)
        kept = _kept.get(key)
        if kept is not None and generation is not None and kept[0] == generation:
            return kept[1]
    stamped = Stamped(key)
    value = stamped.get(key)
    if value is None:
        value = compute()
        stamped.set(key, value, timeout)
    if in_process:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[key] = (stamped.content_generation, value)
    return value


def _reader(request):
    """Whom a cached page may go to: ``""`` for a visitor who cannot be signed in (no session
    cookie), the user's primary key for a signed-in member, ``None`` when the page must be
    rendered afresh: a request that is not a GET or HEAD, a message waiting (its cookie: the
    default storage reads messages kept in the session only when the cookie says so), staff
    (whose pages show what members never see) or a session signed out."""
    if request.method not in ("GET", "HEAD") or request.COOKIES.get(CookieStorage.cookie_name):
        return None
    if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return ""
    user = request.user
    if not user.is_authenticated or user.is_staff:
        return None
    return user.pk


def normalised_query(data, understood) -> str:
    """The query string of ``data`` (a ``QueryDict``) reduced to the ``understood``
    parameters, without empty values, sorted: the one form of a page's query, under which
    its cache entry is stored and a followed directory search is saved."""
    pairs = sorted(
        (name, value)
        for name, values in data.lists()
        if name in understood
        for value in values
        if value
    )
    return urlencode(pairs)


def _only_understood(data, understood) -> bool:
    """Whether every parameter in ``data`` is one the page understands, with a value."""
    return all(name in understood and all(values) for name, values in data.lists())


def _keep_understood_query(request, understood):
    """Reduce the request's query to the parameters the page understands, non-empty, sorted:
    ``/?n=1`` becomes ``/``, ``?q=x&kind=ngo`` becomes ``?kind=ngo&q=x``. The page is then
    rendered from exactly the query its cache entry is stored under."""
    query = normalised_query(request.GET, understood)
    request.META["QUERY_STRING"] = query
    request.GET = QueryDict(query)


def _page_key(request, reader=""):
    """Everything a public page varies on: the address with its query, the language, whether
    htmx asks for a fragment, the member it is for (none for visitors), and the day: what
    turns with the calendar (stale entries, deadlines) is never served from yesterday."""
    parts = (
        timezone.localdate().isoformat(),
        request.get_full_path(),
        get_language(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-History-Restore-Request", ""),
        str(reader),
    )
    return "peacenet:page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _storable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


# A part of a page that is the asking member's own, between
# <!--reader-part:NAME--> and <!--/reader-part:NAME-->.
READER_PART = re.compile(rb"(<!--reader-part:([a-z-]+)-->).*?(<!--/reader-part:\2-->)", re.DOTALL)


def account_navigation(request, shared=b"") -> str:
    return render_to_string("peacenet/includes/account_nav.html", request=request)


def _entry(headers, content):
    """What is stored of a page: its headers and its content, compressed (to a quarter or
    less, for a fraction of a millisecond), each CSRF token replaced by a placeholder."""
    content = CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", content)
    return headers, zlib.compress(content, 1)


def _stored(response):
    return _entry(dict(response.items()), response.content)


def _served(request, entry):
    headers, compressed = entry
    content = zlib.decompress(compressed)
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    return HttpResponse(content, headers=headers)


def _as_a_visitor(request, view, args, kwargs):
    """The view's response as a visitor would get it (signed in as nobody), or None when
    visitors may not see the page (a profile not published): it is then the member's own."""
    user = request.user
    request.user = AnonymousUser()
    try:
        return view(request, *args, **kwargs)
    except (Http404, PermissionDenied):
        return None
    finally:
        request.user = user


def _for_reader(request, entry, parts):
    """A stored page for everyone with the asking member's own parts put in (``parts``: a
    function of the request for each part's name)."""
    headers, compressed = entry
    rendered = {}

    def own(marks):
        name = marks[2].decode()
        if name not in rendered:
            shared = marks[0][len(marks[1]) : -len(marks[3])]
            rendered[name] = parts[name](request, shared).encode()
        return marks[1] + rendered[name] + marks[3]

    return _entry(headers, READER_PART.sub(own, zlib.decompress(compressed)))


def public_page(*, query=(), same_for_members=False, reader_parts=None):
    """Serve a public page from the cache, rendered once per content generation, address and
    language for visitors, and once per reader generation too for each signed-in member (see
    the module's notes); staff always get it rendered afresh.

    ``query`` names the query parameters the page understands (its filters, ``page``); for
    visitors every other parameter is dropped before the view runs (members keep theirs: their
    pages are their own).

    ``same_for_members``: the page shows members nothing visitors do not see but their account
    navigation and the ``reader_parts``: a function rendering each for the request, given the
    visitors' part, by the name its marks give it in the template. A member's page is then the
    visitors' page (rendered as for a visitor if nobody has yet) with their own navigation
    and parts put in; a part's function finds the page's URL arguments in
    ``request.resolver_match.kwargs``. A page visitors may not see (its view raises
    ``Http404`` or ``PermissionDenied`` for them, or answers anything that is not stored) is
    rendered for the member."""
    understood = frozenset(query)
    parts = {"account-nav": account_navigation, **(reader_parts or {})}

    def decorator(view):
        @wraps(view)
        def cached_view(request, *args, **kwargs):
            reader = _reader(request)
            if reader is None:
                return view(request, *args, **kwargs)
            shared = False  # a member's page made from the visitors' one
            visitors_key = None
            if reader == "":
                _keep_understood_query(request, understood)
                key = _page_key(request)
                stamped = Stamped(key)
            else:
                # Nothing of theirs in the address (only what the page understands, in any
                # order): their page is the visitors' one, under the visitors' address.
                shared = same_for_members and _only_understood(request.GET, understood)
                if shared:
                    _keep_understood_query(request, understood)
                key = _page_key(request, reader)
                visitors_key = _page_key(request) if shared else None
                stamped = Stamped(key, *filter(None, [visitors_key]), reader=reader)
            if entry := stamped.get(key):
                return _served(request, entry)
            with one_generation(stamped.content_generation):
                return rendered(request, args, kwargs, stamped, key, shared and visitors_key)

        def rendered(request, args, kwargs, stamped, key, visitors_key):
            """The page rendered (a member's from the visitors' one, ``visitors_key``, when
            it is the same for them) and stored."""
            if visitors_key:
                visitors = stamped.get(visitors_key, shared=True)
                if visitors is None:
                    response = _as_a_visitor(request, view, args, kwargs)
                    if response is not None and _storable(response):
                        visitors = _stored(response)
                        stamped.set(visitors_key, visitors, PAGE_CACHE_SECONDS, shared=True)
                if visitors is not None:
                    entry = _for_reader(request, visitors, parts)
                    stamped.set(key, entry, PAGE_CACHE_SECONDS)
                    return _served(request, entry)
            response = view(request, *args, **kwargs)
            if _storable(response):
                stamped.set(key, _stored(response), PAGE_CACHE_SECONDS)
            return response

        return cached_view

    return decorator
