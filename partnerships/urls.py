from django.urls import path

from .views import browse, network, proposal, propose, workflow

app_name = "partnerships"

urlpatterns = [
    path("", browse.proposal_list, name="list"),
    path("propose/", propose.propose, name="propose"),
    path("propose/partners/", propose.partner_search, name="partner_search"),
    path("feed/", browse.open_calls_feed, name="feed"),
    path("network/", network.network_view, name="network"),
    path("<slug:slug>/", proposal.detail, name="detail"),
    path("<slug:slug>/card.png", proposal.card, name="card"),
    path("<slug:slug>/edit/", proposal.edit, name="edit"),
    path("<slug:slug>/submit/", workflow.submit, name="submit"),
    path("<slug:slug>/start/", workflow.start, name="start"),
    path("<slug:slug>/answer/", workflow.answer, name="answer"),
    path("<slug:slug>/interest/", workflow.interest, name="interest"),
    path("<slug:slug>/interest/decide/", workflow.decide, name="decide"),
    path("<slug:slug>/invite/", workflow.invite, name="invite"),
    path("<slug:slug>/withdraw/", workflow.withdraw, name="withdraw"),
    path("<slug:slug>/complete/", workflow.complete, name="complete"),
    path("<slug:slug>/progress/", workflow.progress, name="progress"),
    path("<slug:slug>/deliverables/", workflow.add_deliverable, name="add_deliverable"),
    path("<slug:slug>/deliverables/done/", workflow.deliverable_done, name="deliverable_done"),
    path("<slug:slug>/feed/", browse.proposal_feed, name="proposal_feed"),
]
