"""PeaceNet on its production engines, through nginx over HTTPS: two app servers sharing
PostgreSQL, Redis and an S3 bucket, and what people see when one of them goes away."""

import io
import itertools
import threading
import time
from collections import Counter
from typing import NamedTuple

import pytest
import requests
from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import default_storage
from PIL import Image
from redis.connection import AbstractConnection

from organisations.models import Organisation
from peacenet.lib.redis_cache import set_each
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory
from tests.organisations.test_manage import profile_data
from tests.peacenet.test_accounts import verified_user
from tests.stack.client import Browser
from tests.stack.conftest import logo_urls, wait_for

pytestmark = pytest.mark.stack


def png(colour, size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def owned(member, unique):
    """A published organisation that ``member`` owns."""
    organisation = OrganisationFactory(name=f"Stack Peace {unique}", slug=f"stack-{unique}")
    MembershipFactory(user=member, organisation=organisation)
    return organisation


def test_signing_in_uses_secure_host_cookies_hsts_and_https_only(stack, member):
    person = Browser()

    login_page = person.get("/accounts/login/")
    signed_in = person.sign_in(member.email, PASSWORD)
    plain = requests.get(f"{stack.http_url}/organisations/", allow_redirects=False, timeout=10)

    assert login_page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"] == "/dashboard/"
    cookies = {cookie.name: cookie for cookie in person.session.cookies}
    assert cookies["__Host-sessionid"].secure
    assert cookies["__Host-csrftoken"].secure
    assert "HttpOnly" in signed_in.headers["Set-Cookie"]
    assert person.get("/dashboard/", allow_redirects=False).status_code == 200
    # Plain HTTP is sent to HTTPS at the same address.
    assert plain.status_code == 301
    assert plain.headers["Location"] == f"{stack.url}/organisations/"


def test_a_logo_uploaded_through_a_is_stored_in_s3_and_shown_by_b(stack, member, owned):
    editor = Browser(stack.url_a)
    editor.sign_in(member.email, PASSWORD)
    picture = png("teal", size=(120, 80))

    saved = editor.post(
        f"/organisations/{owned.slug}/edit/",
        profile_data(owned),
        files={"logo": ("our-logo.png", picture, "image/png")},
    )
    profile = Browser(stack.url_b).get(f"/organisations/{owned.slug}/")

    assert saved.status_code == 302, saved.text[:2000]
    owned.refresh_from_db()
    assert owned.logo.name.startswith("logos/")
    # In the bucket, not on any app server's disk.
    assert default_storage.__class__.__name__ == "S3Storage"
    assert default_storage.exists(owned.logo.name)
    expected = f"{settings.STORAGES['default']['OPTIONS']['endpoint_url']}/peacenet-media/"
    assert logo_urls(profile.text) == [expected + owned.logo.name]
    assert f'"logo": "{expected + owned.logo.name}"' in profile.text  # JSON-LD
    served = requests.get(logo_urls(profile.text)[0], timeout=10)  # as a browser reads it
    assert served.status_code == 200
    assert Image.open(io.BytesIO(served.content)).size == (120, 80)
    with default_storage.open(owned.logo.name, "rb") as stored:
        assert served.content == stored.read()


def test_media_in_media_root_are_served_by_nginx(stack, unique):
    folder = stack.media_root / "logos"
    folder.mkdir(exist_ok=True)
    picture = png("navy")
    (folder / f"{unique}.png").write_bytes(picture)

    response = Browser().get(f"/media/logos/{unique}.png")

    assert response.status_code == 200
    assert response.content == picture
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_login_lockout_made_on_a_holds_on_b(stack, member, unique):
    attacker = Browser(stack.url_a)
    for _ in range(5):
        refused = attacker.sign_in(member.email, "not-the-password", base=stack.url_a)
        assert refused.status_code == 200

    owner = Browser(stack.url_b)
    locked = owner.sign_in(member.email, PASSWORD)
    someone_else = verified_user(email=f"other-{unique}@example.org")
    other = Browser(stack.url_b)

    assert "Too many failed login attempts" in locked.text
    assert owner.get("/dashboard/", allow_redirects=False).status_code == 302
    # B signs in people who are not locked out.
    assert other.sign_in(someone_else.email, PASSWORD).headers["Location"] == "/dashboard/"


def test_a_change_saved_on_a_is_shown_at_once_by_b_to_visitors(stack, member, owned):
    visitor = Browser(stack.url_b)
    before = [visitor.get(f"/organisations/{owned.slug}/").text for _ in range(2)]
    editor = Browser(stack.url_a)
    editor.sign_in(member.email, PASSWORD)

    saved = editor.post(
        f"/organisations/{owned.slug}/edit/",
        profile_data(owned, summary="Now mediating between neighbourhoods."),
    )
    after = visitor.get(f"/organisations/{owned.slug}/").text

    assert all(owned.summary in page for page in before)
    assert saved.status_code == 302
    assert "Now mediating between neighbourhoods." in after
    assert owned.summary not in after


class Visit(NamedTuple):
    path: str
    outcome: int | str  # the status code, or the error when no response arrived whole
    server: str | None
    started: float
    finished: float


def test_killing_one_app_server_under_load_fails_no_request_after_the_crash(stack):
    """Visitors keep browsing while app server A dies; nginx retries on B, and every request
    made after the crash is answered. /healthz through nginx names both servers before, only B
    after.

    A crash can only cut off what A was answering at that instant: once A has begun sending a
    response, nginx has passed it on and cannot ask B instead. So at most one request per A
    worker, in flight across the crash, may break off; it breaks as a connection error, never
    as an error page, and no request after the crash fails."""
    paths = itertools.cycle(["/", "/organisations/", "/events/", "/healthz", "/network-groups/"])
    lock = threading.Lock()
    visits, stop = [], threading.Event()

    def visitor():
        person = Browser()
        while not stop.is_set():
            with lock:
                path = next(paths)
            started = time.monotonic()
            try:
                response = person.get(path, allow_redirects=False)
                outcome = response.status_code
                server = response.json()["server"] if path == "/healthz" else None
            except requests.RequestException as error:
                outcome, server = repr(error), None
            with lock:
                visits.append(Visit(path, outcome, server, started, time.monotonic()))

    threads = [threading.Thread(target=visitor) for _ in range(6)]
    for thread in threads:
        thread.start()
    try:
        wait_for("200 requests before the crash", lambda: len(visits) >= 200)
        crash_began = time.monotonic()
        stack.kill("app-a")
        crashed = time.monotonic()
        wait_for(
            "600 requests after the crash",
            lambda: sum(visit.started > crashed for visit in list(visits)) >= 600,
        )
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    try:
        direct_a = Browser(stack.url_a).get("/healthz").status_code
        last_servers = [Browser().get("/healthz").json()["server"] for _ in range(6)]
    finally:
        stack.start("app-a")

    before, across, after = [], [], []
    for visit in visits:
        if visit.finished < crash_began:
            before.append(visit)
        elif visit.started > crashed:
            after.append(visit)
        else:
            across.append(visit)
    assert len(before) >= 200
    assert len(after) >= 600
    assert [visit for visit in before + after if visit.outcome != 200] == []
    cut_off = [visit for visit in across if visit.outcome != 200]
    assert len(cut_off) <= stack.app_workers
    assert all(isinstance(visit.outcome, str) for visit in cut_off), cut_off  # no error page
    served_before = Counter(visit.server for visit in before if visit.server)
    assert set(served_before) == {"app-a", "app-b"}
    assert direct_a == 502  # A is down
    assert set(last_servers) == {"app-b"}
    assert Browser(stack.url_a).get("/healthz").json()["server"] == "app-a"  # back again


def test_organisation_rows_written_here_are_what_the_app_servers_read(stack, unique):
    """The tests' own ORM works on the stack's database (what the other tests rely on)."""
    OrganisationFactory(name=f"Seen Everywhere {unique}", slug=f"seen-{unique}")

    for base in (stack.url_a, stack.url_b):
        page = Browser(base).get(f"/organisations/seen-{unique}/")
        assert page.status_code == 200
        assert f"Seen Everywhere {unique}" in page.text
    assert Organisation.objects.filter(slug=f"seen-{unique}").exists()


def test_several_values_go_to_redis_in_one_round_trip_each_with_its_timeout(
    stack, unique, monkeypatch
):
    """What a page made while it was rendered is stored at once (``set_each``)."""
    cache = caches["pages"]
    client = cache._cache.get_client(write=True)
    cache.set(f"test:{unique}:dropped", "old", 600)
    sent = []
    send = AbstractConnection.send_packed_command

    def counted(connection, command, check_health=True):
        sent.append(command)
        return send(connection, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)
    set_each(
        cache,
        {
            f"test:{unique}:short": ("short", 60),
            f"test:{unique}:long": (("a", "tuple"), 600),
            f"test:{unique}:dropped": ("gone", 0),
        },
    )
    monkeypatch.undo()

    assert len(sent) == 1
    assert cache.get(f"test:{unique}:short") == "short"
    assert cache.get(f"test:{unique}:long") == ("a", "tuple")
    assert cache.get(f"test:{unique}:dropped") is None
    assert 55 <= client.ttl(cache.make_key(f"test:{unique}:short")) <= 60
    assert 595 <= client.ttl(cache.make_key(f"test:{unique}:long")) <= 600
