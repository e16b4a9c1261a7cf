import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from organisations.models import NetworkGroup, Organisation
from peacenet.demo.organisations import DEMO_MARKS

pytestmark = pytest.mark.django_db


def _snapshot():
    return sorted(
        (o.slug, o.name, o.kind, o.updated, tuple(sorted(o.themes.names())))
        for o in Organisation.objects.prefetch_related("themes")
    )


def test_load_demo_loads_the_40_organisations_and_groups():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert Organisation.objects.published().count() == 40
    assert Organisation.objects.filter(kind="diaspora").count() == 14
    assert Organisation.objects.filter(kind="government").count() == 3
    adpc = Organisation.objects.get(slug="adpc")
    assert adpc.name == "African Diaspora Policy Centre"
    assert adpc.website == "https://diaspora-centre.org"
    assert set(adpc.themes.names()) == {"Development", "Migration", "Research"}
    assert "CD" in Organisation.objects.get(slug="tosangana").countries
    gender = NetworkGroup.objects.get(slug="gender")
    assert gender.facilitator.slug == "wo-men"
    assert gender.organisations.filter(slug="tosangana").exists()
    assert NetworkGroup.objects.get(slug="radicalisation").facilitator.slug == "icct"
    assert NetworkGroup.objects.get(slug="youth").facilitator.slug == "thpp"
    with_logos = Organisation.objects.exclude(logo="")
    assert set(with_logos.values_list("slug", flat=True)) == set(DEMO_MARKS)
    assert all(organisation.logo_card for organisation in with_logos)


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    before = _snapshot()

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert _snapshot() == before
    assert NetworkGroup.objects.count() == 3


def test_load_demo_keeps_what_curators_changed():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    Organisation.objects.filter(slug="adpc").update(summary="Edited by a curator.")

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert Organisation.objects.get(slug="adpc").summary == "Edited by a curator."


def test_demo_superuser_is_refused_when_debug_is_off(settings, django_user_model):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("demo_superuser")

    assert not django_user_model.objects.exists()


def test_demo_superuser_is_created_once_with_a_printed_password(settings, django_user_model):
    settings.DEBUG = True
    from io import StringIO

    out = StringIO()
    call_command("demo_superuser", stdout=out)
    password = out.getvalue().strip().rsplit(" ", 1)[-1]
    call_command("demo_superuser", stdout=StringIO())

    admin = django_user_model.objects.get()
    assert admin.is_superuser
    assert admin.check_password(password)


def test_load_demo_appoints_the_seminar_facilitators_with_one_announcement_each():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    for slug, facilitating in (
        ("gender", "wo-men"),
        ("radicalisation", "icct"),
        ("youth", "thpp"),
    ):
        group = NetworkGroup.objects.get(slug=slug)
        facilitator = group.facilitators.get()
        assert facilitator.organisation.slug == facilitating
        assert group.posting_organisation_for(facilitator.user) == (True, group.facilitator)
        assert not facilitator.user.has_usable_password()
        announcement = group.announcements.visible().get()
        assert announcement.organisation.slug == facilitating
        assert "demo announcement" in announcement.text
