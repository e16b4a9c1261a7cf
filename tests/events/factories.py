import datetime

import factory
from django.utils import timezone

from events.models import CoOrganiser, Event, FollowUp, Registration, Session, Speaker
from tests.factories import OrganisationFactory, UserFactory


def afternoon(days):
    """Two in the afternoon, local time, ``days`` from today: the same day and hours whatever
    the time of day a test runs (never across midnight, never in a clock change's hour)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    local = datetime.datetime.combine(
        day, datetime.time(14), tzinfo=timezone.get_current_timezone()
    )
    return local.astimezone(datetime.UTC)  # As the database gives it back.


class EventFactory(factory.django.DjangoModelFactory):
    """A published seminar four weeks from today, 14:00 to 16:00, without registration."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Peace Seminar {n}")
    slug = factory.Sequence(lambda n: f"peace-seminar-{n}")
    kind = Event.Kind.SEMINAR
    summary = "Organisations meet to talk about working together."
    start = factory.LazyFunction(lambda: afternoon(28))
    end = factory.LazyAttribute(lambda event: event.start + datetime.timedelta(hours=2))
    venue = "Humanity House"
    city = "The Hague"
    organiser = factory.SubFactory(OrganisationFactory)
    is_published = True

    class Params:
        past = factory.Trait(start=factory.LazyFunction(lambda: afternoon(-60)))

    @factory.post_generation
    def network_groups(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.network_groups.set(extracted)


class CoOrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoOrganiser

    event = factory.SubFactory(EventFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    kind = Session.Kind.TALK
    title = factory.Sequence(lambda n: f"Session {n}")
    position = factory.Sequence(lambda n: n)


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    session = factory.SubFactory(SessionFactory)
    name = factory.Faker("name")
    organisation = factory.SubFactory(OrganisationFactory)
    topic = "Working together for peace"


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Next step {n}")
    owner = factory.SubFactory(OrganisationFactory)
    status = FollowUp.Status.PROPOSED


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory, capacity=10)
    user = factory.SubFactory(UserFactory)
    status = Registration.Status.CONFIRMED
