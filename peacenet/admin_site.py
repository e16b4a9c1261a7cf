"""The Django admin, for staff who signed in with two-factor authentication.

allauth keeps a record of how the current session authenticated. The admin is open only to
active staff whose session includes a second factor (TOTP or a recovery code); staff without
one are sent to set up an authenticator app, staff with one to confirm a code. Signing in
itself happens on allauth's login page, which applies its rate limits and lockout.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.decorators import secure_admin_login
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin
from django.http import HttpRequest, HttpResponseRedirect
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .lib.staff import has_staff_powers


def session_used_mfa(request: HttpRequest, user=None) -> bool:
    """Whether this session's sign-in (of ``user``, by default the request's) included a
    second factor."""
    records = get_authentication_records(request, request.user if user is None else user)
    return any(record.get("method") == "mfa" for record in records)


def waiting():
    """What waits for staff, for the admin's home: each queue's label, how many (one count
    query each) and its filtered list in the admin."""
    from django_tasks_db.models import DBTaskResult

    from organisations.models import (
        ClaimRequest,
        Confirmation,
        ContactMessage,
        Organisation,
        UnconfirmedOrganisation,
    )

    from .lib import mail

    published = Organisation.objects.published()
    mail_path = mail.deliver.module_path
    queues = [
        (
            _("Organisations waiting for review"),
            Organisation.objects.filter(status=Organisation.Status.PENDING),
            "organisations_organisation",
            {"status__exact": Organisation.Status.PENDING},
        ),
        (
            _("Claims waiting for review"),
            ClaimRequest.objects.pending(),
            "organisations_claimrequest",
            {"status__exact": ClaimRequest.Status.PENDING},
        ),
        (
            _("Messages to pass on"),
            ContactMessage.objects.waiting_for_staff(),
            "organisations_contactmessage",
            {"waiting": "yes"},
        ),
        (
            _("Messages reported as abuse"),
            ContactMessage.objects.filter(reported_at__isnull=False),
            "organisations_contactmessage",
            {"reported": "yes"},
        ),
        (
            _("Mail that could not be delivered"),
            DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, task_path=mail_path),
            "django_tasks_database_dbtaskresult",
            {"status__exact": TaskResultStatus.FAILED, "task_path__exact": mail_path},
        ),
        (
            _("Stale entries (not confirmed for more than %(months)d months)")
            % {"months": Confirmation.STALE_AFTER_MONTHS},
            published.stale(),
            "organisations_organisation",
            {"status__exact": Organisation.Status.PUBLISHED, "confirmed": Confirmation.STALE},
        ),
        (
            capfirst(UnconfirmedOrganisation._meta.verbose_name_plural),
            published.unconfirmed_for(Confirmation.ARCHIVE_SUGGESTED_AFTER_MONTHS),
            "organisations_unconfirmedorganisation",
            {},
        ),
    ]
    return [
        {
            "label": label,
            "count": rows.count(),
            "url": reverse(f"admin:{name}_changelist") + (f"?{urlencode(query)}" if query else ""),
        }
        for label, rows, name, query in queues
    ]


class PeaceNetAdminSite(admin.AdminSite):
    site_header = _("PeaceNet")
    site_title = _("PeaceNet admin")
    index_title = _("Curation and moderation")

    def index(self, request, extra_context=None):
        return super().index(request, {"waiting": waiting(), **(extra_context or {})})

    def has_permission(self, request: HttpRequest) -> bool:
        return has_staff_powers(request.user)

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        if request.user.is_authenticated and request.user.is_staff and request.user.is_active:
            next_url = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                next_url = reverse("admin:index", current_app=self.name)
            if not is_mfa_enabled(request.user):
                return HttpResponseRedirect(reverse("mfa_activate_totp"))
            if not session_used_mfa(request):
                return HttpResponseRedirect(
                    reverse("mfa_reauthenticate") + "?" + urlencode({"next": next_url})
                )
            return HttpResponseRedirect(next_url)
        return secure_admin_login(super().login)(request, extra_context)
