"""Reading the signed-in user on each request (``peacenet.backends``), through a query
compiled once per process (``peacenet.lib.compiled``)."""

import pytest
from django.db.models import Count
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse

from alerts.models import Follow
from organisations.models import Organisation
from peacenet.backends import AuthenticationBackend, signed_in_user
from peacenet.lib.compiled import CompiledQuery
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def compilations(monkeypatch):
    """How many statements the ORM compiles from here on."""
    compiled = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or as_sql(self, *a, **k)
    )
    return compiled


def test_the_user_is_read_with_what_the_navigation_asks():
    member, follower, neither = UserFactory(), UserFactory(), UserFactory()
    MembershipFactory(user=member)
    Follow.objects.create(
        user=follower, kind=Follow.Kind.ORGANISATION, organisation=OrganisationFactory()
    )
    backend = AuthenticationBackend()

    read = {user.pk: backend.get_user(user.pk) for user in (member, follower, neither)}

    assert read[member.pk].email == member.email
    assert (read[member.pk].acts_for_an_organisation, read[member.pk].follows_anything) == (
        True,
        False,
    )
    assert (read[follower.pk].acts_for_an_organisation, read[follower.pk].follows_anything) == (
        False,
        True,
    )
    assert (read[neither.pk].acts_for_an_organisation, read[neither.pk].follows_anything) == (
        False,
        False,
    )
    user = read[neither.pk]
    assert user.last_login == neither.last_login
    assert user.date_joined == neither.date_joined
    assert user.password == neither.password
    assert (user._state.adding, user._state.db, user.get_deferred_fields()) == (
        False,
        "default",
        set(),
    )


def test_no_user_for_an_inactive_account_an_unknown_id_or_no_id_at_all():
    inactive = UserFactory(is_active=False)
    backend = AuthenticationBackend()

    assert backend.get_user(inactive.pk) is None
    assert backend.get_user(inactive.pk + 1000) is None
    assert backend.get_user("not a number") is None


def test_the_users_query_is_compiled_once_per_process(compilations):
    first, second = UserFactory(), UserFactory()
    signed_in_user.clear()
    compilations.clear()
    backend = AuthenticationBackend()

    assert backend.get_user(first.pk) == first
    compiled = len(compilations)  # The query, and each subquery within it.
    assert compiled >= 1
    assert backend.get_user(second.pk) == second
    assert backend.get_user(first.pk) == first
    assert len(compilations) == compiled


def test_a_signed_in_member_sees_their_own_navigation(client):
    member = UserFactory()
    MembershipFactory(user=member, organisation=OrganisationFactory(name="Peace Desk"))
    client.force_login(member)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response.wsgi_request.user == member
    assert response.wsgi_request.user.acts_for_an_organisation is True


def test_a_compiled_query_reads_what_the_queryset_reads(compilations):
    OrganisationFactory(name="Alpha", founded=1999)
    OrganisationFactory(name="Beta", founded=2004, status=Organisation.Status.PENDING)
    by_kind = CompiledQuery(
        lambda value, vendor: (
            Organisation.objects.annotate(n=Count("network_groups"))
            .filter(kind=value())
            .order_by("name")
        )
    )
    compilations.clear()

    found = by_kind(Organisation.Kind.NGO)
    compiled = len(compilations)
    again = by_kind(Organisation.Kind.DIASPORA)
    assert len(compilations) == compiled

    expected = list(
        Organisation.objects.annotate(n=Count("network_groups"))
        .filter(kind=Organisation.Kind.NGO)
        .order_by("name")
    )
    assert [(o.name, o.founded, o.status, o.n, o.created) for o in found] == [
        (o.name, o.founded, o.status, o.n, o.created) for o in expected
    ]
    assert again == []


def test_a_compiled_query_refuses_related_models():
    with_group = CompiledQuery(
        lambda value, vendor: Organisation.objects.select_related("moderated_by").filter(
            pk=value()
        )
    )
    with pytest.raises(ValueError, match="without related ones"):
        with_group(1)
