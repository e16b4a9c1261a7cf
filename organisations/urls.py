from django.urls import path

from .feeds import GroupAnnouncementsFeed, NewOrganisationsFeed
from .views import confirmation, directory, groups, manage, maps

app_name = "organisations"

urlpatterns = [
    # Before organisations/<slug>/, which would otherwise take "register" for a slug.
    path("organisations/register/", manage.register, name="register"),
    # The public directory, profiles and network groups.
    path("organisations/", directory.directory, name="directory"),
    path("organisations/map/", maps.map_view, name="map"),
    path("organisations/export.csv", directory.export_csv, name="export_csv"),
    path("organisations/export.json", directory.export_json, name="export_json"),
    # The newest organisations matching the directory's filters, for feed readers.
    path("organisations/feed/", NewOrganisationsFeed(), name="feed"),
    path("organisations/<slug:slug>/", directory.detail, name="detail"),
    path("organisations/<slug:slug>/card.png", directory.card, name="card"),
    path("network-groups/", directory.network_groups, name="network_groups"),
    path("network-groups/<slug:slug>/", directory.network_group, name="network_group"),
    path("network-groups/<slug:slug>/feed/", GroupAnnouncementsFeed(), name="network_group_feed"),
    # What a group's facilitators do.
    path("network-groups/<slug:slug>/announce/", groups.announce, name="announce"),
    path("network-groups/<slug:slug>/members/", groups.members, name="group_members"),
    path("network-groups/<slug:slug>/members.csv", groups.members_csv, name="group_members_csv"),
    # Registering and managing an organisation.
    path("organisations/<slug:slug>/edit/", manage.edit, name="edit"),
    path("organisations/<slug:slug>/confirm/", manage.confirm, name="confirm"),
    path(
        "organisations/<slug:slug>/confirm/<str:token>/",
        confirmation.confirm_by_link,
        name="confirm_by_link",
    ),
    path("organisations/<slug:slug>/resubmit/", manage.resubmit, name="resubmit"),
    path("organisations/<slug:slug>/members/", manage.members, name="members"),
    path(
        "organisations/<slug:slug>/members/<int:pk>/remove/",
        manage.remove_member,
        name="remove_member",
    ),
    path(
        "organisations/<slug:slug>/members/<int:pk>/make-owner/",
        manage.make_owner,
        name="make_owner",
    ),
    path(
        "organisations/<slug:slug>/members/<int:pk>/step-down/",
        manage.step_down,
        name="step_down",
    ),
    path("organisations/<slug:slug>/leave/", manage.leave, name="leave"),
    path(
        "organisations/<slug:slug>/invitations/<int:pk>/withdraw/",
        manage.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path("invitations/<str:token>/", manage.accept_invitation, name="accept_invitation"),
    path("organisations/<slug:slug>/claim/", manage.claim, name="claim"),
    path("organisations/<slug:slug>/contact/", manage.contact, name="contact"),
    path(
        "organisations/<slug:slug>/messages/<int:pk>/report/",
        manage.report_message,
        name="report_message",
    ),
]
