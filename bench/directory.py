"""Benchmark the directory against gunicorn on PostgreSQL.

    scripts/with-postgres .venv/bin/python bench/directory.py --organisations 100000

It needs ``DATABASE_URL`` pointing at a PostgreSQL database it may fill (scripts/with-postgres
makes a throwaway one). It migrates, loads the demo data, tops the directory up to
``--organisations`` with ``create_synthetic_organisations`` (which ends with VACUUM ANALYZE),
collects static files, starts gunicorn on 127.0.0.1 only, and then, for each page, keeps
``--concurrency`` client processes requesting it for ``--seconds`` and prints requests per
second, p50 and p95 latency and the throughput as a fraction of the floor (a trivial view:
``/robots.txt``, no database) measured around it, next to the target of each row: each page's
time is cut into three slices, each between two slices of the floor, so that the two are
compared under the same conditions on a machine whose speed drifts.
Beside it, the Python CPU time per request of each page (measured in-process), which stays
meaningful when other work shares the machine. Visitors' pages come from the page cache
(``peacenet.lib.caching``); the "signed in" rows send the session cookie of a real signed-in
member, so every request renders its page (from the cached fragments of its public parts,
once anyone has seen them: the 500 profiles are each asked once before measuring; "profile
nobody saw" asks each of 10,000 other profiles at most once, so its fragments are rendered
afresh). The "new search" row never asks the same thing
twice (three words, a filter and a random page, each client its own share of 20,000).
Then it downloads the full ``export.csv`` and ``export.json`` (the first download asks for
them to be prepared and waits, the next ones are served from the prepared file), parses them
and counts the rows: it fails unless every published organisation is there, within 5 s of
first asking (``--exports-only`` does only this). Last it prints the EXPLAIN ANALYZE
of the search queries, and fails if a search plan does not use its index.
"""

import argparse
import atexit
import multiprocessing
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
# The task worker, as deploy/systemd/peacenet-worker.service runs it.
WORKER = [PYTHON, "manage.py", "db_worker", "--interval", "0.2"]
# Words a visitor might type; pairs of them make the "cold" searches.
WORDS = [
    "women", "youth", "peace", "dialogue", "mediation", "justice", "refugees", "somali",
    "eritrean", "congolese", "afghan", "syrian", "foundation", "network", "platform", "schools",
    "elections", "trauma", "extremism", "diaspora", "education", "democracy", "counselling",
    "reconciliation", "security", "solidarity", "community", "policymakers", "rights",
]  # fmt: skip


def environment():
    env = dict(os.environ)
    if not env.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see scripts/with-postgres).")
    env.update(
        DJANGO_SETTINGS_MODULE="peacenet.settings",
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY") or "benchmark-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def prepare(env, organisations):
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_demo")
    import django

    os.environ.update(env)
    django.setup()
    from organisations.models import Organisation

    missing = organisations - Organisation.objects.count()
    if missing > 0:
        started = time.monotonic()
        manage(env, "create_synthetic_organisations", str(missing))
        print(f"Loaded {missing:,} synthetic organisations in {time.monotonic() - started:.1f} s")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"{Organisation.objects.count():,} organisations, VACUUM ANALYZE done")
    from organisations import search

    # The search's spelling vocabulary is read from the SearchWord table (which the synthetic
    # load recounts) once per content generation and kept in each process; a site that has
    # been up a while has it in the cache, so read it once before measuring.
    started = time.monotonic()
    search.vocabulary()
    print(f"Spelling vocabulary read in {time.monotonic() - started:.1f} s")


def start_redis(env):
    """A Redis of the run's own on a unix socket, for both caches and the sessions, set as
    ``REDIS_URL`` (what production runs with)."""
    import tempfile

    folder = tempfile.mkdtemp(prefix="peacenet-bench-redis-")
    socket_path = f"{folder}/redis.sock"
    process = subprocess.Popen(  # noqa: S603 -- our own Redis, fixed arguments
        [shutil.which("redis-server"), "--port", "0", "--unixsocket", socket_path,
         "--save", "", "--appendonly", "no", "--maxmemory", "1gb",
         "--maxmemory-policy", "noeviction", "--dir", folder],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        if os.path.exists(socket_path):
            break
        time.sleep(0.05)
    env["REDIS_URL"] = f"unix://{socket_path}"
    return process


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env, port, workers):
    gunicorn = shutil.which("gunicorn", path=str(Path(PYTHON).parent)) or "gunicorn"
    process = subprocess.Popen(  # noqa: S603 -- our own gunicorn, fixed arguments
        [
            gunicorn,
            "peacenet.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            status, _ = request(port, "/healthz")
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.1)
    process.terminate()
    sys.exit("gunicorn did not start")


def request(port, path, cookie="", body=False):
    """One HTTP/1.0 GET; returns (status, seconds), and the body when asked."""
    started = time.perf_counter()
    lines = f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
    if cookie:
        lines += f"Cookie: {cookie}\r\n"
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(f"{lines}\r\n".encode())
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    elapsed = time.perf_counter() - started
    head = b"".join(chunks[:1])[:12]
    status = int(head[9:12] or 0)
    if body:
        return status, elapsed, b"".join(chunks)
    return status, elapsed


def client(port, scenario, seconds, seed, results, part=(0, 1)):
    rng = random.Random(seed)
    latencies, errors = [], 0
    began = time.perf_counter()
    deadline = began + seconds
    # Each client asks its own share of the paths in turn: none is asked twice. A fast
    # machine may use its share up before the time is over; it then stops there.
    own = iter(scenario.paths[part[0] :: part[1]][seed::CLIENTS]) if scenario.once else None
    while time.perf_counter() < deadline:
        item = next(own, None) if own else rng.choice(scenario.paths)
        if item is None:
            break
        status, elapsed = request(port, *scenario.asked(item))
        if status != 200:
            errors += 1
        latencies.append(elapsed)
    results.put((latencies, errors, time.perf_counter() - began))


def run_clients(port, scenario, seconds, concurrency, part=(0, 1)):
    """``concurrency`` client processes asking ``scenario`` for ``seconds``: each client's
    latencies, errors and time spent. A scenario asked once per path asks only the paths of
    ``part`` (the k-th of n slices), so that slices of one row never ask a path twice."""
    results = multiprocessing.Queue()
    clients = [
        multiprocessing.Process(target=client, args=(port, scenario, seconds, seed, results, part))
        for seed in range(concurrency)
    ]
    for process in clients:
        process.start()
    collected = [results.get() for _ in clients]
    for process in clients:
        process.join()
    return collected


def summary(slices):
    """Throughput and latency of a row measured in ``slices`` of equal length (each the
    clients' results of ``run_clients``)."""
    latencies = sorted(
        latency for collected in slices for batch, _, _ in collected for latency in batch
    )
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        # In each slice, each client's rate over the time it asked, summed; then the mean.
        "rps": statistics.mean(
            sum(len(batch) / spent for batch, _, spent in collected) for collected in slices
        ),
        "p50": quantiles[49] * 1000,
        "p95": quantiles[94] * 1000,
        "errors": sum(errors for collected in slices for _, errors, _ in collected),
        "requests": len(latencies),
    }


# Each page is measured in this many slices, each between two slices of the floor.
SLICES = 3


def measure(port, scenario, seconds, concurrency, floor=None):
    """``scenario``'s throughput and latencies over ``seconds``. With ``floor``, the time is
    cut into ``SLICES`` slices, each between two slices of the floor half as long, and the
    result holds the floor's throughput measured around them (``floor_rps``): a shared
    machine's speed drifts from one minute to the next, and the ratio of a page to the
    floor is then taken under the same conditions, not against a floor measured minutes
    before."""
    for item in scenario.paths[: scenario.warm]:
        request(port, *scenario.asked(item))  # warm up: connections, caches, imports
    if floor is None:
        return summary([run_clients(port, scenario, seconds, concurrency)])
    pages, floors = [], []
    floor_seconds = seconds / SLICES / 2
    for part in range(SLICES):
        floors.append(run_clients(port, floor, floor_seconds, concurrency))
        pages.append(run_clients(port, scenario, seconds / SLICES, concurrency, (part, SLICES)))
    floors.append(run_clients(port, floor, floor_seconds, concurrency))
    return {**summary(pages), "floor_rps": summary(floors)["rps"]}


class Scenario(NamedTuple):
    title: str
    paths: list
    warm: int = 20  # how many of the paths are requested once before measuring
    cookie: str = ""  # sent with every request
    target: float = 0  # the target throughput as a fraction of the floor (1/8 is 8)
    once: bool = False  # every path at most once (a search nobody made before)

    def asked(self, item):
        """A path, or a (path, cookie) pair: what one request asks, and with which cookie."""
        return item if isinstance(item, tuple) else (item, self.cookie)


CLIENTS = 64  # the most client processes; the paths asked once are split among them
READERS = 4_000  # other signed-in members, for the pages' first views


def signed_in_cookie(email="benchmark-member@example.org"):
    """The session cookie of a signed-in member (made here, as signing in would)."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, created = get_user_model().objects.get_or_create(email=email)
    if created:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    browser = Client()
    browser.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"


def member_cookies(count):
    """Session cookies of ``count`` other signed-in members, none of whom has asked any page
    yet: each of their requests is their first view of it."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.base import SessionBase
    from django.utils.module_loading import import_string

    User = get_user_model()
    emails = [f"benchmark-reader-{index}@example.org" for index in range(count)]
    User.objects.bulk_create([User(email=email) for email in emails], ignore_conflicts=True)
    users = list(User.objects.filter(email__in=emails))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users],
        ignore_conflicts=True,
    )
    store: type[SessionBase] = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    cookies = []
    for user in users:
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return cookies


def new_searches(count=20_000):
    """Searches nobody made before: three words, a filter and a random page, all different."""
    rng = random.Random(1)
    filters = [
        ("kind", ["diaspora", "ngo", "government", "knowledge_institute", "international"]),
        ("network_group", ["gender", "youth", "radicalisation"]),
        ("country", ["SO", "CD", "AF", "SY", "NL", "ER"]),
        ("city", ["The Hague", "Rotterdam", "Utrecht", "Delft"]),
    ]
    seen, paths = set(), []
    while len(paths) < count:
        words = " ".join(rng.sample(WORDS, 3))
        name, values = rng.choice(filters)
        selection = (words, name, rng.choice(values))
        if selection in seen:
            continue
        seen.add(selection)
        query = {"q": words, name: selection[2], "page": rng.randint(1, 3)}
        paths.append("/organisations/?" + urlencode(query))
    return paths


def scenarios():
    """The pages measured, each with its target from the issue (the fraction of the floor's
    throughput it should reach). Visitors (no cookie) get pages from the cache once they
    have been rendered; signed-in members get every page rendered for them."""
    from organisations.models import Organisation

    slugs = list(
        Organisation.objects.published()
        .filter(slug__startswith="synthetic-")
        .order_by("?")
        .values_list("slug", flat=True)[:10_500]
    )
    # 500 profiles asked again and again, and 10,000 others each asked at most once.
    profiles = [f"/organisations/{slug}/" for slug in slugs[:500]]
    unseen = [f"/organisations/{slug}/" for slug in slugs[500:]]
    plain = ["/organisations/"]
    search = ["/organisations/?q=women+peace&kind=diaspora&network_group=gender"]
    member = signed_in_cookie()
    readers = member_cookies(READERS)

    def first_views(pages):
        """Each of the other members asks one of ``pages`` once: their first view of it."""
        return [(pages[index % len(pages)], cookie) for index, cookie in enumerate(readers)]

    return [
        Scenario("floor: /robots.txt (no database)", ["/robots.txt"], target=1),
        Scenario("new search (never cached)", new_searches(), warm=0, target=25, once=True),
        # A member's own pages: they asked each before (their pages are cached for them).
        Scenario("signed in: directory list", plain, cookie=member, target=8),
        Scenario("signed in: same search repeated", search, cookie=member, target=8),
        Scenario(
            "signed in: profile (500 different)",
            profiles,
            warm=len(profiles),
            cookie=member,
            target=6,
        ),
        Scenario("signed in: /partnerships/", ["/partnerships/"], cookie=member, target=8),
        Scenario("signed in: /events/", ["/events/"], cookie=member, target=8),
        Scenario("signed in: world map", ["/organisations/map/"], cookie=member, target=8),
        Scenario("signed in: /statistics/", ["/statistics/"], cookie=member, target=8),
        Scenario(
            "signed in: partnership network", ["/partnerships/network/"], cookie=member, target=8
        ),
        # Pages rendered for the member asking: each member asks each page once, from the
        # fragments others' visits cached (the profiles are the 500 above).
        Scenario("first view: directory list", first_views(plain), warm=0, target=8, once=True),
        Scenario("first view: same search", first_views(search), warm=0, target=8, once=True),
        Scenario("first view: profile", first_views(profiles), warm=0, target=6, once=True),
        Scenario(
            "first view: /partnerships/",
            first_views(["/partnerships/"]),
            warm=0,
            target=8,
            once=True,
        ),
        Scenario("first view: /events/", first_views(["/events/"]), warm=0, target=8, once=True),
        Scenario(
            "first view: world map",
            first_views(["/organisations/map/"]),
            warm=0,
            target=8,
            once=True,
        ),
        Scenario(
            "first view: /statistics/", first_views(["/statistics/"]), warm=0, target=8, once=True
        ),
        Scenario(
            "first view: partnership network",
            first_views(["/partnerships/network/"]),
            warm=0,
            target=8,
            once=True,
        ),
        # And a profile nobody saw: its fragments rendered afresh too.
        Scenario(
            "signed in: profile nobody saw (rendered)",
            unseen,
            warm=0,
            cookie=member,
            target=6,
            once=True,
        ),
        Scenario("visitor (cached): home", ["/"], target=2),
        Scenario("visitor (cached): directory list", plain, target=2),
        Scenario("visitor (cached): same search", search, target=2),
        Scenario("visitor (cached): profile (500)", profiles, warm=len(profiles), target=2),
        Scenario("visitor (cached): network group", ["/network-groups/gender/"], target=2),
    ]


def exports(port, expected):
    """Download the full exports as someone would after a change: the first download of each
    asks for it to be prepared and waits for it (the server waits up to EXPORT_WAIT_SECONDS,
    then answers 503 with Retry-After, and this client asks again at once), the second is
    served from the prepared file. Each is parsed and its rows counted; its time runs from the
    first request to the last byte, waiting included. Returns a list of
    (title, seconds, rows, ok)."""
    import csv
    import io
    import json

    results = []
    for attempt in ("first", "again"):
        for format in ("csv", "json"):
            asked = time.perf_counter()
            requests = 0
            while True:
                status, _, raw = request(port, f"/organisations/export.{format}", body=True)
                requests += 1
                if status != 503 or time.perf_counter() - asked > 600:
                    break
                time.sleep(0.1)  # The server has waited already; never a tight loop.
            seconds = time.perf_counter() - asked
            _head, _, body = raw.partition(b"\r\n\r\n")
            try:
                text = body.decode()
                if format == "csv":
                    rows = len(list(csv.DictReader(io.StringIO(text))))
                else:
                    rows = len(json.loads(text)["organisations"])
            except (ValueError, KeyError, UnicodeDecodeError) as error:
                print(f"!!! export.{format} ({attempt}) does not parse: {error}")
                rows = -1
            print(
                f"export.{format} ({attempt} download): {status} after {seconds:.2f} s, "
                f"{requests} request{'s' if requests > 1 else ''}, {rows:,} rows"
            )
            ok = status == 200 and rows == expected and seconds <= 5
            results.append((f"full export.{format} ({attempt} download)", seconds, rows, ok))
    return results


def wait_for_worker(seconds=120):
    """Until the task worker has started and run a task: a worker starting takes seconds that
    are no part of preparing an export. (The task prepares nothing: no one has asked for an
    export yet.)"""
    from organisations.exports import prepare_current_exports

    result = prepare_current_exports.enqueue()
    deadline = time.monotonic() + seconds
    while not result.is_finished:
        if time.monotonic() > deadline:
            sys.exit(f"The task worker ran no task in {seconds} s.")
        time.sleep(0.1)
        result.refresh()


def run_exports_only(env, port, workers, published):
    """``--exports-only``: the full exports alone, against a fresh gunicorn and task worker
    (once it has started)."""
    server = start_gunicorn(env, port, workers)
    worker = subprocess.Popen(WORKER, cwd=ROOT, env=env)  # noqa: S603
    try:
        wait_for_worker()
        downloads = exports(port, published)
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=30)
    for title, seconds, rows, ok in downloads:
        print(f"{title:40} {seconds:6.2f} s {rows:>9,} rows  {'ok' if ok else 'FAILED'}")
    if not all(ok for *_, ok in downloads):
        sys.exit(1)


def cpu_costs(scenarios, rounds=40):
    """Python CPU time per request of each page, in this process (Django's test client, same
    settings), next to the floor's. Unlike throughput it hardly depends on what else the
    machine is doing; the database's own time is not included (see the EXPLAIN ANALYZE)."""
    from django.test import Client

    costs = {}
    for scenario in scenarios:
        client = Client()
        # Searches asked once: from the end of the list, which the clients did not reach.
        paths = scenario.paths[::-1] if scenario.once else scenario.paths
        for item in paths[:3]:
            path, cookie = scenario.asked(item)
            client.get(path, headers={"cookie": cookie} if cookie else {})
        started = time.process_time()
        for index in range(rounds):
            path, cookie = scenario.asked(
                paths[3 + index] if scenario.once else paths[index % len(paths)]
            )
            response = client.get(path, headers={"cookie": cookie} if cookie else {})
            assert response.status_code == 200, (path, response.status_code)
        costs[scenario.title] = (time.process_time() - started) / rounds * 1000
    return costs


def explain():
    """EXPLAIN ANALYZE of the search's page query, its facet counts and the typo fallback."""
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from organisations.facets import count_facets
    from organisations.filters import DirectoryFilter
    from organisations.models import Organisation

    filterset = DirectoryFilter(QueryDict("q=women+peace&kind=diaspora&network_group=gender"))
    assert filterset.is_valid(), filterset.errors
    # What the directory runs for a search nobody made before: one pass over the matches
    # that counts every facet and gives the page's ids (organisations.facets.count_facets).
    with CaptureQueriesContext(connection) as queries:
        count_facets(filterset, page=(0, 20))
    (counting,) = [query["sql"] for query in queries if query["sql"].startswith("WITH")]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + counting)
        counted = "\n".join(row[0] for row in cursor.fetchall())
    plans = {
        "search page and facet counts, one pass (q + kind + network group)": counted,
        "search only": Organisation.objects.published()
        .search("women peace")
        .order_by("-rank")[:20]
        .explain(analyze=True),
        "typo fallback (similar names)": Organisation.objects.published()
        .similar_names("gendr platfrom")
        .order_by("-rank")[:20]
        .explain(analyze=True),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_relation_size('organisation_search_document_idx'))"
        )
        print("search index size:", cursor.fetchone()[0])
    ok = True
    for title, plan in plans.items():
        print(f"\n--- EXPLAIN ANALYZE: {title}\n{plan}")
        index = "organisation_name_trgm_idx" if "typo" in title else "organisation_search_document"
        if index not in plan:
            print(f"!!! {title}: the plan does not use {index}")
            ok = False
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--no-cpu", action="store_true", help="skip the in-process CPU times")
    parser.add_argument(
        "--only",
        action="append",
        metavar="TEXT",
        help="measure only the pages whose title contains TEXT (and the floor); repeatable",
    )
    parser.add_argument(
        "--exports-only", action="store_true", help="only download the full exports"
    )
    parser.add_argument(
        "--cache",
        choices=["redis", "database"],
        default="redis" if shutil.which("redis-server") else "database",
        help="the caches (and sessions) in Redis, as in production, or in database tables",
    )
    args = parser.parse_args()
    if args.concurrency > CLIENTS:
        sys.exit(f"At most {CLIENTS} client processes.")

    env = environment()
    if args.cache == "redis":
        atexit.register(start_redis(env).terminate)
    prepare(env, args.organisations)
    from organisations.models import Organisation

    published = Organisation.objects.published().count()
    port = free_port()
    if args.exports_only:
        return run_exports_only(env, port, args.workers, published)
    pages = scenarios()
    if args.only:
        pages = pages[:1] + [p for p in pages[1:] if any(t in p.title for t in args.only)]
    server = start_gunicorn(env, port, args.workers)
    # The task worker prepares the full exports.
    worker = subprocess.Popen(WORKER, cwd=ROOT, env=env)  # noqa: S603
    started_load = os.getloadavg()
    try:
        print(
            f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; gunicorn on "
            f"127.0.0.1:{port}, {args.workers} sync workers; {args.concurrency} client "
            f"processes, {args.seconds:g} s per page; {os.cpu_count()} CPU cores; "
            f"{published:,} published organisations; caches and sessions in {args.cache}; "
            "load average "
            f"{' '.join(f'{load:.2f}' for load in started_load)}\n"
        )
        results = {}
        floor, *rows = pages
        results[floor.title] = measure(port, floor, args.seconds, args.concurrency)
        for scenario in rows:
            results[scenario.title] = measure(
                port, scenario, args.seconds, args.concurrency, floor=floor
            )
        downloads = [] if args.only else exports(port, published)
    finally:
        for process in (server, worker):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    costs = {} if args.no_cpu else cpu_costs(pages)
    header = (
        f"{'page':40} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'floor':>7} {'vs floor':>9}"
        f" {'target':>7} {'met':>4} {'CPU ms':>7}"
    )
    print(header)
    print("-" * len(header))
    met_all = True
    for scenario in pages:
        result = results[scenario.title]
        # Each row against the floor measured around it (the floor's own row: itself).
        floor_rps = result.get("floor_rps", result["rps"])
        ratio = floor_rps / result["rps"] if result["rps"] else float("inf")
        met = ratio <= scenario.target
        met_all &= met
        note = f"  ({result['errors']} errors!)" if result["errors"] else ""
        cpu = f"{costs[scenario.title]:7.2f}" if scenario.title in costs else f"{'-':>7}"
        print(
            f"{scenario.title:40} {result['rps']:7.0f} {result['p50']:7.1f} {result['p95']:7.1f}"
            f" {floor_rps:7.0f} {'1/' + format(ratio, '.1f'):>9}"
            f" {'1/' + format(scenario.target, 'g'):>7} {'yes' if met else 'NO':>4} {cpu}{note}"
        )
    print()
    for title, seconds, rows, ok in downloads:
        print(f"{title:40} {seconds:6.2f} s {rows:>9,} rows  {'ok' if ok else 'FAILED'}")
    print(
        f"\nload average at the start {' '.join(f'{load:.2f}' for load in started_load)}, "
        f"after the run {' '.join(f'{load:.2f}' for load in os.getloadavg())}; "
        f"targets met: {'all' if met_all else 'not all'}"
    )
    ok = explain()
    if not ok or not all(ok for *_, ok in downloads):
        sys.exit(1)


if __name__ == "__main__":
    main()
