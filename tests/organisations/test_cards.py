"""A page of results read by id: ``published_cards``, and ``Found.page`` reading through it."""

import datetime

import pytest
from django.db.models.sql.compiler import SQLCompiler
from django.http import QueryDict
from django.utils import timezone

from organisations import models
from organisations.facets import find
from organisations.filters import DirectoryFilter
from organisations.models import CARD_FIELDS, Organisation, published_cards
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations():
    """Three published organisations with every card field filled in their own way, and
    two that are not published."""
    published = [
        OrganisationFactory(
            name="Dialogue Circle",
            short_name="DC",
            kind=Organisation.Kind.DIASPORA,
            city="Delft",
            language="nl",
            summary_en="Dialogue across generations.",
            summary_nl="Dialoog tussen generaties.",
            last_confirmed=datetime.date(2026, 3, 4),
        ),
        OrganisationFactory(name="Peace Desk", published_at=timezone.now()),
        OrganisationFactory(name="Youth Forum", city="", summary_fr="Forum de la jeunesse."),
    ]
    # The card's logo is made from the logo when saved; here, written as it is kept.
    Organisation.objects.filter(pk=published[0].pk).update(
        logo_card="logos/dialogue-circle-card.webp"
    )
    hidden = [
        OrganisationFactory(name="Pending One", status=Organisation.Status.PENDING),
        OrganisationFactory(name="Archived One", status=Organisation.Status.ARCHIVED),
    ]
    return published, hidden


def test_published_cards_reads_what_in_bulk_reads(organisations):
    published, hidden = organisations
    ids = [o.pk for o in [*hidden, *published]] + [max(o.pk for o in published) + 1000]

    cards = published_cards(ids)
    expected = Organisation.objects.published().for_cards().in_bulk(ids)

    assert sorted(cards) == sorted(o.pk for o in published) == sorted(expected)
    for pk, card in cards.items():
        assert type(card) is Organisation
        assert card.get_deferred_fields() == expected[pk].get_deferred_fields()
        assert (card._state.db, card._state.adding) == ("default", False)
        for name in ("pk", *CARD_FIELDS):
            assert getattr(card, name) == getattr(expected[pk], name), name
    dialogue = cards[published[0].pk]
    assert dialogue.summary_nl == "Dialoog tussen generaties."
    assert dialogue.logo_card.name == "logos/dialogue-circle-card.webp"
    assert dialogue.last_confirmed == datetime.date(2026, 3, 4)
    assert timezone.is_aware(cards[published[1].pk].published_at)


def test_published_cards_of_no_ids_is_empty(organisations):
    assert published_cards([]) == {}


def test_published_cards_compiles_its_statement_once_per_process(organisations, monkeypatch):
    published, _hidden = organisations
    models._published_cards.clear()
    compiled = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or as_sql(self, *a, **k)
    )

    first = published_cards([published[0].pk])
    second = published_cards([published[1].pk, published[2].pk])

    assert len(compiled) == 1
    assert [o.name for o in first.values()] == ["Dialogue Circle"]
    assert sorted(o.name for o in second.values()) == ["Peace Desk", "Youth Forum"]


def _page_names(filterset, offset):
    assert filterset.is_valid()
    found = find(filterset, offset=offset, limit=2)
    return [o.name for o in found.page(offset)]


@pytest.mark.parametrize("offset", [0, 2])
def test_a_page_read_by_its_cached_ids_leaves_out_what_is_no_longer_published(
    organisations, offset
):
    data = QueryDict("ordering=name")
    shown = _page_names(DirectoryFilter(data), offset)
    assert shown == ["Dialogue Circle", "Peace Desk", "Youth Forum"][offset : offset + 2]

    # The ids of the page are cached with the counts; an organisation archived since (with
    # no change to the content generation) is not shown again.
    Organisation.objects.filter(name=shown[0]).update(status=Organisation.Status.ARCHIVED)
    assert _page_names(DirectoryFilter(data), offset) == shown[1:]


def test_a_page_of_a_filter_over_other_organisations_reads_from_them(organisations):
    """A filter over a queryset of its own (not the published organisations) pages
    through that queryset's rows."""
    everyone = Organisation.objects.all()
    data = QueryDict("ordering=name")
    names = _page_names(DirectoryFilter(data, queryset=everyone), 2)
    # Read twice: the second time through the page's cached ids.
    assert _page_names(DirectoryFilter(data, queryset=everyone), 2) == names
    assert names == ["Peace Desk", "Pending One"]
