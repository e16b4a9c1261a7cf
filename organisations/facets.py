"""Facets and counts of list pages.

``FacetedFilterSet`` is the facet engine of the directory and of the partnership proposals.
The rest is the directory's counts, and everything else counted over published
organisations, cached for the content generation.

``find(filterset, offset=…, limit=…)`` is what a valid ``DirectoryFilter`` finds: for every
option of the kind, network group, theme, country and city facets, how many results that
option gives within the current search (a single-choice facet (kind, group, country, city)
is counted without its own selection, themes, which combine with *and*, within the full
selection), the total, and one page of rows. When a search finds nothing, it finds
organisations with similar names instead. Counting touches every matching row, so counts
and the ids of each page are cached per selection, stamped with the content generation
(``peacenet.lib.caching``): a change to any organisation makes them out of date at once.
"""

import copy
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

import django_filters
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import get_language

from peacenet.lib.caching import Stamped, cached_for_generation

from .cities import city_key
from .facet_values import STORED_FACETS, facet_tokens, token
from .models import NetworkGroup, Organisation, Theme, ThemedItem, published_cards
from .search import fold, is_postgresql
from .slots import Slot
from .themes import tagged_items, themes_of

# How long counts stay in the cache at most; a change to the content retires them sooner.
FACET_CACHE_SECONDS = 600
OPTIONS_CACHE_KEY = "organisations:directory-options:v2"
GROUP_COUNTS_CACHE_KEY = "organisations:group-member-counts:v1"


class _Filters(dict):
    """A filter set class's filters, which django-filter deep-copies for every filter set it
    makes: down to each label, empty label and choice's lazily translated text, about 0.3 ms
    of a request. Each filter set gets its own copy of each filter and of its options
    (``extra``, which a filter set may change: the directory's groups and themes); what they
    hold is shared, as nothing changes it."""

    def __deepcopy__(self, memo):
        return {name: _own_filter(filter_) for name, filter_ in self.items()}


def _own_filter(filter_):
    copied = copy.copy(filter_)
    copied.extra = dict(filter_.extra)
    if filter_.method is not None:
        copied.method = filter_.method  # Its own ``FilterMethod``, which finds its filter set.
    return copied


class _Fields(dict):
    """A filter set's form class's fields, which Django deep-copies for every form, each
    field's list of choices too (with their lazily translated texts): half of making the
    form. The copies share the choices (and django-filter's, which read the empty label of
    the field they were made for, that of the class's field): nothing changes a field's
    choices or its empty label in place, a form may only replace its choices."""

    def __deepcopy__(self, memo):
        for field in self.values():
            choices = getattr(field, "_choices", None)
            if choices is not None:
                memo[id(choices)] = choices
        return {name: copy.deepcopy(field, memo) for name, field in self.items()}


class FacetedFilterSet(django_filters.FilterSet):
    """The facet engine of list pages: each facet counts its options over the result of every
    *other* filter, so choosing an option never hides its siblings. The directory
    (``organisations.filters.DirectoryFilter``) and the partnership proposals
    (``partnerships.filters.ProposalFilter``) are both ``FacetedFilterSet``s."""

    @classmethod
    def get_filters(cls):
        return _Filters(super().get_filters())

    def get_form_class(self):
        form_class = super().get_form_class()
        form_class.base_fields = _Fields(form_class.base_fields)
        return form_class

    def without(self, *names):
        """The matches of every valid filter but ``names``, unordered: what a facet counts
        over."""
        self.errors  # noqa: B018 -- validates the form before filtering
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name not in names:
                queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    def count_by(self, name, field):
        """How many matches of every filter but ``name`` have each value of ``field``, as a
        dict (one query)."""
        return dict(self.without(name).values_list(field).annotate(n=Count("pk", distinct=True)))

    def count_options(self, name, options, relation):
        """``options`` (a QuerySet of what a facet offers, such as network groups) annotated
        with ``count``: how many matches of every filter but ``name`` reach each option
        through ``relation`` (one query, options with no match included)."""
        matches = Q(**{f"{relation}__in": self.without(name).values("pk")})
        return options.annotate(count=Count(relation, filter=matches, distinct=True))


class StoredFacetsFilterSet(FacetedFilterSet):
    """A ``FacetedFilterSet`` of organisations whose facets filter on the values stored on the
    row (``organisations.facet_values``) and are all counted in one query
    (``count_facets``).

    ``single_choice_facets`` name the facets with one choice each, counted without their own
    choice; other stored facets (themes) are counted within the full selection. A facet
    whose value is computed when searching (from a date, say) is declared in
    ``computed_facets``: its name maps to an expression of its value as text, and its filter
    uses ``facet_condition``.
    """

    single_choice_facets = ()

    def computed_facets(self):
        return {}

    def facet_value(self, name, value):
        """The stored form of a chosen value (a city compares in lower case, say)."""
        return value

    def facet_condition(self, name, value, slot=None, *, indexed=True):
        """The condition that an organisation has ``value`` in the facet ``name``. What it
        compares (``facet_compared``) is handed to the ORM in the slot ``slot`` (by default
        the facet's name; ``organisations.slots``). ``indexed``: to find the rows (through
        the index of the stored values), else to test rows found otherwise (the counts)."""
        computed = self.computed_facets()
        compared = self.facet_compared(name, value)
        if isinstance(compared, str):
            compared = Slot(compared, slot or name)
        if name in computed:
            return Q(Exact(computed[name], Value(compared)))
        if indexed:
            return Q(facet_values__has=compared)
        return Q(facet_values__holds=compared)

    def facet_compared(self, name, value):
        """What the condition of ``value`` in the facet ``name`` compares: the value of a
        computed facet, else its stored token (``"kind:ngo"``)."""
        if name in self.computed_facets():
            return value
        return token(name, self.facet_value(name, value))

    def statement_slots(self):
        """This filter set as ``count_facets`` compiles it: its shape (a hashable value: what
        the statement depends on besides the values of its slots, its database and the day)
        and the values of its slots by name (``organisations.slots``); or None when its
        statement is to be compiled afresh."""
        return None

    def filter_facet(self, queryset, name, value):
        """A facet's filter: one indexed test on the stored values."""
        return queryset.filter(self.facet_condition(name, value)) if value else queryset


def directory_options():
    """What the facets offer whatever the search: the network groups, and the themes,
    countries of focus and cities of published organisations, named in the reader's
    language, cached for the current content generation and language, and kept in this
    process while the generation lasts."""
    return cached_for_generation(
        # Per language: the groups' and themes' names are the reader's.
        f"{OPTIONS_CACHE_KEY}:{get_language()}",
        lambda: {
            "groups": list(
                NetworkGroup.objects.order_by("position", "name").values_list("slug", "name")
            ),
            "themes": sorted(
                themes_of(Organisation.objects.published()).values_list("slug", "name"),
                key=lambda theme: fold(theme[1]),
            ),
            "countries": sorted(_country_counts(Organisation.objects.published())),
            "cities": list(
                Organisation.objects.published()
                .exclude(city="")
                .order_by("city")
                .values_list("city", flat=True)
                .distinct()
            ),
        },
        FACET_CACHE_SECONDS,
        in_process=True,  # Every directory page asks for them.
    )


def network_group_members(group, limit):
    """The number of published members of ``group`` and the first ``limit`` of them by
    name (with their cards' columns), in one query. The number and the ids shown are cached
    like the facet counts; the rows are read fresh (``published_cards``)."""
    key = f"organisations:group-members:v1:{group.pk}:{limit}"
    published = Organisation.objects.published()
    stamped = Stamped(key)
    cached = stamped.get(key)
    if cached is None:
        members = list(
            published.filter(network_groups=group)
            .for_cards()
            .annotate(member_total=Window(Count("pk")))
            .order_by("name", "pk")[:limit]
        )
        total = members[0].member_total if members else 0
        stamped.set(key, (total, [member.pk for member in members]), FACET_CACHE_SECONDS)
        return total, members
    total, ids = cached
    rows = published_cards(ids, using=published.db)
    return total, [rows[pk] for pk in ids if pk in rows]


def network_group_member_counts():
    """Published members per network group slug, cached for the content generation."""
    return cached_for_generation(
        GROUP_COUNTS_CACHE_KEY,
        lambda: dict(
            Organisation.objects.published()
            .order_by()
            .filter(network_groups__isnull=False)
            .values_list("network_groups__slug")
            .annotate(n=Count("pk"))
        ),
        FACET_CACHE_SECONDS,
    )


def _country_counts(queryset):
    """How many organisations of ``queryset`` focus on each country (one query)."""
    queryset = queryset.order_by()
    if is_postgresql(queryset):
        try:
            sql, params = queryset.values("countries").query.sql_with_params()
        except EmptyResultSet:  # A search that can match nothing (``.none()``).
            return {}
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(
                "SELECT code, COUNT(*) FROM ("  # noqa: S608 -- compiled by the ORM
                + sql
                + ") AS o(countries) CROSS JOIN LATERAL "
                "unnest(string_to_array(o.countries, ',')) AS code GROUP BY code",
                params,
            )
            return dict(cursor.fetchall())
    counts = Counter()
    for codes in queryset.values_list("countries", flat=True):
        counts.update(code for code in str(codes).split(",") if code)
    return dict(counts)


def count_facets(filterset, page=None):
    """Every facet's counts and the total of a valid ``DirectoryFilter``, in one query.

    One pass over the matches of every filter but the chosen single-choice facets: each row
    notes how many of those choices it misses. A row that misses none counts for every
    facet value it has (and for the total, ``"*"``); a row that misses exactly one counts only
    for the values of that facet, which is what the facet would find without its own
    choice. Themes combine with *and* and are counted within the full selection.

    On PostgreSQL, for a search with ``page`` (an offset and a limit), the same pass also
    gives that page of the full selection in the filter's order (the last page if the offset
    is past it), as ``counts["page"]``: its offset and ids. A new search then finds its
    matches once, and ranks only the rows of the full selection (not those counted only for
    another facet's options).

    The statement comes from ``facet_statement``: compiled once per shape of search.
    """
    found = facet_statement(filterset, page)
    counts = {name: {} for name in (*STORED_FACETS, *found.computed)}
    counts["total"] = 0
    if found.reads_page:
        counts["page"] = (0, [])
    if found.sql is None:  # A search that can match nothing (``.none()``).
        return counts
    params = found.params
    if found.reads_page:
        offset, limit = page
        params = (*params, offset, limit, limit, limit)
    with connections[filterset.queryset.db].cursor() as cursor:
        cursor.execute(found.sql, params)
        for value, count, *ids in cursor.fetchall():
            if value == "*":
                counts["total"] = count
            elif value == "#page":
                counts["page"] = (count, list(ids[0]))
            else:
                facet, _, option = value.partition(":")
                counts.setdefault(facet, {})[option] = count
    return counts


@dataclass(frozen=True)
class FacetStatement:
    """The statement of ``count_facets`` (``sql`` None when the filters can match nothing)
    and its parameters, but for those of the page it reads (``reads_page``: its offset, its
    limit three times); ``computed`` names the computed facets it counts."""

    sql: str | None
    params: tuple
    computed: tuple
    reads_page: bool


# The statements of ``count_facets`` by shape of search, in this process (``facet_statement``).
MAX_SHAPES = 300
_shapes = {}


def facet_statement(filterset, page=None):
    """The ``FacetStatement`` of ``count_facets`` for ``filterset``, compiled once per shape.

    Building the statement through the ORM (``without``, annotations, ``sql_with_params``)
    costs a new search a few milliseconds of Python, though searches of the same *shape*
    differ only in their values: the same facets chosen, as many themes, a search text or
    none and how it reads (``as_typed``; whether it has words, and a whole name), the same
    order, a page read or not, on the same database on the same day (the day sets the
    dates of what counts as stale). The filter set tells its shape and the values of its
    slots (``statement_slots``); its search and facet conditions hand those values to the
    ORM as ``organisations.slots.Slot``s, which come out of the compiled parameters marked
    with their slot's name. The first search of a shape is compiled; the statement is kept
    here with where each slot's value goes, and the next search of that shape only puts its
    values in (its ``tsquery``'s text, its exact name, its facet tokens). Parameters are
    never matched to values by what they read (a search for "published" reads like the
    status of the published organisations). A shape is kept only when each of its slots
    holds the value the filter set gave it (``_slots_of``); otherwise, and for a filter set
    that gives no shape (similar names, a search on SQLite), the search is compiled afresh.
    At most ``MAX_SHAPES`` shapes are kept, the oldest dropped first.
    """
    slotted = filterset.statement_slots()
    if slotted is None:
        return _plain(compile_facet_statement(filterset, page))
    shape, values = slotted
    key = _shape_key(filterset, shape, page)
    kept = _shapes.get(key)
    if kept is None:
        found = compile_facet_statement(filterset, page)
        kept = _slots_of(found, values)
        if kept is None or _shape_key(filterset, shape, page) != key:  # Past midnight.
            return _plain(found)
        if len(_shapes) >= MAX_SHAPES:
            try:
                del _shapes[next(iter(_shapes))]
            except (KeyError, RuntimeError, StopIteration):  # Another thread's change.
                _shapes.clear()
        _shapes[key] = kept
    found, slots = kept
    params = list(found.params)
    for index, slot in slots:
        params[index] = slot.encode(values[slot.name])
    return replace(found, params=tuple(params))


def _shape_key(filterset, shape, page):
    day = timezone.localdate().isoformat(), timezone.get_current_timezone_name()
    return (type(filterset), filterset.queryset.db, day, page is not None, shape)


def _slots_of(found, values):
    """``found`` (a compiled ``FacetStatement``) as plain text with where its slots are, or
    None if they do not map onto ``values``: a slot with no value or another value than
    ``values`` gives it, or a value with no slot that reads like another parameter (the value
    would have lost its slot on the way; the statement of a search with no page has no
    rank, so no exact name)."""
    if found.sql is None:
        return None
    slots = [(index, p) for index, p in enumerate(found.params) if isinstance(p, Slot)]
    names = {slot.name for _index, slot in slots}
    if not names <= values.keys() or any(
        slot.encode(values[slot.name]) != slot for _index, slot in slots
    ):
        return None
    unslotted = {value for name, value in values.items() if name not in names}
    if any(type(p) is not Slot and isinstance(p, str) and p in unslotted for p in found.params):
        return None
    return _plain(found), tuple(slots)


def _plain(found):
    """``found`` with its slots as plain text, as the database reads them."""
    params = tuple(str(p) if isinstance(p, Slot) else p for p in found.params)
    return replace(found, params=params)


def compile_facet_statement(filterset, page=None):
    """The ``FacetStatement`` of ``count_facets`` for ``filterset``, built through the ORM."""
    data = filterset.form.cleaned_data
    chosen = [name for name in filterset.single_choice_facets if data.get(name)]
    computed = filterset.computed_facets()
    queryset = filterset.without(*chosen).alias(
        **{f"computed_{name}": expression for name, expression in computed.items()}
    )
    misses, missed = Value(0), Value("")
    if chosen:
        # Each match is tested against each choice, not found by it: no index.
        conditions = {
            name: filterset.facet_condition(name, data[name], indexed=False) for name in chosen
        }
        misses = sum(
            (Case(When(test, then=Value(0)), default=Value(1)) for test in conditions.values()),
            start=Value(0),
        )
        missed = Case(
            *(When(~Q(test), then=Value(token(name, ""))) for name, test in conditions.items()),
            default=Value(""),
        )
    postgresql = is_postgresql(filterset.queryset)
    # A search's page is read in the same pass; without one, the page is read in the
    # order of an index (the name's), not by sorting every row.
    searching = page is not None and postgresql and filterset.search_text
    order = filterset.ordering_fields() if searching else []
    rows = (
        queryset.annotate(
            facet_row=F("facet_values"),
            facet_misses=ExpressionWrapper(misses, output_field=IntegerField()),
            facet_missed=ExpressionWrapper(missed, output_field=CharField()),
            **{f"facet_{name}": F(f"computed_{name}") for name in computed},
        )
        .filter(facet_misses__lte=1)
        .annotate(
            **({"facet_id": F("pk")} if order else {}),
            # Worked out (a search's rank, say) only for the rows of the full selection.
            **{
                f"facet_order_{index}": Case(When(facet_misses=0, then=F(name)))
                for index, (name, _descending) in enumerate(order)
            },
        )
        .values(
            "facet_row",
            "facet_misses",
            "facet_missed",
            *(f"facet_{n}" for n in computed),
            *(["facet_id"] if order else []),
            *(f"facet_order_{index}" for index in range(len(order))),
        )
    )
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # A search that can match nothing (``.none()``).
        return FacetStatement(None, (), tuple(computed), bool(order))
    extra = ["'*'", *(f"'{token(name, '')}' || o.facet_{name}" for name in computed)]
    if postgresql:
        # The values each row counts for (``t``), unnested in the select list (not as a
        # function in FROM for every row): a row that misses no choice, all of them; a row
        # that misses one, its values of that facet only. A computed facet's is the one it
        # has; a stored facet's are a slice of the row's values, which are sorted in code
        # point order (``FacetValuesField``): from the first at or after "country:" to the
        # last before "country;" (";" follows ":"), found by two binary searches
        # (``width_bucket``) in that order. Unnesting every value and keeping those of the
        # facet took a ninth of a new search's statement.
        of_computed = " ".join(
            f"WHEN o.facet_missed = '{token(name, '')}' "
            f"THEN ARRAY['{token(name, '')}' || o.facet_{name}]"
            for name in computed
        )
        values = (
            "(SELECT unnest(CASE WHEN o.facet_misses = 0 "  # noqa: S608 -- compiled by the ORM
            f"THEN o.facet_row || ARRAY[{', '.join(extra)}]::text[] {of_computed} "
            'ELSE o.facet_row[width_bucket(o.facet_missed COLLATE "C", o.facet_row) + 1 : '
            "width_bucket((left(o.facet_missed, -1) || ';') COLLATE \"C\", o.facet_row)] END) "
            "AS value FROM {rows} AS o) AS t"
        )
        counted = ""
    else:
        # Each row's values (``t``), with how many choices the row misses and which.
        values = (
            "(SELECT t.value AS value, o.facet_misses, o.facet_missed FROM {rows} AS o "
            "CROSS JOIN json_each(json_insert(o.facet_row, {items})) AS t) AS t"
        ).replace("{items}", ", ".join(f"'$[#]', {item}" for item in extra))
        counted = (
            "WHERE t.facet_misses = 0 "
            "OR substr(t.value, 1, length(t.facet_missed)) = t.facet_missed "
        )
    counting = (
        f"SELECT t.value AS value, COUNT(*) AS n FROM {values} {counted}"  # noqa: S608 -- compiled by the ORM
        "GROUP BY t.value"
    )
    if order:
        # The matches are found once (a materialised common table) for the counts and
        # for the page: its offset and ids come as one more row, under a value no facet
        # has. A page past the last is the last page, as the paginator shows it.
        by = ", ".join(
            f"o.facet_order_{index} {'DESC' if descending else 'ASC'}"
            for index, (_name, descending) in enumerate(order)
        )
        statement = (
            f"WITH matches AS MATERIALIZED ({sql}), "  # noqa: S608 -- compiled by the ORM
            "shown AS (SELECT LEAST(%s, GREATEST((COUNT(*) - 1) / %s * %s, 0)) AS start "
            "FROM matches WHERE facet_misses = 0) "
            f"SELECT value, n, NULL::bigint[] FROM ({counting.format(rows='matches')}) AS c "
            "UNION ALL SELECT '#page', shown.start, ARRAY(SELECT o.facet_id FROM matches AS o "
            f"WHERE o.facet_misses = 0 ORDER BY {by} OFFSET shown.start LIMIT %s) FROM shown"
        )
    else:
        statement = counting.format(rows=f"({sql})")
    return FacetStatement(statement, tuple(params), tuple(computed), bool(order))


def refresh_facet_values(pks):
    """Write the facet values of the organisations with these primary keys from what they
    are made of (kind, countries, city, network groups, themes): four queries, and one
    update per distinct set of values."""
    pks = set(pks)
    if not pks:
        return
    groups, themes = defaultdict(list), defaultdict(list)
    through = Organisation.network_groups.through.objects
    for pk, slug in through.filter(organisation_id__in=pks).values_list(
        "organisation_id", "networkgroup__slug"
    ):
        groups[pk].append(slug)
    for pk, slug in tagged_items(Organisation, object_id__in=pks).values_list(
        "object_id", "tag__slug"
    ):
        themes[pk].append(slug)
    by_values = defaultdict(list)
    rows = Organisation.objects.filter(pk__in=pks).values_list("pk", "kind", "countries", "city")
    for pk, kind, countries, city in rows:
        codes = str(countries or "").split(",") if not isinstance(countries, list) else countries
        values = facet_tokens(
            kind=kind,
            countries=[str(code) for code in codes],
            city=city,
            network_groups=groups[pk],
            themes=themes[pk],
        )
        by_values[tuple(values)].append(pk)
    for values, ids in by_values.items():
        Organisation.objects.filter(pk__in=ids).update(facet_values=list(values))


def _selection_key(filterset):
    data = filterset.form.cleaned_data
    selection = [
        ("fuzzy", filterset.fuzzy),
        ("q", data.get("q") or "", bool(data.get("as_typed"))),
        ("kind", data.get("kind") or ""),
        ("network_group", data.get("network_group") or ""),
        ("theme", sorted(data.get("theme") or [])),
        ("country", data.get("country") or ""),
        ("city", city_key(data.get("city"))),
        # Entries turn stale with the calendar, not with a change: counts hold for a day.
        ("confirmed", data.get("confirmed") or "", timezone.localdate().isoformat()),
        ("db", filterset.queryset.db),
    ]
    digest = hashlib.sha256(repr(selection).encode()).hexdigest()
    return f"organisations:directory-facets:v2:{digest}"


# Where a cached entry of counts keeps the ids of the pages counted with it.
PAGES = "#pages"


class Found:
    """What a valid ``DirectoryFilter`` finds: its facet counts (``facets``, with
    ``facets["total"]``) and, through ``page()``, its rows from ``offset`` to ``limit``.
    The counts and the ids of that page are read from the cache in one round trip."""

    def __init__(self, filterset, *, offset, limit):
        self.filterset = filterset
        self.offset, self.limit = offset, limit
        self._key = _selection_key(filterset)
        self._stamped = Stamped(self._key, self._page_key(offset))
        cached = self._stamped.get(self._key)
        if cached is None:
            self.facets = count_facets(filterset, page=(offset, limit))
            page = self.facets.pop("page", None)
            # The ids of the page counted with the facets (PostgreSQL), by page key: kept
            # with the counts, in the same cache entry.
            self._pages = {self._page_key(page[0]): page[1]} if page else {}
            self._stamped.set(self._key, {**self.facets, PAGES: self._pages}, FACET_CACHE_SECONDS)
        else:
            self.facets = dict(cached)
            self._pages = self.facets.pop(PAGES, {})

    def _page_key(self, offset):
        return f"{self._key}:page:{self.filterset.chosen_ordering}:{offset}:{self.limit}"

    @property
    def total(self):
        return self.facets["total"]

    def page(self, offset=None):
        """The rows of the page at ``offset`` (by default the one read ahead). Its ids are
        cached like the counts, so paging through a popular search ranks its matches once per
        content generation, not on every request; the rows themselves are read fresh (and
        must still be published)."""
        offset = self.offset if offset is None else offset
        key = self._page_key(offset)
        stamped = self._stamped if offset == self.offset else None
        ids = self._pages.get(key)
        if ids is None:
            stamped = stamped or Stamped(key)
            ids = stamped.get(key)
        if ids is None:
            rows = list(self.filterset.qs.for_cards()[offset : offset + self.limit])
            stamped.set(key, [row.pk for row in rows], FACET_CACHE_SECONDS)
            return rows
        if self.filterset.of_published:
            found = published_cards(ids, using=self.filterset.queryset.db)
        else:
            found = self.filterset.queryset.for_cards().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


def find(filterset, *, offset=0, limit=20):
    """What ``filterset`` finds (``Found``); when its search finds nothing and has a word the
    directory does not know (``search.has_unknown_words``), what the same filters find among
    organisations with similar names (``Found.filterset.fuzzy``)."""
    found = Found(filterset, offset=offset, limit=limit)
    if filterset.search_text and found.total == 0 and filterset.may_be_a_name():
        found = Found(filterset.similar_names(), offset=offset, limit=limit)
    return found


# Keeping the stored facet values up to date ----------------------------------------------


def _organisation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_facet_values([instance.pk])


def _relation_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Network groups or themes of organisations were added, removed or cleared."""
    if isinstance(instance, Organisation):
        if action.startswith("post_"):
            refresh_facet_values([instance.pk])
    elif reverse and action in ("post_add", "post_remove"):
        refresh_facet_values(pk_set)  # From a network group's side: organisations' ids.
    elif reverse and action == "pre_clear":
        instance._facet_members = set(instance.organisations.values_list("pk", flat=True))
    elif reverse and action == "post_clear":
        refresh_facet_values(getattr(instance, "_facet_members", ()))


def _members(instance):
    if isinstance(instance, Theme):
        return tagged_items(Organisation, tag=instance).values_list("object_id", flat=True)
    return instance.organisations.values_list("pk", flat=True)


def _option_about_to_go(sender, instance, **kwargs):
    instance._facet_members = set(_members(instance))


def _option_changed(sender, instance, raw=False, **kwargs):
    """A network group or theme was saved (its slug may be new) or deleted."""
    if not raw:
        members = getattr(instance, "_facet_members", None)
        refresh_facet_values(_members(instance) if members is None else members)


def keep_facet_values_up_to_date():
    """Connect the signals that rewrite an organisation's stored facet values whenever what
    they are made of changes. ``QuerySet.update``, ``bulk_create`` and ``COPY`` send no
    signals: code that uses them calls ``refresh_facet_values`` itself or writes the values
    (``create_synthetic_organisations``)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    uid = "organisations.facet_values"
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid=uid)
    for through in (Organisation.network_groups.through, ThemedItem):
        m2m_changed.connect(_relation_changed, sender=through, dispatch_uid=uid)
    for model in (NetworkGroup, Theme):
        post_save.connect(_option_changed, sender=model, dispatch_uid=uid)
        pre_delete.connect(_option_about_to_go, sender=model, dispatch_uid=uid)
        post_delete.connect(_option_changed, sender=model, dispatch_uid=uid)
