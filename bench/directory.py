"""Benchmark the directory against gunicorn on PostgreSQL.

    scripts/with-postgres .venv/bin/python bench/directory.py --organisations 100000

It needs ``DATABASE_URL`` pointing at a PostgreSQL database it may fill (scripts/with-postgres
makes a throwaway one). It migrates, loads the demo data, tops the directory up to
``--organisations`` with ``create_synthetic_organisations`` (which ends with VACUUM ANALYZE),
collects static files, starts gunicorn on 127.0.0.1 only, and then, for each page, keeps
``--concurrency`` client processes requesting it for ``--seconds`` and prints requests per
second, p50 and p95 latency and the throughput as a fraction of the floor (a trivial view:
``/robots.txt``, no database). Beside it, the Python CPU time per request of each page
(measured in-process), which stays meaningful when other work shares the machine. Visitors'
pages come from the page cache (``peacenet.lib.caching``); the "rendered" rows send a session
cookie so that every request renders its page, as for signed-in users. Last it
prints the EXPLAIN ANALYZE of the search queries, and fails if a search plan does not use
its index.
"""

import argparse
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


def request(port, path, cookie=""):
    """One HTTP/1.0 GET; returns (status, seconds)."""
    started = time.perf_counter()
    lines = f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
    if cookie:
        lines += f"Cookie: {cookie}\r\n"
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(f"{lines}\r\n".encode())
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    head = b"".join(chunks[:1])[:12]
    return int(head[9:12] or 0), time.perf_counter() - started


def client(port, scenario, seconds, seed, results):
    rng = random.Random(seed)
    latencies, errors = [], 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        status, elapsed = request(port, rng.choice(scenario.paths), scenario.cookie)
        if status != 200:
            errors += 1
        latencies.append(elapsed)
    results.put((latencies, errors))


def measure(port, scenario, seconds, concurrency):
    for path in scenario.paths[: scenario.warm]:
        request(port, path, scenario.cookie)  # warm up: connections, caches, imports
    results = multiprocessing.Queue()
    clients = [
        multiprocessing.Process(target=client, args=(port, scenario, seconds, seed, results))
        for seed in range(concurrency)
    ]
    for process in clients:
        process.start()
    collected = [results.get() for _ in clients]
    for process in clients:
        process.join()
    latencies = sorted(latency for batch, _ in collected for latency in batch)
    errors = sum(errors for _, errors in collected)
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "rps": len(latencies) / seconds,
        "p50": quantiles[49] * 1000,
        "p95": quantiles[94] * 1000,
        "errors": errors,
        "requests": len(latencies),
    }


class Scenario(NamedTuple):
    title: str
    paths: list
    warm: int = 20  # how many of the paths are requested once before measuring
    cookie: str = ""  # sent with every request


def scenarios():
    """The pages measured. Visitors (no cookie) get pages from the cache once they have been
    rendered; the last rows send a session cookie, as signed-in users do, so every request
    renders the page (this is also what the first visitor after a change costs)."""
    from django.conf import settings

    from organisations.models import Organisation

    profiles = [
        f"/organisations/{slug}/"
        for slug in Organisation.objects.published()
        .filter(slug__startswith="synthetic-")
        .order_by("?")
        .values_list("slug", flat=True)[:500]
    ]
    rng = random.Random(1)
    cold = [
        "/organisations/?"
        + urlencode(
            {
                "q": f"{rng.choice(WORDS)} {rng.choice(WORDS)}",
                "kind": rng.choice(["diaspora", "ngo"]),
                "network_group": rng.choice(["gender", "youth", "radicalisation"]),
            }
        )
        for _ in range(5000)
    ]
    plain, search = (
        ["/organisations/"],
        ["/organisations/?q=women+peace&kind=diaspora&network_group=gender"],
    )
    session = f"{settings.SESSION_COOKIE_NAME}=benchmark-session-that-does-not-exist"
    return [
        Scenario("floor: /robots.txt (no database)", ["/robots.txt"]),
        Scenario("directory, plain list", plain),
        Scenario("directory, q + 2 filters (repeated)", search),
        Scenario("directory, q + 2 filters (5,000 different)", cold, warm=0),
        Scenario("directory, plain list, page 200", ["/organisations/?page=200"]),
        Scenario("profile (500 different)", profiles, warm=len(profiles)),
        Scenario("network group page", ["/network-groups/gender/"]),
        Scenario("rendered: directory, plain list", plain, cookie=session),
        Scenario("rendered: directory, q + 2 filters", search, cookie=session),
        Scenario("rendered: profile (500 different)", profiles, cookie=session),
    ]


def cpu_costs(scenarios, rounds=40):
    """Python CPU time per request of each page, in this process (Django's test client, same
    settings), next to the floor's. Unlike throughput it hardly depends on what else the
    machine is doing; the database's own time is not included (see the EXPLAIN ANALYZE)."""
    from django.test import Client

    costs = {}
    for scenario in scenarios:
        client = Client()
        headers = {"cookie": scenario.cookie} if scenario.cookie else {}
        for path in scenario.paths[:3]:
            client.get(path, headers=headers)
        started = time.process_time()
        for index in range(rounds):
            path = scenario.paths[index % len(scenario.paths)]
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.status_code)
        costs[scenario.title] = (time.process_time() - started) / rounds * 1000
    return costs


def explain():
    """EXPLAIN ANALYZE of the search's page query, its facet counts and the typo fallback."""
    from django.db import connection
    from django.http import QueryDict

    from organisations.filters import DirectoryFilter
    from organisations.models import Organisation

    filterset = DirectoryFilter(QueryDict("q=women+peace&kind=diaspora&network_group=gender"))
    assert filterset.is_valid(), filterset.errors
    page = filterset.qs[:20]
    plans = {
        "search page (q + kind + network group)": page.explain(analyze=True),
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
    args = parser.parse_args()

    env = environment()
    prepare(env, args.organisations)
    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    try:
        print(
            f"\ngunicorn on 127.0.0.1:{port}, {args.workers} sync workers; "
            f"{args.concurrency} client processes, {args.seconds:g} s per page; "
            f"{os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.2f}\n"
        )
        pages = scenarios()
        header = (
            f"{'page':46} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'vs floor':>9}"
            f" {'CPU ms':>8} {'vs floor':>9}"
        )
        results = {}
        for scenario in pages:
            results[scenario.title] = measure(port, scenario, args.seconds, args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=10)
    costs = cpu_costs(pages)
    print(header)
    print("-" * len(header))
    floor_rps, floor_cpu = results[pages[0].title]["rps"], costs[pages[0].title]
    for title in (scenario.title for scenario in pages):
        result, cpu = results[title], costs[title]
        note = f"  ({result['errors']} errors!)" if result["errors"] else ""
        print(
            f"{title:46} {result['rps']:8.0f} {result['p50']:8.1f} {result['p95']:8.1f} "
            f"{'1/' + format(floor_rps / result['rps'], '.1f'):>9} {cpu:8.2f} "
            f"{'1/' + format(cpu / floor_cpu, '.1f'):>9}{note}"
        )
    print(f"load average after the run: {os.getloadavg()[0]:.2f}")
    if not explain():
        sys.exit(1)


if __name__ == "__main__":
    main()
