"""Finding organisations: the one module that knows how the directory searches.

On PostgreSQL every organisation row carries ``search_document``, a stored generated
``tsvector`` column with a GIN index (created by migration 0005 and made per language by
0016, which skip other databases). It holds the name and short name (weight A), the summary
and regions of focus (B) and the description and capacity texts (C) (``DOCUMENT``): English
and Dutch texts analysed in English *and* Dutch, so "women" and "vrouwen" both find the
Dutch-named women's organisations, French texts in ``french`` and Arabic ones in ``simple``.
Queries are looked up in every one of these configurations; results are ranked with
``ts_rank``, and a theme whose name in any language matches the query ("jeunesse",
"jongeren") lifts its organisations into the results (found by the ``theme:`` values stored
on their rows, ``organisations.facet_values``). When the full-text search finds
nothing, ``similar_names`` looks for organisation names that are close to the query by
trigram word similarity (pg_trgm, GIN-indexed), so a typo such as "gendr platfrom" still
leads to the right organisation.

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
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.postgres.search import (
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
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.expressions import Col

from peacenet.lib.caching import cached_for_generation, page_generation

from .slots import Slot

# The text search configurations of the document: English and Dutch for the texts most
# organisations write, French for those in French, ``simple`` (no stemming) for Arabic,
# which PostgreSQL has no stemmer for in every installation (``QUERY_CONFIGS``).
DOCUMENT_COLUMN = "search_document"
# Word similarity ("gendr platfrom" ~ "... Gender Platform" is 0.5); lower lets noise in.
TYPO_THRESHOLD = 0.45
# A query is read up to this many characters and words or phrases (the rest is ignored), so
# a pasted text or a thousand ORs costs no more than a long question.
MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 12
# How many other words one word or phrase may also be found in (thesaurus).
MAX_ALTERNATIVES = 6
# How alike (difflib's ratio) a word must be to a word of the vocabulary to be corrected.
CORRECTION_CUTOFF = 0.75
# Added to the rank of an organisation whose name or short name is the query itself.
EXACT_NAME_RANK = 10.0
THESAURUS_FILE = Path(__file__).with_name("thesaurus.txt")

# What goes into the document, by text search configuration and weight. Generated columns
# may only read the row itself, so themes (tags) are matched separately (see
# ``_search_postgresql``). An organisation's summary and description are kept per language
# (``summary_en``, ``summary_fr``, …: organisations/translation.py), each analysed in its
# language's configuration; English and Dutch texts in both, as registrants mix them. Names
# are in the English and Dutch parts only: a copy of the name right after another language's
# copy would make a false phrase of its last and first words ("Brigades for Peace" would
# match "peace brigades").
ENGLISH_AND_DUTCH = {
    "A": ("name", "short_name"),
    "B": ("summary_en", "summary_nl", "focus_regions"),
    "C": ("description_en", "description_nl", "offers_detail", "needs_detail"),
}
DOCUMENT = {
    "english": ENGLISH_AND_DUTCH,
    "dutch": ENGLISH_AND_DUTCH,
    "french": {"B": ("summary_fr",), "C": ("description_fr",)},
    "simple": {"B": ("summary_ar",), "C": ("description_ar",)},
}
# Each language's theme names, in its configuration (``theme_document_sql``).
THEME_NAMES = {"en": "english", "nl": "dutch", "fr": "french", "ar": "simple"}


def document_sql(document=None):
    """The SQL expression of the generated ``search_document`` column."""
    # Language by language, so that the end of one copy of a text and the start of the
    # next copy of the same text never stand next to each other (a false "phrase").
    parts = []
    for config, weighted in (document or DOCUMENT).items():
        for weight, fields in weighted.items():
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


def create_postgresql_objects(schema_editor, table, document=None):
    """Add the generated document column (of ``document``, by default today's), its GIN
    index and a trigram index on names, and the lexemes of the documents made."""
    schema_editor.execute(
        f"ALTER TABLE {table} ADD COLUMN {DOCUMENT_COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({document_sql(document)}) STORED"
    )
    create_search_indexes(schema_editor.execute, table)
    if LEXEME_TABLE in schema_editor.connection.introspection.table_names():
        add_lexemes(schema_editor.execute, table)


# Every lexeme that an organisation's or a theme's document holds (PostgreSQL): a table made
# by migration 0019 and kept by triggers on both tables as rows are written. A search leaves
# out the readings of its words that no document holds ("réseau" and "netwerk" for "network"
# in a directory written in English, ``_absent``), which the search index would otherwise
# look up for every statement: a sixth of a new search's statement at 100,000 organisations.
# A column of documents made again (``ALTER TABLE``) is filled without the triggers: whoever
# makes one adds its lexemes (``add_lexemes``; ``create_postgresql_objects`` does).
LEXEME_TABLE = "organisations_search_lexeme"


def add_lexemes(execute, table):
    """Add the lexemes of every document in ``table`` to ``LEXEME_TABLE``."""
    execute(
        f"INSERT INTO {LEXEME_TABLE} (lexeme) "  # noqa: S608 -- our own table names
        f"SELECT word FROM ts_stat('SELECT {DOCUMENT_COLUMN} FROM {table}') "
        "ON CONFLICT DO NOTHING"
    )


def theme_document_sql(names=None):
    """The SQL expression of a theme's generated ``search_document`` column: its names (of
    ``names``, by default today's ``THEME_NAMES``), each in its language's configuration and
    in ``simple``. Stored, so that a search reads it rather than analysing every theme's
    names twice per statement (``_search_postgresql``)."""
    return " || ".join(
        f"to_tsvector('{config}'::regconfig, COALESCE(name_{code}, ''))"
        f" || to_tsvector('simple'::regconfig, COALESCE(name_{code}, ''))"
        for code, config in (names or THEME_NAMES).items()
    )


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


# Reading a query ------------------------------------------------------------------------

# Quotes from phone keyboards and other languages count as the plain double quote:
# “…”, „…“, «…», and the fullwidth quote.
DOUBLE_QUOTES = str.maketrans(
    dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u301d\u301e\uff02", '"')
)
# A phrase between single typographic quotes (left and right, or low and left), not an
# apostrophe inside a word.
LEFT_SINGLE, RIGHT_SINGLE = "\u2018\u201a\u201b", "\u2019\u2018"
SINGLE_QUOTED = re.compile(
    rf"(?<!\w)[{LEFT_SINGLE}]([^{LEFT_SINGLE}{RIGHT_SINGLE}]+)[{RIGHT_SINGLE}](?!\w)"
)
APOSTROPHE = "\u2019"
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    """A word or a phrase (quoted, or a word with inner punctuation such as "WO=MEN")."""

    text: str
    phrase: bool = False

    def __str__(self):
        return f'"{self.text}"' if self.phrase and " " in self.text else self.text


@dataclass
class Query:
    """A query as websearch syntax reads it: every group must match, a group matches when
    one of its alternatives does (``OR``), an alternative when all its terms do; no
    ``excluded`` term may match. ``corrections`` maps misspelt words to what was searched."""

    groups: list = field(default_factory=list)
    excluded: list = field(default_factory=list)
    corrections: dict = field(default_factory=dict)
    exact: str = ""

    def __bool__(self):
        return bool(self.groups or self.excluded)

    def __str__(self):
        """The query as searched, in the syntax a visitor types."""
        parts = [" OR ".join(" ".join(map(str, alt)) for alt in group) for group in self.groups]
        parts += [f"-{term}" for term in self.excluded]
        return " ".join(parts)


def _term(token, quoted):
    text = " ".join(token.split()) if quoted else re.sub(r"^\W+|\W+$", "", token)
    words = WORD.findall(text)
    if not words:
        return None
    return Term(text, phrase=len(words) > 1)


def parse(text):
    """``text`` read as a websearch-style query of at most ``MAX_QUERY_TERMS`` words and
    phrases: ``"a phrase"`` (typographic quotes too), ``-word`` to leave out, ``OR`` between
    alternatives. Bare operators and punctuation are dropped."""
    text = str(text)[:MAX_QUERY_CHARS].translate(DOUBLE_QUOTES)
    text = SINGLE_QUOTED.sub(r'"\1"', text).replace(APOSTROPHE, "'")
    query = Query()
    either = False
    terms = 0
    for match in TOKEN.finditer(text):
        if terms >= MAX_QUERY_TERMS:
            break
        if match.group(3) and match.group(3).upper() == "OR":
            either = bool(query.groups)
            continue
        quoted = match.group(2) is not None
        token = match.group(2) if quoted else match.group(3)
        exclude = bool(match.group(1)) or (not quoted and token.startswith("-"))
        term = _term(token, quoted)
        if term is None:
            continue
        terms += 1
        if exclude:
            query.excluded.append(term)
        elif either:
            query.groups[-1].append((term,))
        else:
            query.groups.append([(term,)])
        either = False
    query.exact = " ".join(term.text for group in query.groups for alt in group for term in alt)
    return query


# The same idea in other words --------------------------------------------------------------


def fold(text):
    """``text`` compared without case or accents ("Développement" is "developpement")."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return " ".join(
        "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split()
    )


@functools.cache
def thesaurus():
    """The thesaurus (``thesaurus.txt``): every entry, folded, mapped to its line's entries."""
    entries = {}
    for line in THESAURUS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        group = [entry.strip() for entry in line.split("=") if entry.strip()]
        for entry in group:
            entries[fold(entry)] = tuple(other for other in group if fold(other) != fold(entry))
    return entries


@functools.cache
def thesaurus_words():
    """Every word of every entry of the thesaurus, folded: words no one needs to correct."""
    return frozenset(word for entry in thesaurus() for word in entry.split())


def _equivalents(words):
    return thesaurus().get(fold(" ".join(words)), ())


def _with_equivalents(query):
    """Each word or phrase, or run of up to four words, that the thesaurus knows may also be
    found in its other words."""
    groups = []
    index = 0
    while index < len(query.groups):
        group = query.groups[index]
        # The longest run of plain single words from here that the thesaurus knows.
        run = []
        for following in query.groups[index : index + 4]:
            if len(following) != 1 or len(following[0]) != 1 or following[0][0].phrase:
                break
            run.append(following[0][0])
        for length in range(len(run), 1, -1):
            equivalents = _equivalents([term.text for term in run[:length]])
            if equivalents:
                alternatives = [tuple(run[:length])]
                alternatives += [(_term(entry, True),) for entry in equivalents[:MAX_ALTERNATIVES]]
                groups.append(alternatives)
                index += length
                break
        else:
            expanded = []
            for alternative in group:
                expanded.append(alternative)
                if len(alternative) == 1:
                    equivalents = _equivalents([alternative[0].text])[:MAX_ALTERNATIVES]
                    expanded += [(_term(entry, True),) for entry in equivalents]
            groups.append(expanded)
            index += 1
    return Query(groups, query.excluded, query.corrections, query.exact)


# Misspelt words -----------------------------------------------------------------------------

VOCABULARY_KEY = "organisations:search-vocabulary:v1"
VOCABULARY_SECONDS = 24 * 3600
# Words as the vocabulary holds them: letters only, three to thirty of them.
VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,30}")
VOCABULARY_FIELDS = (
    "name",
    "short_name",
    *(f"summary_{code}" for code in THEME_NAMES),
    *(f"description_{code}" for code in THEME_NAMES),
    "focus_regions",
    "offers_detail",
    "needs_detail",
)


def vocabulary(using="default"):
    """Every word of the published organisations' names, summaries, descriptions, regions
    and themes, in lower case, mapped to how many organisations use it. It is read from the
    ``SearchWord`` table (which saving a published organisation adds to, and
    ``rebuild_search_words`` recounts) once per content generation, and kept in this process
    while the generation lasts (``cached_for_generation``'s ``in_process``)."""
    return cached_for_generation(
        f"{VOCABULARY_KEY}:{using}",
        lambda: _read_words(using),
        VOCABULARY_SECONDS,
        in_process=True,
    )


def _read_words(using):
    from .models import SearchWord, Theme

    words = dict(SearchWord.objects.using(using).values_list("word", "organisations"))
    columns = [f"name_{code}" for code in THEME_NAMES]
    for names in Theme.objects.using(using).values_list(*columns):
        for word in set(VOCABULARY_WORD.findall(" ".join(filter(None, names)).lower())):
            words[word] = words.get(word, 0) + 1
    return words


def words_of(organisation):
    """The vocabulary's words in one organisation's texts."""
    text = " ".join(str(getattr(organisation, name) or "") for name in VOCABULARY_FIELDS)
    return set(VOCABULARY_WORD.findall(text.lower()))


def add_words(organisation):
    """Add the words of a published organisation to the vocabulary (one query); counts and
    words no one uses any more wait for ``rebuild_search_words``."""
    from .models import SearchWord

    words = [SearchWord(word=word) for word in sorted(words_of(organisation))]
    SearchWord.objects.bulk_create(words, ignore_conflicts=True)


def count_words(queryset, fields=VOCABULARY_FIELDS):
    """How many organisations of ``queryset`` use each word of the vocabulary (on
    PostgreSQL counted by ``ts_stat`` in the database, elsewhere in Python)."""
    counts = Counter()
    if is_postgresql(queryset):
        text = " || ' ' || ".join(f"coalesce({name}, '')" for name in fields)
        sql, params = queryset.values("pk").query.sql_with_params()
        table = queryset.model._meta.db_table
        with connections[queryset.db].cursor() as cursor:
            inner = cursor.mogrify(sql, params)  # psycopg 3's client-side cursor
            cursor.execute(
                "SELECT word, ndoc FROM ts_stat(%s) WHERE word ~ '^[[:alpha:]]{3,30}$'",
                [
                    f"SELECT to_tsvector('simple', {text}) FROM {table} "  # noqa: S608
                    f"WHERE id IN ({inner})"
                ],
            )
            counts.update(dict(cursor.fetchall()))
    else:
        for values in queryset.values_list(*fields).iterator(chunk_size=2000):
            text = " ".join(filter(None, values))
            counts.update(set(VOCABULARY_WORD.findall(text.lower())))
    return dict(counts)


def rebuild_words(organisations, words, fields=VOCABULARY_FIELDS):
    """Replace the vocabulary (the ``words`` model's rows) with the words of the
    published ``organisations`` and their counts (in ``fields``, by default today's)."""
    counts = count_words(organisations.filter(status="published"), fields)
    words.objects.using(organisations.db).all().delete()
    words.objects.using(organisations.db).bulk_create(
        [words(word=word, organisations=n) for word, n in sorted(counts.items())],
        batch_size=2000,
    )
    return len(counts)


def _corrected(word, words, folded):
    """The word of the vocabulary that ``word`` most likely misspells, or None when it is
    known, too short to tell, or like no word of the vocabulary."""
    key = fold(word)
    if len(key) < 4 or not key.isalpha() or word.lower() in words or key in folded:
        return None
    if key in thesaurus_words():
        return None
    near = [w for w in words if abs(len(w) - len(key)) <= 2]
    close = difflib.get_close_matches(key, near, n=5, cutoff=CORRECTION_CUTOFF)
    if not close:
        return None

    def likeness(candidate):
        ratio = difflib.SequenceMatcher(None, key, candidate).ratio()
        return (round(ratio, 2), words[candidate], candidate)

    return max(close, key=likeness)


def _folded(words, memo={}):  # noqa: B006 -- the last vocabulary's folded words
    """The words of the vocabulary ``words``, folded, worked out once per vocabulary read."""
    if memo.get("words") is not words:
        memo.update(words=words, folded=frozenset(fold(word) for word in words))
    return memo["folded"]


def _with_corrections(query, using):
    """The query with each unknown word replaced by the word of the corpus it most likely
    misspells ("rihgts" by "rights"); quoted phrases and excluded words stay as typed."""
    words = vocabulary(using)
    if not words:
        return query
    folded = _folded(words)
    corrections = {}
    groups = []
    for group in query.groups:
        alternatives = []
        for alternative in group:
            terms = []
            for term in alternative:
                better = None if term.phrase else _corrected(term.text, words, folded)
                if better:
                    corrections[term.text] = better
                    term = Term(better)
                terms.append(term)
            alternatives.append(tuple(terms))
        groups.append(alternatives)
    return Query(groups, query.excluded, corrections, query.exact)


def has_unknown_words(query, using="default"):
    """Whether a word the ``query`` (a parsed ``Query``, as typed) looks for is no word of
    the vocabulary (nor of the thesaurus): a misspelling, or a name's word the directory
    does not have. Only then can names like the query find what
    its words did not; words the directory knows that find nothing together are simply not
    there together."""
    words = vocabulary(using)
    if not words:
        return True
    folded = _folded(words)
    known = thesaurus_words()
    return any(
        word.lower() not in words and fold(word) not in folded and fold(word) not in known
        for group in query.groups
        for alternative in group
        for term in alternative
        for word in WORD.findall(term.text)
    )


def any_of(query):
    """The ``query`` widened to find what has any of its words or phrases (``a OR b``), or
    "" when it has fewer than two: what to offer when all of them together find nothing."""
    alternatives = [alternative for group in query.groups for alternative in group]
    if len(alternatives) < 2:
        return ""
    return str(Query([alternatives], query.excluded))


def understand(text, *, correct=True, using="default"):
    """``text`` as the directory searches it: parsed, misspelt words corrected (unless
    ``correct`` is false), and not yet widened by the thesaurus. ``str()`` of the result is
    what was searched; its ``corrections`` say which words changed."""
    query = parse(text)
    if correct and query.groups:
        query = _with_corrections(query, using)
    return query


# Searching --------------------------------------------------------------------------------


def is_postgresql(queryset):
    return connections[queryset.db].vendor == "postgresql"


def search(queryset, text, *, correct=True):
    """Organisations matching ``text`` (or a ``Query`` that ``understand`` gave), annotated
    with ``rank`` (not yet ordered).

    Misspelt words are corrected from the vocabulary (``correct=False`` searches the words
    as typed), then each word or phrase the thesaurus knows also finds its equivalents. An
    organisation whose name or short name is the query itself ranks first.
    """
    query = (
        text if isinstance(text, Query) else understand(text, correct=correct, using=queryset.db)
    )
    if not query:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    if is_postgresql(queryset):
        return _search_postgresql(queryset, statement_values(query, queryset.db))
    return _search_fallback(queryset, _with_equivalents(query))


def statement_values(query, using="default"):
    """The values a search (a ``Query`` that ``understand`` gave, not empty) hands
    PostgreSQL, by the name of their slot (``organisations.slots``): the text of its one
    ``tsquery`` (``ts_query``, its words' equivalents included) and the whole query as a name
    (``query.exact``). The statement around them is the same for every such search whose
    whole name is empty (no ``"exact"``), or not: ``organisations.facets`` compiles it once
    for each. Worked out once per query (a filter's counts and its page read the same one,
    ``DirectoryFilter.understood``)."""
    memo = query.__dict__.setdefault("_statement_values", {})
    if using not in memo:
        memo[using] = {"tsquery": ts_query(_with_equivalents(query), using)}
        if query.exact:
            memo[using]["exact"] = query.exact
    return dict(memo[using])


def _exact_name(text):
    """Organisations whose name or short name is ``text``, the whole query, in any case."""
    if not text:
        return Q(pk__in=[])
    return Q(name__iexact=text) | Q(short_name__iexact=text)


# How a query is read on PostgreSQL: each word in every one of these configurations, and a
# row matches a word when it holds any of its readings (registrants mix languages, even
# within a profile). A word that one of these ways of reading leaves out (a stop word of
# French, or of both English and Dutch: "of", "de") is not required at all.
QUERY_CONFIGS = (("english", "dutch"), ("french",), ("simple",))


# How each word or phrase reads in each configuration (``plainto_tsquery`` or
# ``phraseto_tsquery``, as text), kept in this process: a search asks PostgreSQL only for
# the words it has not read yet, and hands it the whole query as one ``tsquery``, which it
# plans in a fraction of the time a tree of a hundred function calls takes.
_read_terms = {}
MAX_READ_TERMS = 50_000


def _function(term):
    return "phraseto_tsquery" if term.phrase else "plainto_tsquery"


def _read(query, using):
    """How PostgreSQL reads each word and phrase of ``query`` in every configuration it is
    looked up in, by ``(function, configuration, text)``: those not read yet are read in one
    query (and kept)."""
    wanted = {
        (_function(term), config, term.text)
        for term in [
            *(term for group in query.groups for alt in group for term in alt),
            *query.excluded,
        ]
        for configs in QUERY_CONFIGS
        for config in configs
    }
    known = {key: _read_terms[key] for key in wanted if key in _read_terms}
    missing = sorted(wanted - known.keys())
    if not missing:
        return known
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join(
                f"{function}(%s::regconfig, %s)::text" for function, _config, _text in missing
            ),
            [value for _function, config, text in missing for value in (config, text)],
        )
        read = cursor.fetchone()
    fresh = dict(zip(missing, read, strict=True))
    if len(_read_terms) + len(missing) > MAX_READ_TERMS:
        _read_terms.clear()
    _read_terms.update(fresh)
    return known | fresh


def _joined(parts, operator):
    """``tsquery`` texts joined by ``&`` or ``|`` as PostgreSQL's ``&&`` and ``||`` join
    them: an empty one (only stop words) leaves the other."""
    parts = [part for part in parts if part]
    return f"( {f' {operator} '.join(parts)} )" if len(parts) > 1 else "".join(parts)


# The lexemes found in the documents (``LEXEME_TABLE``), kept in this process: lexemes are
# never taken out, so only those not found yet are asked for. Those not found are kept by
# database for the content generation of the public page being rendered (a document's new
# words are in the table once it is saved, and the saved change starts a new generation).
_held_lexemes = set()
_absent_lexemes = {}
MAX_HELD_LEXEMES = 100_000
# A lexeme in the text of a ``tsquery``: quoted, a quote inside doubled.
QUOTED_LEXEME = re.compile(r"'((?:[^']|'')*)'")


def _lexemes(reading):
    """The lexemes of a reading (the text of a ``tsquery``), or None when one may be quoted
    in a way not read here (a backslash): such a reading is always kept."""
    found = [lexeme.replace("''", "'") for lexeme in QUOTED_LEXEME.findall(reading)]
    return None if any("\\" in lexeme for lexeme in found) else found


def _absent(readings, using):
    """The readings of which some lexeme is in no organisation's or theme's document: none
    of their rows can match them. Asks the database about the lexemes not found yet (within a
    public page, not found yet in its content generation)."""
    lexemes = {reading: _lexemes(reading) for reading in readings}
    generation = page_generation()
    kept = _absent_lexemes.get(using)
    known_absent = kept[1] if kept and generation and kept[0] == generation else set()
    unknown = sorted(
        {lexeme for found in lexemes.values() for lexeme in found or ()}
        - _held_lexemes
        - known_absent
    )
    if unknown:
        with connections[using].cursor() as cursor:
            cursor.execute(
                f"SELECT lexeme FROM {LEXEME_TABLE} WHERE lexeme = ANY(%s)",  # noqa: S608
                [unknown],
            )
            held = {lexeme for (lexeme,) in cursor.fetchall()}
        if len(_held_lexemes) + len(held) > MAX_HELD_LEXEMES:
            _held_lexemes.clear()
        _held_lexemes.update(held)
        if generation:
            absent = known_absent | (set(unknown) - held)
            _absent_lexemes[using] = (
                generation,
                absent if len(absent) <= MAX_HELD_LEXEMES else set(),
            )
    return {
        reading
        for reading, found in lexemes.items()
        if found and not _held_lexemes.issuperset(found)
    }


def ts_query(query, using="default"):
    """The query as the text of one ``tsquery``: each of its words in any of its readings in
    any configuration that some document holds, and no excluded word in any configuration."""
    terms = _read(query, using)
    absent = _absent({reading for reading in terms.values() if reading}, using)

    def read(term, config):
        return terms[_function(term), config, term.text]

    def readings(term, held_only):
        """The term's readings, each once; ``[]`` for a word some way of reading the query
        leaves out ("the", "de"), and with ``held_only`` those some document holds, or None
        when no document holds any."""
        ways = [[read(term, config) for config in configs] for configs in QUERY_CONFIGS]
        if not all(any(way) for way in ways):
            return []
        found = list(dict.fromkeys(reading for way in ways for reading in way if reading))
        if not held_only:
            return found
        return [reading for reading in found if reading not in absent] or None

    def alternatives(group, held_only):
        parts = []
        for alt in group:
            found = [readings(term, held_only) for term in alt]
            if None in found:
                continue  # An alternative with a word no document holds matches nothing.
            if len(alt) == 1:
                parts += found[0]
            else:
                parts.append(_joined([_joined(term, "|") for term in found], "&"))
        return _joined(list(dict.fromkeys(parts)), "|")

    def any_alternative(group):
        """A word or phrase in any reading of any of its alternatives that some document
        holds, each reading once: configurations and alternatives often read alike
        ("network" in English, Dutch and `simple`), and the search index looks up every item
        of the query. A group no document holds in any reading keeps them all: it matches
        nothing, and says so."""
        return alternatives(group, held_only=True) or alternatives(group, held_only=False)

    words = _joined([any_alternative(group) for group in query.groups], "&")
    excluded = [
        read(term, config)
        for term in query.excluded
        for configs in QUERY_CONFIGS
        for config in configs
    ]
    # Leaving out a word no document holds leaves out nothing.
    kept = [reading for reading in dict.fromkeys(excluded) if reading and reading not in absent]
    parts = [words, *(f"!( {reading} )" for reading in kept)]
    return _joined(parts, "&")


class RowSQL(Expression):
    """SQL about one organisation row: ``template`` names the row's ``document`` (the search
    column), ``facets`` (its stored facet values), ``name`` and ``short_name``, and takes
    ``params``. The columns follow the table when the queryset becomes a subquery (facet
    counts, exports). One such expression is resolved and compiled at a fraction of the
    cost of a tree of ``Case``, ``When`` and lookups, which the facet counts copy for
    every column that reads the rank."""

    COLUMNS = ("document", "facets", "name", "short_name")

    def __init__(self, template, params, output_field):
        super().__init__(output_field=output_field)
        self.template, self.params = template, params
        self.columns = [SearchDocument(), F("facet_values"), F("name"), F("short_name")]

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, expressions):
        self.columns = expressions

    def as_sql(self, compiler, connection):
        compiled = {
            name: compiler.compile(column)[0]
            for name, column in zip(self.COLUMNS, self.columns, strict=True)
        }
        return self.template.format(**compiled), self.params


class RowCondition(RowSQL):
    conditional = True

    def __init__(self, template, params):
        super().__init__(template, params, BooleanField())


def _search_postgresql(queryset, values):
    """The search of ``values`` (``statement_values``), each handed to the ORM in its
    slot. Whatever differs between two searches must be one of those values (or change the
    statement's shape: ``DirectoryFilter.statement_slots``), since the facet counts reuse
    the statement of one search for the next of its shape;
    ``tests/organisations/test_facet_statements.py`` compares the two."""
    from .models import Theme

    tsquery, params = "%s::tsquery", [Slot(values["tsquery"], "tsquery")]
    # A theme counts when the whole query matches its name in one of its languages
    # ("gender", "human rights", "jeugd", "droits humains"); its organisations carry it in
    # their stored facet values ("theme:<slug>"), which the facet values' index serves.
    themes = (
        f"ARRAY(SELECT 'theme:' || t.slug FROM {Theme._meta.db_table} t "  # noqa: S608
        f"WHERE t.{DOCUMENT_COLUMN} @@ {tsquery})"
    )
    # The query is handed to the match as a sub-select: PostgreSQL cannot estimate how many
    # organisations a query of many alternatives matches (it counts "wom" and "women", the
    # English and Dutch words for the same text, as independent and guesses five times too
    # many), and on such a guess it reads every row instead of the search index. Read
    # through the index, even a word found in a quarter of the organisations is found
    # twice as fast.
    matches = RowCondition(
        f"({{document}} @@ (SELECT {tsquery}) OR {{facets}} && {themes})", params * 2
    )
    # The rank, lifted for a matching theme and most for the organisation named by the
    # whole query (``_exact_name``: ``iexact`` on the name or short name).
    rank = (
        f"ts_rank({{document}}, (SELECT {tsquery}))"
        f" + CASE WHEN {{facets}} && {themes} THEN 0.2 ELSE 0.0 END"
    )
    rank_params = params * 2
    if values.get("exact"):
        rank += (
            " + CASE WHEN UPPER({name}::text) = UPPER(%s) OR UPPER({short_name}::text) = UPPER(%s)"
            f" THEN {EXACT_NAME_RANK} ELSE 0.0 END"
        )
        rank_params += [Slot(values["exact"], "exact")] * 2
    return queryset.filter(matches).annotate(rank=RowSQL(rank, rank_params, FloatField()))


# The directory's fields for ``search_fields`` (the SQLite search), by weight: the summary and
# description in every language.
FALLBACK_WEIGHTS = {
    "name": 4,
    "short_name": 4,
    **{f"summary_{code}": 2 for code in THEME_NAMES},
    "focus_regions": 2,
    **{f"description_{code}": 1 for code in THEME_NAMES},
    "offers_detail": 1,
    "needs_detail": 1,
}


def _search_fallback(queryset, query):
    found = search_fields(queryset, query, FALLBACK_WEIGHTS)
    boost = Case(When(_exact_name(query.exact), then=Value(EXACT_NAME_RANK)), default=Value(0.0))
    return found.annotate(rank=F("rank") + boost)


def _singular(term):
    """What ``search_fields`` looks for: a word without a plural "s", which finds both
    ("refugees" finds "refugee organisations"), or the term as typed."""
    text = term.text
    if not term.phrase and len(text) > 4 and text.endswith("s") and not text.endswith("ss"):
        return text[:-1]
    return text


def search_fields(queryset, text, weights):
    """Rows matching ``text`` (websearch style, as ``parse`` reads it; or a parsed
    ``Query``) in one of the ``weights`` fields or in the name of one of the row's themes,
    any case, annotated with ``rank``: for each group of the query, the best weight it was
    found in.

    The directory's search on SQLite, and on every database the search of models without a
    search document (partnership proposals: ``PartnershipProposal.objects.search``).
    """
    from .themes import tagged_items

    query = text if isinstance(text, Query) else _with_equivalents(parse(text))

    def found(term, fields):
        text = _singular(term)
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": text})
        return condition

    def in_themes(term):
        text = _singular(term)
        names = Q()
        for code in THEME_NAMES:
            names |= Q(**{f"tag__name_{code}__icontains": text})
        return Q(Exists(tagged_items(queryset.model, names, object_id=OuterRef("pk"))))

    def alternatives(group, match):
        condition = Q(pk__in=[])
        for alternative in group:
            every = Q()
            for term in alternative:
                every &= match(term)
            condition |= every
        return condition

    score = Value(0)
    for group in query.groups:
        queryset = queryset.filter(
            alternatives(group, lambda term: found(term, weights) | in_themes(term))
        )
        whens = [
            When(alternatives(group, lambda term, name=name: found(term, [name])), then=Value(w))
            for name, w in sorted(weights.items(), key=lambda item: -item[1])
        ]
        score = score + Case(*whens, default=Value(2))
    for term in query.excluded:
        queryset = queryset.exclude(found(term, weights) | in_themes(term))
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
    text = parse(text).exact
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
