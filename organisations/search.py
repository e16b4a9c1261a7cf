"""Finding organisations: the one module that knows how the directory searches.

On PostgreSQL every organisation row carries ``search_document``, a stored generated
``tsvector`` column with a GIN index (both created by migration 0005, which skips other
databases). It holds the name and short name (weight A), the summary and regions of focus
(B) and the description and capacity texts (C), each analysed in English *and* Dutch, so
"women" and "vrouwen" both find the Dutch-named women's organisations. Queries use
``websearch_to_tsquery`` (quotes, ``or``, ``-word``) in both languages; results are ranked with
``ts_rank``, and a theme whose name matches the query lifts its organisations into the
results. When the full-text search finds nothing, ``similar_names`` looks for organisation
names that are close to the query by trigram word similarity (pg_trgm, GIN-indexed), so a
typo such as "gendr platfrom" still leads to the right organisation.

The column is deliberately not a model field: Django never writes it, forms and history
never see it, and SQLite (the local default) needs no such column. On SQLite the same
``.search()`` matches every word of the query in the same fields with ``icontains`` and
ranks by where the words were found; ``similar_names`` uses :mod:`difflib` on the names.

Callers use the QuerySet vocabulary: ``Organisation.objects.published().search(q)`` and
``.similar_names(q)``; both annotate ``rank`` (higher is better). Pickers that search as the
user types use ``.names_containing(q)``; partnership proposals, which have no search document,
search through ``search_fields`` with their own fields.
"""

import difflib
import re

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    Expression,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.expressions import Col

from .themes import tagged_items

SEARCH_CONFIGS = ("english", "dutch")
DOCUMENT_COLUMN = "search_document"
# Word similarity ("gendr platfrom" ~ "... Gender Platform" is 0.5); lower lets noise in.
TYPO_THRESHOLD = 0.45
MAX_QUERY_WORDS = 12

# What goes into the document, by weight. Generated columns may only read the row itself,
# so themes (tags) are matched separately (see ``_search_postgresql``).
WEIGHTED_FIELDS = {
    "A": ("name", "short_name"),
    "B": ("summary", "focus_regions"),
    "C": ("description", "offers_detail", "needs_detail"),
}


def document_sql():
    """The SQL expression of the generated ``search_document`` column."""
    # Language by language, so that the end of one copy of a text and the start of the
    # next copy of the same text never stand next to each other (a false "phrase").
    parts = []
    for config in SEARCH_CONFIGS:
        for weight, fields in WEIGHTED_FIELDS.items():
            text = " || ' ' || ".join(f"coalesce({field}, '')" for field in fields)
            parts.append(f"setweight(to_tsvector('{config}'::regconfig, {text}), '{weight}')")
    return " || ".join(parts)


# The indexes search reads, by name: the document's and the names' trigrams (for typos).
SEARCH_INDEXES = {
    "organisation_search_document_idx": f"USING gin ({DOCUMENT_COLUMN})",
    "organisation_name_trgm_idx": "USING gin (name gin_trgm_ops)",
}


def create_search_indexes(execute, table):
    for name, method in SEARCH_INDEXES.items():
        execute(f"CREATE INDEX {name} ON {table} {method}")


def drop_search_indexes(execute):
    for name in SEARCH_INDEXES:
        execute(f"DROP INDEX IF EXISTS {name}")


def create_postgresql_objects(schema_editor, table):
    """Add the generated document column, its GIN index and a trigram index on names."""
    schema_editor.execute(
        f"ALTER TABLE {table} ADD COLUMN {DOCUMENT_COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({document_sql()}) STORED"
    )
    create_search_indexes(schema_editor.execute, table)


def drop_postgresql_objects(schema_editor, table):
    drop_search_indexes(schema_editor.execute)
    schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {DOCUMENT_COLUMN}")


class SearchDocument(Expression):
    """The organisation's ``search_document`` column, for use in filters and ranks.

    It resolves to a column of the query's base table, so it follows the table when the
    queryset becomes a subquery (facet counts, exports).
    """

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, *args, **kwargs):
        field = SearchVectorField()
        field.set_attributes_from_name(DOCUMENT_COLUMN)
        field.model = query.model
        return Col(query.get_initial_alias(), field, output_field=field)


class InArray(Func):
    """``value = ANY(array)``: unlike ``IN (subquery)`` it can be an index scan inside an OR."""

    template = "(%(expressions)s))"
    arg_joiner = " = ANY("
    output_field = BooleanField()
    conditional = True


def normalise(text):
    """The query as searched: at most ``MAX_QUERY_WORDS`` words; bare operators dropped."""
    words = [word for word in str(text).split() if re.search(r"\w", word)]
    return " ".join(words[:MAX_QUERY_WORDS])


def is_postgresql(queryset):
    return connections[queryset.db].vendor == "postgresql"


def search(queryset, text):
    """Organisations matching ``text``, annotated with ``rank`` (not yet ordered)."""
    text = normalise(text)
    if not text:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    if is_postgresql(queryset):
        return _search_postgresql(queryset, text)
    return _search_fallback(queryset, text)


def _search_postgresql(queryset, text):
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIGS[0])
    for config in SEARCH_CONFIGS[1:]:
        query |= SearchQuery(text, search_type="websearch", config=config)
    from taggit.models import Tag

    # A theme counts when the whole query matches its name ("gender", "human rights"). The
    # ids go in as ``id = ANY(ARRAY(...))`` so PostgreSQL can OR two index scans.
    matching_tags = Tag.objects.alias(document=_tag_document()).filter(document=query)
    themed_ids = ArraySubquery(
        tagged_items(queryset.model, tag__in=matching_tags).values("object_id")
    )
    theme_match = InArray(F("pk"), themed_ids)
    return (
        queryset.alias(search_document=SearchDocument())
        .filter(Q(search_document=query) | Q(theme_match))
        .annotate(
            rank=SearchRank(F("search_document"), query)
            + Case(When(theme_match, then=Value(0.2)), default=Value(0.0))
        )
    )


def _tag_document():
    from django.contrib.postgres.search import SearchVector

    vector = SearchVector("name", config=SEARCH_CONFIGS[0])
    for config in SEARCH_CONFIGS[1:]:
        vector += SearchVector("name", config=config)
    return vector


TOKEN = re.compile(r'(-?)"([^"]+)"|(-?)(\S+)')


def _tokens(text):
    """Words and quoted phrases of a websearch-style query, with their exclusion flag."""
    for match in TOKEN.finditer(text):
        exclude = bool(match.group(1) or match.group(3))
        term = (match.group(2) or match.group(4) or "").strip().strip('"')
        if term and term.lower() != "or":
            yield term, exclude


# The directory's fields for ``search_fields`` (the SQLite search), by weight.
FALLBACK_WEIGHTS = {
    "name": 4,
    "short_name": 4,
    "summary": 2,
    "focus_regions": 2,
    "description": 1,
    "offers_detail": 1,
    "needs_detail": 1,
}


def _search_fallback(queryset, text):
    return search_fields(queryset, text, FALLBACK_WEIGHTS)


def search_fields(queryset, text, weights):
    """Rows where every word or quoted phrase of ``text`` (websearch style: ``-word``
    excludes) is in one of the ``weights`` fields or in the name of one of the row's themes,
    any case, annotated with ``rank``: the sum of the best weight each word was found in.

    The directory's search on SQLite, and on every database the search of models without a
    search document (partnership proposals: ``PartnershipProposal.objects.search``).
    """
    text = normalise(text)
    score = Value(0)
    for term, exclude in _tokens(text):
        found = Q(
            Exists(
                tagged_items(queryset.model, object_id=OuterRef("pk"), tag__name__icontains=term)
            )
        )
        for field in weights:
            found |= Q(**{f"{field}__icontains": term})
        if exclude:
            queryset = queryset.exclude(found)
            continue
        queryset = queryset.filter(found)
        whens = [
            When(**{f"{field}__icontains": term}, then=Value(w)) for field, w in weights.items()
        ]
        score = score + Case(*whens, default=Value(2))
    return queryset.annotate(rank=score * 1.0)


def names_containing(queryset, text):
    """Organisations whose name or short name contains ``text`` (any case), for pickers that
    search as the user types and must find a name from its first letters. PostgreSQL serves
    it from the trigram index on ``UPPER(name)``."""
    text = " ".join(str(text).split())
    if not text:
        return queryset.none()
    return queryset.filter(Q(name__icontains=text) | Q(short_name__icontains=text))


def similar_names(queryset, text):
    """Organisations whose name is close to ``text`` (typos), annotated with ``rank``."""
    text = normalise(text)
    nothing = queryset.annotate(rank=Value(0.0, output_field=FloatField())).none()
    if not text:
        return nothing
    if is_postgresql(queryset):
        with connections[queryset.db].cursor() as cursor:
            # The operator below reads this threshold; the GIN trigram index serves it.
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                [str(TYPO_THRESHOLD)],
            )
        return queryset.filter(name__trigram_word_similar=text).annotate(
            rank=TrigramWordSimilarity(text, "name")
        )
    names = list(queryset.values_list("name", flat=True)[:5000])
    close = _close_names(text, names)
    ranks = [When(name=name, then=Value(1.0 - i / 10)) for i, name in enumerate(close)]
    if not ranks:
        return nothing
    return queryset.filter(name__in=close).annotate(
        rank=Case(*ranks, default=Value(0.0), output_field=FloatField())
    )


def _close_names(text, names, limit=5):
    """Names where every word of ``text`` is close to some word of the name (difflib)."""
    words = text.lower().split()
    scored = []
    for name in names:
        name_words = re.findall(r"\w+", name.lower())
        ratios = [
            max((difflib.SequenceMatcher(None, w, n).ratio() for n in name_words), default=0)
            for w in words
        ]
        if ratios and min(ratios) >= 0.7:
            scored.append((sum(ratios) / len(ratios), name))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [name for _, name in scored[:limit]]
