"""Deliverables: the lead adds them, the lead or the organisation answering for one marks it
done, and everyone sees what is done, due and overdue (Amsterdam days, fixed instants)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from partnerships import services
from partnerships.models import Answer, Deliverable, ProposalStatus
from peacenet.lib.errors import DomainError
from tests.clock import NOW, at
from tests.factories import OrganisationFactory
from tests.languages import in_language
from tests.partnerships.factories import ParticipantFactory, ProposalFactory, member_of

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]

TODAY = NOW.date()  # 10 June 2026
DAY = datetime.timedelta(days=1)


@pytest.fixture
def partnership():
    """An active partnership created today, led by Lead Org with Partner Org and Other Org
    accepted and Declined Org declined; a member of each."""
    lead = OrganisationFactory(name="Lead Org")
    partner = OrganisationFactory(name="Partner Org")
    other = OrganisationFactory(name="Other Org")
    declined = OrganisationFactory(name="Declined Org")
    proposal = ProposalFactory(lead_participant=lead, status=ProposalStatus.ACTIVE)
    ParticipantFactory(proposal=proposal, organisation=partner, answer=Answer.ACCEPTED)
    ParticipantFactory(proposal=proposal, organisation=other, answer=Answer.ACCEPTED)
    ParticipantFactory(proposal=proposal, organisation=declined, answer=Answer.DECLINED)
    return {
        "proposal": proposal,
        "lead": lead,
        "partner": partner,
        "other": other,
        "declined": declined,
        "lead_member": member_of(lead),
        "partner_member": member_of(partner),
        "other_member": member_of(other),
    }


def _deliverable(partnership, *, organisation="partner", due=TODAY + 30 * DAY, **fields):
    return Deliverable.objects.create(
        proposal=partnership["proposal"],
        organisation=partnership[organisation],
        title=fields.pop("title", "A training for diaspora women"),
        due=due,
        **fields,
    )


def _add(client, proposal, **data):
    return client.post(
        reverse("partnerships:add_deliverable", kwargs={"slug": proposal.slug}),
        {f"deliverable-{key}": value for key, value in data.items()},
    )


def test_lead_adds_a_deliverable_for_a_partner(client, partnership):
    client.force_login(partnership["lead_member"])

    response = _add(
        client,
        partnership["proposal"],
        title="A shared report on NAP 1325",
        organisation=partnership["partner"].pk,
        due="2026-09-30",
    )

    assert response.status_code == 302
    deliverable = Deliverable.objects.get()
    assert (deliverable.title, deliverable.organisation, deliverable.due) == (
        "A shared report on NAP 1325",
        partnership["partner"],
        datetime.date(2026, 9, 30),
    )
    assert deliverable.created_by == partnership["lead_member"]
    assert deliverable.done_at is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"due": "2026-06-09"},
            "The due date cannot be before the proposal was created (10 June 2026).",
        ),
        ({"due": "30/02/2026"}, "Enter a valid date."),
        ({"due": ""}, "This field is required."),
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 201}, "Ensure this value has at most 200 characters"),
    ],
)
def test_bad_deliverable_comes_back_with_a_clear_message_and_saves_nothing(
    client, partnership, data, message
):
    client.force_login(partnership["lead_member"])
    fields = {"title": "A report", "organisation": partnership["partner"].pk, "due": "2026-09-30"}

    response = _add(client, partnership["proposal"], **{**fields, **data})

    assert response.status_code == 400
    assert message in response.content.decode()
    if "title" not in data:  # What was typed is still there.
        assert 'value="A report"' in response.content.decode()
    assert not Deliverable.objects.exists()


@pytest.mark.parametrize("who", ["declined", "outsider"])
def test_deliverable_is_only_for_an_organisation_taking_part(client, partnership, who):
    organisation = partnership["declined"] if who == "declined" else OrganisationFactory()
    client.force_login(partnership["lead_member"])

    response = _add(
        client,
        partnership["proposal"],
        title="A report",
        organisation=organisation.pk,
        due="2026-09-30",
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Deliverable.objects.exists()
    with pytest.raises(DomainError, match="takes part in this proposal"):
        services.add_deliverable(
            proposal=partnership["proposal"],
            title="A report",
            organisation=organisation,
            due=TODAY,
            by=partnership["lead_member"],
        )


def test_only_the_lead_adds_deliverables(client, partnership):
    client.force_login(partnership["partner_member"])

    response = _add(
        client,
        partnership["proposal"],
        title="A report",
        organisation=partnership["partner"].pk,
        due="2026-09-30",
    )

    assert response.status_code == 403
    assert not Deliverable.objects.exists()


def test_a_finished_partnership_takes_no_new_deliverables(partnership):
    proposal = partnership["proposal"]
    proposal.status = ProposalStatus.COMPLETED
    proposal.save()

    with pytest.raises(DomainError, match="finished proposal"):
        services.add_deliverable(
            proposal=proposal,
            title="Too late",
            organisation=partnership["partner"],
            due=TODAY,
            by=partnership["lead_member"],
        )
    assert not Deliverable.objects.exists()


def _tick(client, proposal, deliverable, note=""):
    return client.post(
        reverse("partnerships:deliverable_done", kwargs={"slug": proposal.slug}),
        {"deliverable": deliverable.pk, "note": note},
    )


@pytest.mark.parametrize("who", ["partner_member", "lead_member"])
def test_lead_or_responsible_partner_marks_a_deliverable_done_with_a_note(
    client, partnership, who
):
    deliverable = _deliverable(partnership)
    client.force_login(partnership[who])

    response = _tick(client, partnership["proposal"], deliverable, note="Held on 5 June.")

    assert response.status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.done_at == NOW
    assert deliverable.done_by == partnership[who]
    assert deliverable.done_note == "Held on 5 June."


def test_another_partner_cannot_mark_it_done(client, partnership):
    deliverable = _deliverable(partnership)
    client.force_login(partnership["other_member"])

    response = _tick(client, partnership["proposal"], deliverable)

    assert response.status_code == 403
    deliverable.refresh_from_db()
    assert deliverable.done_at is None


def test_a_deliverable_is_marked_done_once(client, partnership):
    deliverable = _deliverable(partnership, done_at=at("2026-06-01 10:00"), done_note="First.")
    client.force_login(partnership["lead_member"])

    response = _tick(client, partnership["proposal"], deliverable, note="Second.")

    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["“A training for diaspora women” was already marked done on 1 June 2026."]
    deliverable.refresh_from_db()
    assert deliverable.done_note == "First."


def test_a_deliverable_of_another_proposal_cannot_be_ticked_through_this_one(client, partnership):
    elsewhere = Deliverable.objects.create(
        proposal=ProposalFactory(),
        organisation=partnership["partner"],
        title="Elsewhere",
        due=TODAY,
    )
    client.force_login(partnership["partner_member"])

    response = _tick(client, partnership["proposal"], elsewhere)

    assert response.status_code == 302
    elsewhere.refresh_from_db()
    assert elsewhere.done_at is None


def test_a_too_long_note_is_refused_and_nothing_changes(client, partnership):
    deliverable = _deliverable(partnership)
    client.force_login(partnership["partner_member"])

    _tick(client, partnership["proposal"], deliverable, note="x" * 1001)

    deliverable.refresh_from_db()
    assert deliverable.done_at is None


def test_a_withdrawn_partnership_keeps_its_deliverables_as_they_were(partnership):
    deliverable = _deliverable(partnership)
    services.withdraw_proposal(proposal=partnership["proposal"], by=partnership["lead_member"])

    with pytest.raises(DomainError, match="withdrawn"):
        services.mark_deliverable_done(deliverable=deliverable, by=partnership["lead_member"])
    with pytest.raises(PermissionDenied):
        services.mark_deliverable_done(deliverable=deliverable, by=partnership["other_member"])


def test_state_is_done_due_or_overdue_by_the_amsterdam_date(partnership):
    _deliverable(partnership, title="done", due=TODAY - DAY, done_at=NOW)
    _deliverable(partnership, title="due today", due=TODAY)
    _deliverable(partnership, title="overdue", due=TODAY - DAY)

    def states():
        return dict(Deliverable.objects.with_state().values_list("title", "state"))

    assert states() == {"done": "done", "due today": "due", "overdue": "overdue"}
    # Half past midnight in Amsterdam is still the day before in UTC: today's is overdue.
    with time_machine.travel(at("2026-06-11 00:30"), tick=False):
        assert states()["due today"] == "overdue"
        assert list(Deliverable.objects.overdue().values_list("title", flat=True)) == [
            "overdue",
            "due today",
        ]


def test_page_shows_what_is_done_due_and_overdue(client, partnership):
    _deliverable(partnership, title="Map of diaspora groups", due=TODAY - DAY, done_at=NOW)
    _deliverable(partnership, title="Training in Kinshasa", due=TODAY + DAY)
    _deliverable(partnership, organisation="lead", title="Shadow report", due=TODAY - 2 * DAY)

    html = client.get(partnership["proposal"].get_absolute_url()).content.decode()

    assert "1 done, 1 due, 1 overdue" in html
    assert 'class="badge badge-deliverable-done">Done' in html
    assert 'class="badge badge-deliverable-overdue">Overdue' in html
    assert 'class="badge badge-deliverable-due">Due' in html
    assert "due 8 June 2026" in html
    assert "Mark done" not in html  # A visitor ticks nothing.


def test_page_offers_ticking_only_what_the_user_may_tick(client, partnership):
    _deliverable(partnership, title="Partner report")
    _deliverable(partnership, organisation="other", title="Other report")
    client.force_login(partnership["partner_member"])

    html = client.get(partnership["proposal"].get_absolute_url()).content.decode()

    assert "Mark “Partner report” done" in html
    assert "Mark “Other report” done" not in html
    assert "Add a deliverable" not in html  # Only the lead adds.


def test_page_in_dutch_names_deliverables_toezeggingen(client, partnership):
    _deliverable(partnership, due=TODAY - DAY)

    html = client.get(
        in_language(partnership["proposal"].get_absolute_url(), "nl")
    ).content.decode()

    assert "Toezeggingen" in html
    assert "Te laat" in html
