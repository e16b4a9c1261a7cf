"""Mixed traffic through nginx at rising concurrency: PeaceNet as a deployment serves it.

    scripts/with-stack .venv/bin/python bench/load.py

Runs inside scripts/with-stack (two gunicorn app servers behind nginx with TLS, PostgreSQL,
Redis, S3). It loads the demo data and ``--organisations`` synthetic ones, makes
``--members`` members with verified addresses, and then for each concurrency in
``--concurrency`` keeps that many client processes busy for ``--seconds``: three in four are
visitors (home, directory, directory searches, profiles, events, partnerships; served from
the shared page cache), one in four is a signed-in member (dashboard and profiles, rendered
for them). It prints, per stage and in total, requests per second, p50/p95/p99 latency and
the errors (any answer other than 200, or no answer). Exit status 1 if there was any error:
zero errors is the bar. This is a benchmark, not a test: the figures depend on the machine.
"""

import argparse
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORDS = ["peace", "women", "youth", "dialogue", "mediation", "diaspora", "justice", "somali"]
PASSWORD = "a-long-benchmark-password-1"  # noqa: S105 - throwaway members of a throwaway stack


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)  # noqa: S603


def prepare(organisations, members):
    """Demo data, synthetic organisations and signed-up members; returns what to visit."""
    manage("load_demo")
    if organisations:
        manage("create_synthetic_organisations", str(organisations))
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from events.models import Event
    from organisations.models import Organisation
    from partnerships.models import PartnershipProposal

    emails = []
    for number in range(members):
        email = f"bench-member-{number}@example.org"
        user, created = get_user_model().objects.get_or_create(email=email)
        if created:
            user.set_password(PASSWORD)
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        emails.append(email)
    slugs = list(Organisation.objects.published().values_list("slug", flat=True)[:500])
    events = list(Event.objects.published().values_list("slug", flat=True)[:50])
    proposals = list(PartnershipProposal.objects.public().values_list("slug", flat=True)[:50])
    return {"emails": emails, "slugs": slugs, "events": events, "proposals": proposals}


def visitor_path(rng, site):
    choice = rng.random()
    if choice < 0.15:
        return "/"
    if choice < 0.30:
        return f"/organisations/?page={rng.randint(1, 5)}"
    if choice < 0.50:
        return f"/organisations/?q={rng.choice(WORDS)}"
    if choice < 0.80:
        return f"/organisations/{rng.choice(site['slugs'])}/"
    if choice < 0.90 and site["events"]:
        return f"/events/{rng.choice(site['events'])}/"
    if site["proposals"]:
        return f"/partnerships/{rng.choice(site['proposals'])}/"
    return "/events/"


def member_path(rng, site):
    return "/dashboard/" if rng.random() < 0.4 else f"/organisations/{rng.choice(site['slugs'])}/"


def client(job):
    """One client process: visit (or sign in and visit) until the deadline."""
    number, seconds, site, member = job
    import django

    django.setup()
    from tests.stack.client import Browser

    rng = random.Random(number)
    person = Browser()
    choose = visitor_path
    if member:
        email = site["emails"][number % len(site["emails"])]
        if person.sign_in(email, PASSWORD).status_code != 302:
            return [], [f"member {email} could not sign in"]
        choose = member_path
    latencies, errors = [], []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        path = choose(rng, site)
        started = time.perf_counter()
        try:
            response = person.get(path, allow_redirects=False)
        except Exception as error:  # any failure to answer is an error to report
            errors.append(f"{path}: {error!r}")
            continue
        latencies.append(time.perf_counter() - started)
        if response.status_code != 200:
            errors.append(f"{path}: {response.status_code}")
    return latencies, errors


def percentile(values, share):
    return statistics.quantiles(values, n=100)[share - 1] * 1000 if len(values) > 1 else 0.0


def stage(concurrency, seconds, site):
    jobs = [(n, seconds, site, n % 4 == 3) for n in range(concurrency)]
    started = time.monotonic()
    with multiprocessing.Pool(concurrency) as pool:
        results = pool.map(client, jobs)
    elapsed = time.monotonic() - started
    latencies = [value for result in results for value in result[0]]
    errors = [error for result in results for error in result[1]]
    return {
        "concurrency": concurrency,
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "errors": errors,
        "elapsed": elapsed,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", default="1,2,4,8,16", help="comma-separated stages")
    parser.add_argument("--seconds", type=float, default=15, help="length of each stage")
    parser.add_argument("--organisations", type=int, default=2000, help="synthetic ones")
    parser.add_argument("--members", type=int, default=16)
    args = parser.parse_args()
    if not os.environ.get("STACK_URL"):
        sys.exit(
            "Run inside scripts/with-stack: scripts/with-stack .venv/bin/python bench/load.py"
        )
    site = prepare(args.organisations, args.members)
    print(f"PeaceNet at {os.environ['STACK_URL']}: {len(site['slugs'])} profiles sampled")
    print("| clients | requests | requests/s | p50 ms | p95 ms | p99 ms | errors |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    errors = []
    for concurrency in (int(item) for item in args.concurrency.split(",")):
        result = stage(concurrency, args.seconds, site)
        errors += result["errors"]
        print(
            f"| {concurrency} | {result['requests']} | {result['rps']:.0f} | "
            f"{result['p50']:.0f} | {result['p95']:.0f} | {result['p99']:.0f} | "
            f"{len(result['errors'])} |",
            flush=True,
        )
    for error in errors[:20]:
        print("error:", error)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
