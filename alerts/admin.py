from django.contrib import admin

from .models import Follow, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "frequency", "covered_until"]
    list_filter = ["frequency"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "kind",
        "organisation",
        "network_group",
        "proposal",
        "query",
        "created",
    ]
    list_filter = ["kind"]
    search_fields = ["user__email", "query"]
    raw_id_fields = ["user", "organisation", "network_group", "proposal"]
