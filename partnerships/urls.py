from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("propose/", views.propose, name="propose"),
    path("propose/partners/", views.partner_search, name="partner_search"),
    path("feed/", views.open_calls_feed, name="feed"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/submit/", views.submit, name="submit"),
    path("<slug:slug>/start/", views.start, name="start"),
    path("<slug:slug>/answer/", views.answer, name="answer"),
    path("<slug:slug>/interest/", views.interest, name="interest"),
    path("<slug:slug>/interest/decide/", views.decide, name="decide"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path("<slug:slug>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/complete/", views.complete, name="complete"),
    path("<slug:slug>/progress/", views.progress, name="progress"),
]
