from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from django.db.models import Prefetch

        from events.sections import FOLLOW_UP
        from organisations import sections
        from organisations.themes import register_public_rows
        from peacenet.lib import caching, digests

        from . import digests as sources
        from .models import Participant, PartnershipProposal

        caching.register_content(*self.get_models(include_auto_created=True))
        sections.PROFILE.add(
            id="partnerships",
            heading=_("Partnerships"),
            template="partnerships/includes/organisation_partnerships.html",
            order=10,
            # Read by the partnerships_of tag.
            prefetch=lambda: [
                Prefetch("participations", queryset=Participant.objects.select_related("proposal"))
            ],
        )
        sections.GROUP.add(
            id="partnerships",
            heading=_("Partnership proposals"),
            template="partnerships/includes/group_partnerships.html",
            order=20,
        )
        FOLLOW_UP.add(
            id="partnerships",
            template="partnerships/includes/follow_up_partnerships.html",
            prefetch=lambda: [
                Prefetch(
                    "proposals",
                    queryset=PartnershipProposal.objects.public().order_by("title", "pk"),
                    to_attr="public_proposals",
                )
            ],
        )
        digests.SOURCES.add(
            id="open_calls",
            heading=_("New open calls in your network groups"),
            order=20,
            items=sources.open_calls_in_groups,
        )
        digests.SOURCES.add(
            id="partnership_status",
            heading=_("Partnerships you follow: status"),
            order=40,
            items=sources.status_changes,
        )
        digests.SOURCES.add(
            id="progress_updates",
            heading=_("Partnerships you follow: progress updates"),
            order=50,
            items=sources.progress_updates,
        )
        digests.SOURCES.add(
            id="deliverables",
            heading=_("Partnerships you follow: deliverables"),
            order=45,
            items=sources.deliverables,
        )
        # Themes that only drafts or hidden proposals use are never offered in public.
        register_public_rows(PartnershipProposal.objects.public)
