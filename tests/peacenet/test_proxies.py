"""A deployment behind a proxy that forgot TRUSTED_PROXY_COUNT is told: by
``check --deploy`` and once in the log."""

import io
import logging

import pytest
from django.core import checks
from django.core.management import call_command
from django.urls import reverse


def _deploy_warnings():
    # Only the security checks: the model checks would need the database.
    found = checks.run_checks(tags=[checks.Tags.security], include_deployment_checks=True)
    return [m.id for m in found if m.id == "peacenet.W001"]


@pytest.mark.parametrize(
    ("proxy_settings", "count", "warned"),
    [
        ({"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")}, 0, True),
        ({"USE_X_FORWARDED_HOST": True}, 0, True),
        ({"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")}, 1, False),
        ({}, 0, False),
    ],
)
def test_deploy_check_warns_when_a_proxy_is_expected_but_the_count_is_0(
    settings, proxy_settings, count, warned
):
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.USE_X_FORWARDED_HOST = False
    for name, value in proxy_settings.items():
        setattr(settings, name, value)
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = count

    assert _deploy_warnings() == (["peacenet.W001"] if warned else [])


@pytest.mark.django_db
def test_the_proxy_check_runs_only_with_deploy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0

    assert "peacenet.W001" not in [m.id for m in checks.run_checks()]
    output = io.StringIO()
    call_command("check", deploy=True, tags=["security"], stdout=output, stderr=output)
    assert "peacenet.W001" in output.getvalue()
    assert "TRUSTED_PROXY_COUNT" in output.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("count", "headers", "logged"),
    [
        (0, {"X-Forwarded-For": "198.51.100.7"}, 1),
        (1, {"X-Forwarded-For": "198.51.100.7"}, 0),
        (0, {}, 0),
    ],
)
def test_a_forwarded_request_without_a_proxy_count_is_logged_once(
    client, settings, caplog, count, headers, logged
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = count

    with caplog.at_level(logging.WARNING, logger="peacenet.proxies"):
        for _ in range(3):
            assert client.get(reverse("healthz"), headers=headers).status_code == 200

    records = [r for r in caplog.records if r.name == "peacenet.proxies"]
    assert len(records) == logged
    assert all("TRUSTED_PROXY_COUNT" in r.getMessage() for r in records)
