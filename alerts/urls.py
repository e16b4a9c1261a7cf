from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="list"),
    path("follow/", views.follow, name="follow"),
    path("<int:pk>/remove/", views.unfollow, name="unfollow"),
    path("frequency/", views.frequency, name="frequency"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
