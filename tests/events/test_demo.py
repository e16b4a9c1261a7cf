import datetime
import importlib
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import timezone

from events.models import Event, FollowUp, Session, Speaker
from organisations.models import Organisation
from peacenet.demo import events as demo_events
from tests.factories import NetworkGroupFactory

pytestmark = pytest.mark.django_db


def _load():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_load_demo_records_the_2016_seminar():
    _load()

    seminar = Event.objects.get(slug=demo_events.SEMINAR_SLUG)
    assert seminar.title == "Partnerships for Peace: Engaging with Diaspora"
    assert timezone.localtime(seminar.start).date().isoformat() == "2016-09-23"
    assert seminar.organiser.slug == "adpc"
    co_organiser = seminar.co_organisations.get()
    assert co_organiser.organisation.slug == "gemeente-den-haag"
    assert "AHRN" in co_organiser.note
    assert not seminar.is_demo
    breakouts = {
        session.network_group.slug: session.facilitator.slug
        for session in seminar.sessions.filter(kind=Session.Kind.BREAKOUT)
    }
    assert breakouts == {"gender": "wo-men", "radicalisation": "icct", "youth": "thpp"}
    speakers = {
        speaker.name: speaker.organisation.slug
        for session in seminar.sessions.all()
        for speaker in session.speakers.all()
    }
    assert speakers == {
        "Awil Mohamoud": "adpc",
        "Juliënne Doppenberg-Difukidi": "tosangana",
        "Olivier Muhizi": "ahrn",
    }
    assert list(seminar.follow_ups.values_list("title", flat=True)) == [
        demo_events.FOLLOW_UP_EXCHANGE,
        demo_events.FOLLOW_UP_PARTNERSHIPS,
    ]
    assert "join forces" in seminar.outcome


def test_seminar_page_shows_the_trail_from_follow_up_to_demo_partnership(client):
    _load()
    seminar = Event.objects.get(slug=demo_events.SEMINAR_SLUG)
    follow_up = seminar.follow_ups.get(title=demo_events.FOLLOW_UP_PARTNERSHIPS)

    response = client.get(seminar.get_absolute_url())

    proposal = follow_up.proposals.get()
    assert f'<a href="{proposal.get_absolute_url()}">{proposal.title}</a>' in response.text


def test_load_demo_adds_upcoming_meetings_marked_as_demo():
    _load()

    upcoming = Event.objects.published().upcoming()
    assert upcoming.count() == 2
    assert all(event.is_demo and event.title.startswith("Demo:") for event in upcoming)
    assert all(event.takes_registrations for event in upcoming)


def test_load_demo_events_twice_changes_nothing():
    _load()
    before = sorted(Event.objects.values_list("slug", "title", "start", "updated"))
    follow_ups = FollowUp.objects.count()

    _load()

    assert sorted(Event.objects.values_list("slug", "title", "start", "updated")) == before
    assert FollowUp.objects.count() == follow_ups
    assert Session.objects.count() == 6


def test_a_demo_meeting_that_has_passed_moves_to_its_next_date_when_loaded_again():
    groups = {slug: NetworkGroupFactory(slug=slug) for slug in ["gender", "youth"]}
    first = demo_events.load_demo_meetings(groups, today=datetime.date(2026, 11, 28))
    edited = first[1]
    edited.title = "Demo: renamed by a curator"
    edited.save()

    later = datetime.date(2026, 11, 28) + datetime.timedelta(weeks=6)
    demo_events.load_demo_meetings(groups, today=later)

    moved = [Event.objects.get(pk=event.pk) for event in first]

    past_first, still_to_come = first[0], first[1]
    assert past_first.end.date() < later  # It had passed by then,
    assert moved[0].start.date() > later  # and now lies ahead again.
    assert moved[0].start.weekday() == 3
    assert moved[1].start == still_to_come.start  # Still to come: left as it was,
    assert moved[1].title == "Demo: renamed by a curator"  # edits and all.


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-11-28", "2026-12-03"),
        ("2026-12-03", "2026-12-10"),
        ("2026-12-17", "2027-01-07"),
        ("2026-12-20", "2027-01-07"),
        ("2027-01-02", "2027-01-07"),
        ("2027-01-07", "2027-01-14"),
    ],
)
def test_demo_meeting_day_is_a_thursday_outside_the_christmas_break(today, expected):
    day = demo_events.meeting_day(datetime.date.fromisoformat(today))

    assert day.isoformat() == expected
    assert day.weekday() == 3


def test_tosangana_founder_is_spelled_juliënne_everywhere_in_the_demo(client):
    """The seminar report spells her name Juliënne; the organisation's description, the
    speakers and the pages say the same, and no demo source spells it otherwise."""
    _load()
    tosangana = Organisation.objects.get(slug="tosangana")
    speaker = Speaker.objects.get(organisation=tosangana)

    assert "Juliënne Doppenberg-Difukidi" in tosangana.description
    assert speaker.name == "Juliënne Doppenberg-Difukidi"
    assert "Juliënne Doppenberg-Difukidi" in client.get(tosangana.get_absolute_url()).text
    seminar = Event.objects.get(slug=demo_events.SEMINAR_SLUG)
    assert "Juliënne Doppenberg-Difukidi" in client.get(seminar.get_absolute_url()).text
    sources = Path(demo_events.__file__).parent
    misspelt = [
        path.name
        for path in sources.iterdir()
        if path.suffix in {".csv", ".py"} and "Juliènne" in path.read_text(encoding="utf-8")
    ]
    assert misspelt == []


def test_sites_loaded_before_get_her_name_respelled():
    """The migration corrects sites whose demo data still had "Juliènne"."""
    respell = importlib.import_module("events.migrations.0005_spell_julienne_as_she_does").respell
    _load()
    tosangana = Organisation.objects.get(slug="tosangana")
    Organisation.objects.filter(pk=tosangana.pk).update(
        description=tosangana.description.replace("Juliënne", "Juliènne")
    )
    Speaker.objects.filter(organisation=tosangana).update(name="Juliènne Doppenberg-Difukidi")

    respell(django_apps, None)

    tosangana.refresh_from_db()
    assert "Juliënne Doppenberg-Difukidi" in tosangana.description
    assert "Juliènne" not in tosangana.description
    assert Speaker.objects.get(organisation=tosangana).name == "Juliënne Doppenberg-Difukidi"
