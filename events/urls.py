from django.urls import path

from . import views
from .feeds import UpcomingEventsFeed

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("feed/", UpcomingEventsFeed(), name="feed"),
    path("feed.ics", views.feed_ics, name="feed_ics"),
    path("submit/", views.submit, name="submit"),
    path("new-meeting/<slug:slug>/", views.add_group_meeting, name="add_group_meeting"),
    path("<slug:slug>.ics", views.event_ics, name="ics"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/cancel/", views.cancel, name="cancel"),
]
