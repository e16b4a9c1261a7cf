"""A renamed organisation keeps a stable address: its old slug redirects (301) to the new one,
for the profile and every page below it."""

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils.text import slugify

from organisations.models import FormerSlug, Organisation
from organisations.services import registration
from tests.accounts import client_as
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def rename(client, organisation, name):
    data = {
        "name": name,
        "kind": organisation.kind,
        "summary": organisation.summary,
        "email_visibility": organisation.email_visibility,
        "phone_visibility": organisation.phone_visibility,
        "address_visibility": organisation.address_visibility,
        "city": organisation.city,
    }
    return client.post(reverse("organisations:edit", kwargs={"slug": organisation.slug}), data)


def test_a_renamed_organisation_gets_a_new_address_and_the_old_one_redirects(client):
    organisation = OrganisationFactory(
        name="Hague Peace Circle", slug=slugify("Hague Peace Circle")
    )
    owner = client_as(client, "owner", organisation)

    response = rename(owner, organisation, "Hague Peace Network")

    organisation.refresh_from_db()
    assert organisation.slug == "hague-peace-network"
    assert response["Location"] == "/organisations/hague-peace-network/"
    assert list(organisation.former_slugs.values_list("slug", flat=True)) == ["hague-peace-circle"]
    client.logout()
    old = client.get("/organisations/hague-peace-circle/")
    assert (old.status_code, old["Location"]) == (301, "/organisations/hague-peace-network/")
    assert client.get(old["Location"]).status_code == 200


def test_old_links_to_pages_below_the_profile_keep_working_with_their_query(client, user):
    organisation = OrganisationFactory(name="New Name", slug="new-name")
    FormerSlug.objects.create(organisation=organisation, slug="old-name")
    client.force_login(user)

    contact = client.get("/organisations/old-name/contact/?from=mail")
    claim = client.get("/organisations/old-name/claim/")

    assert contact.status_code == 301
    assert contact["Location"] == "/organisations/new-name/contact/?from=mail"
    assert (claim.status_code, claim["Location"]) == (301, "/organisations/new-name/claim/")


def test_renamed_twice_every_old_address_leads_to_the_newest(client):
    organisation = OrganisationFactory(name="First Name", slug=slugify("First Name"))
    owner = client_as(client, "owner", organisation)
    rename(owner, organisation, "Second Name")
    organisation.refresh_from_db()
    rename(owner, organisation, "Third Name")

    for old in ("first-name", "second-name"):
        response = client.get(f"/organisations/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/organisations/third-name/")


def test_renamed_back_the_address_is_live_again_and_no_longer_redirects(client):
    organisation = OrganisationFactory(name="Alpha Peace", slug=slugify("Alpha Peace"))
    owner = client_as(client, "owner", organisation)
    rename(owner, organisation, "Beta Peace")
    organisation.refresh_from_db()

    rename(owner, organisation, "Alpha Peace")

    organisation.refresh_from_db()
    assert organisation.slug == "alpha-peace"
    assert list(organisation.former_slugs.values_list("slug", flat=True)) == ["beta-peace"]
    assert client.get("/organisations/alpha-peace/").status_code == 200
    assert client.get("/organisations/beta-peace/")["Location"] == "/organisations/alpha-peace/"


def test_a_change_of_case_keeps_the_address(client):
    organisation = OrganisationFactory(name="Peace lab", slug=slugify("Peace lab"))
    slug = organisation.slug
    owner = client_as(client, "owner", organisation)

    rename(owner, organisation, "Peace Lab")

    organisation.refresh_from_db()
    assert (organisation.name, organisation.slug) == ("Peace Lab", slug)
    assert not FormerSlug.objects.exists()


def test_the_old_address_of_an_unpublished_organisation_gives_nothing_away(client, user):
    organisation = OrganisationFactory(
        name="Hidden", slug="hidden-now", status=Organisation.Status.PENDING
    )
    FormerSlug.objects.create(organisation=organisation, slug="hidden-before")

    anonymous = client.get("/organisations/hidden-before/")
    member = client_as(client, "owner", organisation).get("/organisations/hidden-before/")

    assert anonymous.status_code == 404
    assert "hidden-now" not in anonymous.content.decode()
    assert (member.status_code, member["Location"]) == (301, "/organisations/hidden-now/")


def test_unknown_addresses_and_posts_to_old_ones_stay_404(client, user):
    organisation = OrganisationFactory(slug="current")
    FormerSlug.objects.create(organisation=organisation, slug="previous")
    client.force_login(user)

    assert client.get("/organisations/never-existed/").status_code == 404
    assert client.post("/organisations/previous/contact/", {"subject": "x"}).status_code == 404


def test_staff_changing_the_slug_in_the_admin_keeps_the_old_address(rf, admin_user, client):
    organisation = OrganisationFactory(slug="before-admin")
    request = rf.post("/admin/")
    request.user = admin_user
    model_admin = admin.site._registry[Organisation]
    form_class = model_admin.get_form(request, organisation, change=True)
    form = form_class(
        {**model_to_dict(organisation), "slug": "after-admin"}, instance=organisation
    )
    assert form.is_valid(), form.errors

    model_admin.save_model(request, form.save(commit=False), form, change=True)

    assert client.get("/organisations/before-admin/")["Location"] == "/organisations/after-admin/"


def test_a_new_organisation_never_takes_an_address_that_still_leads_to_a_renamed_one(client, user):
    renamed = OrganisationFactory(name="Hague Peace Circle", slug="hague-peace-circle")
    rename(client_as(client, "owner", renamed), renamed, "Hague Peace Network")
    client.logout()
    newcomer = Organisation(name="Hague Peace Circle", kind=renamed.kind, summary="New.")

    registration.register_organisation(organisation=newcomer, relations={}, owner=user)

    newcomer.refresh_from_db()
    assert newcomer.slug == "hague-peace-circle-2"
    old = client.get("/organisations/hague-peace-circle/")
    assert (old.status_code, old["Location"]) == (301, "/organisations/hague-peace-network/")


def test_renaming_onto_another_organisations_old_address_gets_a_fresh_one(client):
    renamed = OrganisationFactory(name="Delta Peace", slug="delta-peace")
    FormerSlug.objects.create(organisation=renamed, slug="gamma-peace")
    other = OrganisationFactory(name="Epsilon Peace", slug="epsilon-peace")

    rename(client_as(client, "owner", other), other, "Gamma Peace")

    other.refresh_from_db()
    assert other.slug == "gamma-peace-2"
    assert FormerSlug.objects.get(slug="gamma-peace").organisation == renamed
