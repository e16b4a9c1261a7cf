"""Staff typing a slug in the admin cannot take one that shadows a fixed address."""

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict

from tests.factories import OrganisationFactory
from tests.partnerships.factories import ProposalFactory

pytestmark = pytest.mark.django_db

RESERVED = ["This slug is reserved; please choose another."]


def _slug_errors(rf, admin_user, instance, slug):
    request = rf.get("/admin/")
    request.user = admin_user
    form_class = admin.site._registry[type(instance)].get_form(request, instance)
    form = form_class({**model_to_dict(instance), "slug": slug}, instance=instance)
    form.is_valid()
    return form.errors.get("slug")


@pytest.mark.parametrize(
    ("make", "reserved", "free"),
    [
        (OrganisationFactory, ["register", "export"], "register-2"),
        (ProposalFactory, ["propose", "feed"], "propose-2"),
    ],
)
def test_admin_refuses_a_slug_that_shadows_a_fixed_address(rf, admin_user, make, reserved, free):
    instance = make()

    for slug in reserved:
        assert _slug_errors(rf, admin_user, instance, slug) == RESERVED
    assert _slug_errors(rf, admin_user, instance, free) is None
