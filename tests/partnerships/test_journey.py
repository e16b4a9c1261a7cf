"""The whole journey through the test client: A proposes to B and C, B accepts, C declines,
the partnership becomes active and shows on both profiles with its full history, and D's
interest in the open call is accepted by the lead."""

import pytest
from django.core import mail
from django.urls import reverse

from partnerships.models import Answer, PartnershipProposal, ProposalStatus
from tests.factories import OrganisationFactory
from tests.partnerships.factories import member_of

pytestmark = pytest.mark.django_db


def _signed_in(client, user):
    client.logout()
    client.force_login(user)
    return client


def test_a_proposes_b_accepts_c_declines_d_joins_the_open_call(
    client, django_capture_on_commit_callbacks
):
    a = OrganisationFactory(name="Alpha Diaspora", kind="diaspora")
    b = OrganisationFactory(name="Bravo NGO", kind="ngo")
    c = OrganisationFactory(name="Charlie Ministry", kind="government")
    d = OrganisationFactory(name="Delta Institute", kind="knowledge_institute")
    alice, bob, carol, dan = (
        member_of(a),
        member_of(b, email="bob@example.org"),
        member_of(c, email="carol@example.org"),
        member_of(d),
    )

    # A proposes to B and C, as an open call.
    with django_capture_on_commit_callbacks(execute=True):
        response = _signed_in(client, alice).post(
            reverse("partnerships:propose"),
            {
                "title": "Diaspora voices in peace talks",
                "lead": a.pk,
                "summary": "Bring diaspora knowledge to peace processes.",
                "description": "Three dialogues a year between diaspora, NGOs and government.",
                "themes": "Mediation",
                "partners": [b.pk, c.pk],
                "is_open_call": "on",
                "action": "submit",
            },
        )
    proposal = PartnershipProposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert sorted(address for m in mail.outbox for address in m.to) == [
        "bob@example.org",
        "carol@example.org",
    ]

    # B accepts, C declines.
    detail = proposal.get_absolute_url()
    answer_url = reverse("partnerships:answer", kwargs={"slug": proposal.slug})
    b_invitation = proposal.participants.get(organisation=b)
    c_invitation = proposal.participants.get(organisation=c)
    page = _signed_in(client, bob).get(detail).content.decode()
    assert "Invitation for Bravo NGO" in page
    _signed_in(client, bob).post(
        answer_url, {"participant": b_invitation.pk, "decision": "accept", "message": "Yes!"}
    )
    _signed_in(client, carol).post(
        answer_url, {"participant": c_invitation.pk, "decision": "decline"}
    )

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACTIVE

    # Both profiles show it.
    for organisation in (a, b):
        profile = client.get(organisation.get_absolute_url()).content.decode()
        assert "Diaspora voices in peace talks" in profile
    assert (
        "Diaspora voices in peace talks" not in client.get(c.get_absolute_url()).content.decode()
    )

    # D expresses interest in the open call; the lead accepts it.
    _signed_in(client, dan).post(
        reverse("partnerships:interest", kwargs={"slug": proposal.slug}),
        {"organisation": d.pk, "message": "We bring research."},
    )
    d_interest = proposal.participants.get(organisation=d)
    assert d_interest.answer == Answer.INTERESTED
    page = _signed_in(client, alice).get(detail).content.decode()
    assert "Organisations asking to join" in page
    _signed_in(client, alice).post(
        reverse("partnerships:decide", kwargs={"slug": proposal.slug}),
        {"participant": d_interest.pk, "decision": "accept"},
    )
    d_interest.refresh_from_db()
    assert d_interest.answer == Answer.ACCEPTED

    # The history shows every step, in order.
    client.logout()
    response = client.get(detail)
    steps = [
        (change.organisation.name if change.organisation else None, change.to_status)
        for change in response.context["history"]
    ]
    assert steps == [
        (None, "draft"),
        (None, "open"),
        ("Bravo NGO", "accepted"),
        (None, "forming"),
        ("Charlie Ministry", "declined"),
        (None, "active"),
        ("Delta Institute", "interested"),
        ("Delta Institute", "accepted"),
    ]
    html = response.content.decode()
    history = html[html.index('id="history-heading"') :]
    arrow = '<span class="directional">→</span>'  # turned round in Arabic
    for before, after in [
        ("Invited", "Accepted"),
        ("Forming", "Active"),
        ("Interested", "Accepted"),
    ]:
        assert f"{before} {arrow} {after}" in history
