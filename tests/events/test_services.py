import datetime
import threading

import pytest
from django.core import mail
from django.db import connection

from events import services
from events.models import Registration
from peacenet.lib.errors import DomainError
from tests.clock import NOW
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import UserFactory


@pytest.mark.django_db
def test_register_gives_a_place_while_there_is_room():
    event = EventFactory(capacity=2)
    user = UserFactory()

    registration = services.register(event=event, user=user)

    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.user == user


@pytest.mark.django_db
def test_register_last_place_then_next_person_waits():
    event = EventFactory(capacity=2)
    RegistrationFactory(event=event)
    last, next_in_line = UserFactory(), UserFactory()

    took_last = services.register(event=event, user=last)
    waits = services.register(event=event, user=next_in_line)

    assert took_last.status == Registration.Status.CONFIRMED
    assert waits.status == Registration.Status.WAITING
    assert event.registrations.confirmed().count() == 2


@pytest.mark.django_db
def test_register_twice_keeps_one_registration():
    event = EventFactory(capacity=5)
    user = UserFactory()

    first = services.register(event=event, user=user)
    again = services.register(event=event, user=user)

    assert again.pk == first.pk
    assert Registration.objects.filter(event=event, user=user).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "event_kwargs",
    [
        pytest.param({"capacity": 5, "past": True}, id="past"),
        pytest.param({"capacity": 5, "is_published": False}, id="unpublished"),
        pytest.param({"capacity": None}, id="no-capacity"),
    ],
)
def test_register_is_refused_when_event_takes_no_registrations(event_kwargs):
    event = EventFactory(**event_kwargs)

    with pytest.raises(DomainError):
        services.register(event=event, user=UserFactory())

    assert not Registration.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_cancel_promotes_first_in_line_and_mails_them():
    event = EventFactory(capacity=1)
    leaving = RegistrationFactory(event=event).user
    first = services.register(event=event, user=UserFactory(email="first@example.org"))
    second = services.register(event=event, user=UserFactory())

    promoted = services.cancel_registration(event=event, user=leaving)

    assert promoted == first
    statuses = dict(Registration.objects.values_list("user__email", "status"))
    assert statuses[leaving.email] == Registration.Status.CANCELLED
    assert statuses["first@example.org"] == Registration.Status.CONFIRMED
    second.refresh_from_db()
    assert second.status == Registration.Status.WAITING
    assert [message.to for message in mail.outbox] == [["first@example.org"]]
    assert event.title in mail.outbox[0].subject


@pytest.mark.django_db
def test_cancel_from_waiting_list_promotes_nobody():
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = services.register(event=event, user=UserFactory())

    promoted = services.cancel_registration(event=event, user=waiting.user)

    assert promoted is None
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CANCELLED
    assert event.registrations.confirmed().count() == 1


@pytest.mark.django_db
def test_register_after_cancel_goes_to_the_end_of_the_queue(time_machine):
    time_machine.move_to(NOW, tick=False)
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    returning = services.register(event=event, user=UserFactory())
    time_machine.shift(datetime.timedelta(minutes=1))
    other = services.register(event=event, user=UserFactory())
    time_machine.shift(datetime.timedelta(minutes=1))
    services.cancel_registration(event=event, user=returning.user)

    again = services.register(event=event, user=returning.user)

    assert again.pk == returning.pk
    assert again.status == Registration.Status.WAITING
    assert list(event.registrations.waiting()) == [other, again]


@pytest.mark.django_db
def test_cancel_without_registration_is_refused():
    event = EventFactory(capacity=1)

    with pytest.raises(DomainError):
        services.cancel_registration(event=event, user=UserFactory())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_register_never_exceeds_capacity_under_simultaneous_sign_ups():
    capacity, people = 3, 12
    event = EventFactory(capacity=capacity)
    users = UserFactory.create_batch(people)
    barrier = threading.Barrier(people)
    errors = []

    def sign_up(user):
        try:
            barrier.wait()
            services.register(event=event, user=user)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert event.registrations.confirmed().count() == capacity
    assert event.registrations.waiting().count() == people - capacity


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cancel_and_sign_ups_at_once_keep_the_count_at_capacity():
    capacity = 2
    event = EventFactory(capacity=capacity)
    leaving = [RegistrationFactory(event=event).user for _ in range(capacity)]
    newcomers = UserFactory.create_batch(6)
    barrier = threading.Barrier(len(leaving) + len(newcomers))
    errors = []

    def act(user, leave):
        try:
            barrier.wait()
            if leave:
                services.cancel_registration(event=event, user=user)
            else:
                services.register(event=event, user=user)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(user, True)) for user in leaving] + [
        threading.Thread(target=act, args=(user, False)) for user in newcomers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert event.registrations.confirmed().count() == capacity
    assert event.registrations.waiting().count() == len(newcomers) - capacity
