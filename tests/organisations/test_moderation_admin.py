import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from organisations.models import ClaimRequest, Membership, Organisation
from tests.factories import MembershipFactory, NetworkGroupFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:organisations_organisation_changelist")


def run_action(client, action, organisations, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in organisations], **extra},
    )


@pytest.fixture
def pending():
    organisations = [
        OrganisationFactory(status=Organisation.Status.PENDING),
        OrganisationFactory(status=Organisation.Status.PENDING),
    ]
    for organisation in organisations:
        MembershipFactory(organisation=organisation)
    return organisations


@pytest.mark.parametrize("count", [1, 30])
def test_changelist_query_count_does_not_grow(admin_client, django_assert_num_queries, count):
    for organisation in OrganisationFactory.create_batch(count):
        MembershipFactory(organisation=organisation)

    # session, user, the network-group filter's choices, two counts, the page, the countries
    # filter's choices, and two for the date hierarchy
    with django_assert_num_queries(9):
        response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    assert response.context["cl"].result_count == count


def test_changelist_shows_status_kind_city_and_last_confirmed(admin_client):
    OrganisationFactory(name="Visible Org", city="Leiden")

    body = admin_client.get(CHANGELIST).content.decode()

    for column in ("column-status", "column-kind", "column-city", "column-last_confirmed"):
        assert column in body
    assert "Leiden" in body


def test_changelist_filters_and_searches(admin_client):
    OrganisationFactory(name="Waiting One", status=Organisation.Status.PENDING)
    OrganisationFactory(name="Published One")

    queue = admin_client.get(CHANGELIST, {"status__exact": "pending"})
    found = admin_client.get(CHANGELIST, {"q": "Published"})
    by_country = admin_client.get(CHANGELIST, {"countries": "NL"})

    assert [o.name for o in queue.context["cl"].result_list] == ["Waiting One"]
    assert [o.name for o in found.context["cl"].result_list] == ["Published One"]
    assert by_country.status_code == 200


def test_publish_in_bulk_records_who_and_when_and_mails_owners(
    admin_client, admin_user, pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(admin_client, "publish_selected", pending)

    assert response.status_code == 302
    for organisation in pending:
        organisation.refresh_from_db()
        assert organisation.status == Organisation.Status.PUBLISHED
        assert organisation.moderated_by == admin_user
        assert organisation.moderated_at is not None
        assert organisation.history.first().history_user == admin_user
    assert len(mail.outbox) == 2
    assert "is now in the directory" in mail.outbox[0].subject


def test_reject_asks_for_a_reason_first(admin_client, pending):
    response = run_action(admin_client, "reject_selected", pending)

    assert response.status_code == 200
    assert "Reason (sent to the owners)" in response.content.decode()
    for organisation in pending:
        organisation.refresh_from_db()
        assert organisation.status == Organisation.Status.PENDING


def test_reject_without_a_reason_changes_nothing(admin_client, pending):
    response = run_action(admin_client, "reject_selected", pending, apply="1", reason=" ")

    assert response.status_code == 200
    assert Organisation.objects.filter(status=Organisation.Status.REJECTED).count() == 0


def test_reject_in_bulk_mails_owners_the_reason(
    admin_client, admin_user, pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(
            admin_client,
            "reject_selected",
            pending,
            apply="1",
            reason="Tell us more about your peace work.",
        )

    assert response.status_code == 302
    for organisation in pending:
        organisation.refresh_from_db()
        assert organisation.status == Organisation.Status.REJECTED
        assert organisation.status_reason == "Tell us more about your peace work."
        assert organisation.moderated_by == admin_user
    assert len(mail.outbox) == 2
    assert "Tell us more about your peace work." in mail.outbox[0].body
    owner_emails = {m.user.email for m in Membership.objects.filter(organisation__in=pending)}
    assert {message.to[0] for message in mail.outbox} == owner_emails


def test_archive_in_bulk(admin_client, admin_user):
    organisations = OrganisationFactory.create_batch(2)

    response = run_action(admin_client, "archive_selected", organisations, apply="1", reason="")

    assert response.status_code == 302
    for organisation in organisations:
        organisation.refresh_from_db()
        assert organisation.status == Organisation.Status.ARCHIVED
        assert organisation.moderated_by == admin_user


def test_change_form_prepopulates_the_slug_and_keeps_status_read_only(admin_client):
    organisation = OrganisationFactory(status=Organisation.Status.PENDING)
    url = reverse("admin:organisations_organisation_change", args=[organisation.pk])

    page = admin_client.get(url)

    body = page.content.decode()
    assert "prepopulated_fields" in body or "data-prepopulated-field" in body
    assert 'name="status"' not in body


def test_autocomplete_finds_network_groups(admin_client):
    NetworkGroupFactory(name="Gender")
    NetworkGroupFactory(name="Youth")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "organisations",
            "model_name": "organisation",
            "field_name": "network_groups",
            "term": "gen",
        },
    )

    assert [result["text"] for result in response.json()["results"]] == ["Gender"]


def test_autocomplete_finds_themes(admin_client):
    OrganisationFactory(themes=["gender equality", "youth"])

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "organisations",
            "model_name": "themeditem",
            "field_name": "tag",
            "term": "gend",
        },
    )

    assert [result["text"] for result in response.json()["results"]] == ["gender equality"]


def test_approve_claim_in_the_admin_makes_the_requester_owner(
    admin_client, user, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    claim = ClaimRequest.objects.create(
        organisation=organisation, user=user, justification="I am the director."
    )

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:organisations_claimrequest_changelist"),
            {"action": "approve_selected", ACTION_CHECKBOX_NAME: [claim.pk]},
        )

    claim.refresh_from_db()
    assert claim.status == ClaimRequest.Status.APPROVED
    assert Membership.objects.get(organisation=organisation).user == user
    assert mail.outbox[0].to == [user.email]


def test_decline_claim_in_the_admin_mails_the_note(
    admin_client, user, django_capture_on_commit_callbacks
):
    claim = ClaimRequest.objects.create(
        organisation=OrganisationFactory(), user=user, justification="Trust me."
    )

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:organisations_claimrequest_changelist"),
            {
                "action": "decline_selected",
                ACTION_CHECKBOX_NAME: [claim.pk],
                "apply": "1",
                "reason": "We could not verify your role.",
            },
        )

    claim.refresh_from_db()
    assert claim.status == ClaimRequest.Status.DECLINED
    assert not Membership.objects.exists()
    assert "We could not verify your role." in mail.outbox[0].body


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:organisations_claimrequest_changelist"),
        reverse("admin:organisations_contactmessage_changelist"),
        reverse("admin:organisations_editorinvitation_changelist"),
        reverse("admin:organisations_networkgroup_changelist"),
    ],
)
def test_other_organisation_admin_pages_render(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_changelist_lists_the_moderation_queue_first(admin_client):
    OrganisationFactory(name="Alpha Published")
    OrganisationFactory(name="Zulu Waiting", status=Organisation.Status.PENDING)

    response = admin_client.get(CHANGELIST)

    names = [o.name for o in response.context["cl"].result_list]
    assert names == ["Zulu Waiting", "Alpha Published"]


def test_change_form_chooses_countries_with_the_picker(admin_client):
    organisation = OrganisationFactory(countries=["SO"])
    url = reverse("admin:organisations_organisation_change", args=[organisation.pk])

    body = admin_client.get(url).content.decode()

    assert "data-country-picker" in body
    assert 'value="SO" id="id_countries_SO" checked' in body
    assert "js/country-picker.js" in body
    assert "css/country-picker.css" in body
    assert '<select name="countries"' not in body
