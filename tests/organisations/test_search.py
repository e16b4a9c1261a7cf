import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisations import search
from organisations.models import Organisation, SearchWord
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _slugs(queryset):
    return list(queryset.order_by("-rank", "name").values_list("slug", flat=True))


def test_search_excludes_words_with_a_minus():
    OrganisationFactory(name="Youth Dialogue", slug="youth-dialogue", summary="Dialogue.")
    OrganisationFactory(name="Women Dialogue", slug="women-dialogue", summary="Dialogue.")

    found = _slugs(Organisation.objects.search("dialogue -women"))

    assert found == ["youth-dialogue"]


def test_search_quoted_phrase_needs_the_words_together():
    OrganisationFactory(name="Peace Brigades", slug="brigades", summary="Protection.")
    OrganisationFactory(name="Brigades for Peace", slug="other", summary="Protection.")

    found = _slugs(Organisation.objects.search('"peace brigades"'))

    assert found == ["brigades"]


def test_search_ranks_a_name_match_above_a_description_match():
    OrganisationFactory(
        name="Helpers of Quiet Rivers", slug="rivers", description="Talks about mediation."
    )
    OrganisationFactory(name="Mediation Centre", slug="mediation-centre", description="Talks.")

    found = _slugs(Organisation.objects.search("mediation"))

    assert found == ["mediation-centre", "rivers"]


def test_search_ranks_a_summary_match_above_a_description_match():
    OrganisationFactory(name="Alpha", slug="alpha", summary="Works.", description="Radio shows.")
    OrganisationFactory(name="Beta", slug="beta", summary="Community radio.", description="")

    found = _slugs(Organisation.objects.search("radio"))

    assert found == ["beta", "alpha"]


def test_search_finds_organisations_by_theme_name():
    OrganisationFactory(name="Alpha", slug="alpha", themes=["Transitional justice"])
    OrganisationFactory(name="Beta", slug="beta")

    found = _slugs(Organisation.objects.search("transitional justice"))

    assert found == ["alpha"]


def test_search_with_an_empty_query_keeps_everything():
    OrganisationFactory.create_batch(3)

    assert Organisation.objects.search("   ").count() == 3


def test_search_with_only_operators_is_no_search():
    OrganisationFactory.create_batch(2)

    assert Organisation.objects.search('"" - & | ! <> :*').count() == 2


@pytest.mark.postgres
def test_search_document_follows_edits_on_postgresql():
    organisation = OrganisationFactory(name="Alpha", summary="Works.")

    organisation.summary = "Builds bridges with the Eritrean diaspora."
    organisation.save()

    assert list(Organisation.objects.search("eritrean")) == [organisation]


@pytest.mark.postgres
def test_search_finds_each_word_in_whichever_language_it_is_written_in():
    """An organisation that writes one word in French ("sécurité") and another in English
    ("peacebuilding") is found by both: each word may match in any language's reading."""
    bilingual = OrganisationFactory(
        name="Alpha",
        summary_fr="Sécurité des quartiers.",
        summary_en="Peacebuilding in the neighbourhood.",
        language="fr",
    )
    OrganisationFactory(name="Beta", summary_en="Peacebuilding with schools.")

    found = list(Organisation.objects.search("sécurité peacebuilding"))

    assert found == [bilingual]


# Reading a query -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("peace OR justice", "peace OR justice"),
        ("women -syrian", "women -syrian"),
        ('"peace brigades" mexico', '"peace brigades" mexico'),
        ("\u201cpeace brigades\u201d", '"peace brigades"'),
        ("\u201epeace brigades\u201c", '"peace brigades"'),
        ("\u2018peace brigades\u2019", '"peace brigades"'),
        ("women\u2019s rights", "women's rights"),
        ('"unclosed phrase', '"unclosed phrase"'),
        ("OR peace OR", "peace"),
        ('"" - & | ! <> :* OR', ""),
    ],
)
def test_parse_reads_websearch_syntax(typed, read):
    assert str(search.parse(typed)) == read


def test_parse_keeps_at_most_the_term_limit_of_thousands_of_ors():
    typed = " OR ".join(f"word{n}" for n in range(5000))

    query = search.parse(typed)

    terms = [term for group in query.groups for alternative in group for term in alternative]
    assert len(terms) == search.MAX_QUERY_TERMS
    assert str(query) == " OR ".join(f"word{n}" for n in range(search.MAX_QUERY_TERMS))


def test_search_of_thousands_of_ors_costs_no_more_than_the_first_terms():
    OrganisationFactory(name="Alpha")
    many = " OR ".join(f"word{n}" for n in range(5000))
    first = " OR ".join(f"word{n}" for n in range(search.MAX_QUERY_TERMS))

    sql = str(Organisation.objects.search(many).query)

    assert sql == str(Organisation.objects.search(first).query)
    # Twelve terms, each looked for in every language's summary, description and theme names.
    assert len(sql) < 40_000


def test_search_reads_only_the_start_of_a_very_long_query():
    OrganisationFactory(name="Alpha", summary="Peace.")

    query = search.parse("peace " + "x" * 100_000 + " never")

    assert "never" not in str(query)
    assert list(Organisation.objects.search("peace " + "y" * 100_000)) == []


def test_search_of_only_stop_words_answers():
    OrganisationFactory(name="Alpha", summary="The work of the network.")

    found = Organisation.objects.search("the of and")

    assert found.count() in (0, 1)  # Bounded and answered on either database.


def test_search_or_gives_the_union():
    OrganisationFactory(name="Alpha", slug="alpha", summary="Radio.")
    OrganisationFactory(name="Beta", slug="beta", summary="Theatre.")
    OrganisationFactory(name="Gamma", slug="gamma", summary="Sport.")

    assert sorted(_slugs(Organisation.objects.search("radio OR theatre"))) == ["alpha", "beta"]
    assert _slugs(Organisation.objects.search("radio theatre")) == []


def test_search_exact_short_name_ranks_first():
    OrganisationFactory(name="Courts Centre", slug="iccx", short_name="ICCX", summary="ICC talks.")
    OrganisationFactory(name="Criminal Court", slug="icc", short_name="ICC", summary="A court.")

    assert _slugs(Organisation.objects.search("icc"))[0] == "icc"


# Misspelt words ------------------------------------------------------------------------


def test_search_corrects_a_misspelt_word_from_the_vocabulary():
    OrganisationFactory(name="Alpha", slug="alpha", summary="Defends human rights.")

    query = search.understand("human rihgts")

    assert query.corrections == {"rihgts": "rights"}
    assert str(query) == "human rights"
    assert _slugs(Organisation.objects.search("human rihgts")) == ["alpha"]
    assert _slugs(Organisation.objects.search("human rihgts", correct=False)) == []


def test_search_leaves_phrases_excluded_and_short_words_as_typed():
    OrganisationFactory(name="Alpha", summary="Defends human rights.")

    query = search.understand('"human rihgts" -rihgts hmn')

    assert query.corrections == {}


def test_vocabulary_follows_changes_to_organisations(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(name="Alpha", summary="Peace.")
    assert search.understand("zebrafsh").corrections == {}

    organisation.summary = "Studies zebrafish."
    with django_capture_on_commit_callbacks(execute=True):  # A new content generation.
        organisation.save()

    assert search.understand("zebrafsh").corrections == {"zebrafsh": "zebrafish"}


def test_vocabulary_holds_no_word_of_an_unpublished_organisation():
    OrganisationFactory(name="Alpha", summary="Peace.")
    OrganisationFactory(
        name="Secret", summary="Studies zebrafish.", status=Organisation.Status.PENDING
    )

    assert "zebrafish" not in search.vocabulary()
    assert search.understand("zebrafsh").corrections == {}


def test_rebuild_search_words_recounts_and_drops_words_no_longer_published():
    alpha = OrganisationFactory(name="Alpha", summary="Studies zebrafish.")
    OrganisationFactory(name="Beta", summary="Zebrafish and peace.")
    Organisation.objects.filter(pk=alpha.pk).update(
        status=Organisation.Status.ARCHIVED, summary="Studies axolotls."
    )
    assert SearchWord.objects.get(word="studies").organisations == 1  # As added on save.

    call_command("rebuild_search_words", stdout=io.StringIO())
    call_command("rebuild_search_words", stdout=io.StringIO())  # Idempotent.

    words = dict(SearchWord.objects.values_list("word", "organisations"))
    assert words["zebrafish"] == 1
    assert words["beta"] == 1
    assert "studies" not in words
    assert "axolotls" not in words


def test_the_vocabulary_is_read_once_per_generation_even_from_an_emptied_cache():
    from peacenet.lib.caching import page_cache

    OrganisationFactory(name="Stichting Tosangana")
    page_cache().clear()

    first = search.vocabulary()
    with CaptureQueriesContext(connection) as queries:
        again = search.vocabulary()

    assert again is first
    assert len(queries) == 0


def _composed_by_postgresql(query):
    """The oracle: ``query`` composed by PostgreSQL's own ``tsquery`` operators, every word in
    every configuration of ``QUERY_CONFIGS``, left out when one of them (or all of a pair) reads
    it as nothing (SQL and parameters)."""

    def term(term, config):
        function = "phraseto_tsquery" if term.phrase else "plainto_tsquery"
        return f"{function}('{config}'::regconfig, %s)", [term.text]

    def joined(parts, operator):
        return "(" + f" {operator} ".join(sql for sql, _ in parts) + ")", [
            param for _, params in parts for param in params
        ]

    def any_reading(t):
        ways = [[term(t, config) for config in configs] for configs in search.QUERY_CONFIGS]
        left_out = " OR ".join(
            "(" + " + ".join(f"numnode({sql})" for sql, _ in way) + ") = 0" for way in ways
        )
        readings = joined([reading for way in ways for reading in way], "||")
        return (
            f"(CASE WHEN {left_out} THEN ''::tsquery ELSE {readings[0]} END)",
            [param for way in ways for _, params in way for param in params] + readings[1],
        )

    groups = []
    for group in query.groups:
        alternatives = [joined([any_reading(t) for t in alt], "&&") for alt in group]
        groups.append(joined(alternatives, "||"))
    parts = [joined(groups, "&&")] if query.groups else []
    for excluded in query.excluded:
        for configs in search.QUERY_CONFIGS:
            for config in configs:
                sql, params = term(excluded, config)
                parts.append((f"!!{sql}", params))
    return joined(parts, "&&")


@pytest.mark.postgres
@pytest.mark.parametrize(
    "typed",
    [
        "peace",
        "women peace security",
        "vrouwen OR somali",
        "peace OR justice women OR youth",
        '"human rights" -war',
        '"the peace brigades" OR mediation -"armed conflict" -the',
        "the of and",
        "the peace",
        "-war",
        "droits humains développement",
        "سلام",
    ],
)
def test_the_query_handed_to_postgresql_is_what_its_own_operators_compose(typed, monkeypatch):
    """The search hands PostgreSQL one ``tsquery`` composed from the words it read (and kept);
    it matches what PostgreSQL's ``&&``, ``||`` and ``!!`` make of the same words (the same
    ``_logical_form``: each reading named once, not once per configuration that reads it so):
    each word in any of its readings, the words as the query joins them. (Before the readings
    no document holds are left out: test_search_lexemes.py.)"""
    monkeypatch.setattr(search, "_absent", lambda readings, using: set())
    query = search.parse(typed)
    expected_sql, params = _composed_by_postgresql(query)

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({expected_sql})::text", params)
        (expected,) = cursor.fetchone()

    assert _logical_form(search.ts_query(query)) == _logical_form(expected), (
        search.ts_query(query),
        expected,
    )


def _parsed(tsquery):
    """A ``tsquery``'s text as a tree, ``(operator, [operands])``, with what a run of the same
    ``|`` or ``&`` joins as the operands of one node. Precedence as PostgreSQL's: ``!``,
    then phrases (``<->``, ``<2>``), ``&``, ``|``."""
    tokens = re.findall(r"'(?:[^']|'')*'|<->|<\d+>|[!&|()]|\S", tsquery)
    position = 0

    def peek():
        return tokens[position] if position < len(tokens) else None

    def take():
        nonlocal position
        position += 1
        return tokens[position - 1]

    def joined(operator, operand):
        parts = [operand()]
        while peek() == operator:
            take()
            parts.append(operand())
        if len(parts) == 1:
            return parts[0]
        flat = []
        for part in parts:
            flat += part[1] if part[0] == operator else [part]
        return (operator, flat)

    def either():
        return joined("|", lambda: joined("&", phrase))

    def phrase():
        left = unary()
        while (peek() or "").startswith("<"):
            left = (take(), [left, unary()])
        return left

    def unary():
        token = take()
        if token == "!":
            return ("!", [unary()])
        if token == "(":
            inner = either()
            assert take() == ")", tsquery
            return inner
        assert token.startswith("'"), (token, tsquery)
        return ("lexeme", token)

    tree = either()
    assert position == len(tokens), tsquery
    return tree


def _logical(tree):
    """``_parsed``'s tree with the order and repetition of what ``|`` and ``&`` join left out
    (``a | a | b`` is ``b | a``, ``a & a`` is ``a``): two queries of the same logical form
    match the same rows."""
    operator, operands = tree
    if operator == "lexeme":
        return tree
    if operator in "|&":
        distinct = frozenset(_logical(operand) for operand in operands)
        return next(iter(distinct)) if len(distinct) == 1 else (operator, distinct)
    return (operator, tuple(_logical(operand) for operand in operands))


def _logical_form(tsquery):
    return _logical(_parsed(tsquery))


def _repeated(tree):
    """The operands that a ``|`` or ``&`` of ``_parsed``'s tree joins more than once."""
    operator, operands = tree
    if operator == "lexeme":
        return []
    forms = [_logical(operand) for operand in operands]
    repeated = [form for form in set(forms) if forms.count(form) > 1] if operator in "|&" else []
    return repeated + [form for operand in operands for form in _repeated(operand)]


@pytest.mark.postgres
@pytest.mark.parametrize(
    "typed", ["peace", "network schools policymakers", "human rights -war", "the of and"]
)
def test_the_query_handed_to_postgresql_reads_each_reading_once(typed):
    """Configurations and a word's equivalents often read a word alike ("peace" is 'peac' in
    English and Dutch): the query names each reading once, as the search index tests every
    item of the query against every row it considers."""
    tsquery = search.statement_values(search.understand(typed, correct=False))["tsquery"]

    assert _repeated(_parsed(tsquery)) == [], tsquery


def test_the_logical_form_of_a_query_ignores_order_and_repetition_only():
    assert _logical_form("'a' | ( 'b' | 'a' )") == _logical_form("'b' | 'a'")
    assert _logical_form("'a' & 'b' | 'c'") == _logical_form("'c' | 'b' & 'a'")
    assert _logical_form("'a' & ( 'b' | 'c' )") != _logical_form("'a' & 'b' | 'c'")
    assert _logical_form("'a' <-> 'b'") != _logical_form("'b' <-> 'a'")
    assert _logical_form("!'a' & 'b'") != _logical_form("!( 'a' & 'b' )")
    assert _logical_form("'a' | 'a'") == _logical_form("'a'")
    assert _repeated(_parsed("( 'a' | 'b' ) & ( 'b' | 'a' )")) == [_logical_form("'a' | 'b'")]
    assert _repeated(_parsed("'a' <-> 'a' | 'b'")) == []
