from django.urls import path

from .views import directory

app_name = "organisations"

urlpatterns = [
    # The public directory, profiles and network groups.
    path("organisations/", directory.directory, name="directory"),
    path("organisations/<slug:slug>/", directory.detail, name="detail"),
    path("network-groups/", directory.network_groups, name="network_groups"),
    path("network-groups/<slug:slug>/", directory.network_group, name="network_group"),
    # Registering and managing an organisation.
]
