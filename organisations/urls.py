from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("organisations/", views.directory, name="directory"),
    path("organisations/<slug:slug>/", views.detail, name="detail"),
    path("network-groups/", views.network_groups, name="network_groups"),
    path("network-groups/<slug:slug>/", views.network_group, name="network_group"),
]
