import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.DEBUG, s.SESSION_COOKIE_NAME, "
    "s.MAILERS['default']['BACKEND'], s.LANGUAGE_COOKIE_SECURE)"
)

# Two requests that each read, think, then write in one transaction, at the same moment.
CONCURRENT_WRITES = """
import threading, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE visit (id INTEGER PRIMARY KEY, seen INTEGER)")
connection.close()
errors = []

def request():
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM visit")
                seen = cursor.fetchone()[0]
                time.sleep(0.3)
                cursor.execute("INSERT INTO visit (seen) VALUES (%s)", [seen])
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=request) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT seen FROM visit ORDER BY id")
    print(sorted(row[0] for row in cursor.fetchall()), errors)
"""


def _settings_with(env, code=PRINT_SETTINGS):
    """Run ``code`` with the real settings in a fresh interpreter with this environment."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "peacenet.settings"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_secret_key_is_required_when_debug_is_off():
    result = _settings_with({"DEBUG": "0", "DATABASE_URL": ""})

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_bad_boolean_fails_loudly():
    result = _settings_with({"DEBUG": "maybe"})

    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_tasks_go_to_the_database_and_mail_retry_delays_come_from_the_environment():
    code = (
        "from django.conf import settings as s; "
        "print(s.TASKS['default']['BACKEND'], [d.seconds for d in s.MAIL_RETRY_DELAYS])"
    )
    result = _settings_with({"DEBUG": "1", "MAIL_RETRY_DELAYS": "5, 30"}, code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django_tasks_db.DatabaseBackend [5, 30]"


def test_bad_mail_retry_delays_fail_loudly():
    result = _settings_with({"DEBUG": "1", "MAIL_RETRY_DELAYS": "60,soon"})

    assert result.returncode != 0
    assert "MAIL_RETRY_DELAYS must be whole numbers separated by commas" in result.stderr


def test_defaults_to_sqlite_and_console_email_in_debug():
    result = _settings_with({"DEBUG": "1", "DATABASE_URL": "", "EMAIL_HOST": ""})

    assert result.returncode == 0, result.stderr
    engine, debug, _cookie, mailer, _language_cookie_secure = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert debug == "True"
    assert mailer.endswith("console.EmailBackend")


def test_production_uses_postgres_smtp_and_host_prefixed_cookies():
    result = _settings_with(
        {
            "DEBUG": "0",
            "SECRET_KEY": "x" * 60,
            "DATABASE_URL": "postgres://peacenet@db.example/peacenet",
            "EMAIL_HOST": "smtp.example.org",
        }
    )

    assert result.returncode == 0, result.stderr
    engine, debug, cookie, mailer, language_cookie_secure = result.stdout.split()
    assert engine == "django.db.backends.postgresql"
    assert debug == "False"
    assert cookie == "__Host-sessionid"
    assert language_cookie_secure == "True"  # the chosen language travels over HTTPS only
    assert mailer.endswith("smtp.EmailBackend")


def test_sqlite_two_simultaneous_writers_wait_instead_of_failing(tmp_path):
    result = _settings_with(
        {"DEBUG": "1", "DATABASE_URL": "", "SQLITE_PATH": str(tmp_path / "local.sqlite3")},
        code=CONCURRENT_WRITES,
    )

    assert result.returncode == 0, result.stderr
    # The second writer waited for the first and saw its row; nobody hit "database is locked".
    assert result.stdout.strip() == "[0, 1] []"


@pytest.mark.django_db(transaction=True)
def test_sqlite_is_configured_for_concurrent_writes():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite configuration only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    assert connection.transaction_mode == "IMMEDIATE"


PRINT_CACHES = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps(s.CACHES, sort_keys=True))"
)


def test_caches_default_to_two_database_tables_security_apart_from_pages():
    result = _settings_with(
        {"DEBUG": "1", "REDIS_URL": "", "REDIS_PAGES_URL": ""}, code=PRINT_CACHES
    )

    assert result.returncode == 0, result.stderr
    caches = json.loads(result.stdout)
    assert set(caches) == {"default", "pages"}
    assert {cache["BACKEND"] for cache in caches.values()} == {
        "django.core.cache.backends.db.DatabaseCache"
    }
    assert caches["default"]["LOCATION"] != caches["pages"]["LOCATION"]
    # Security state has room far beyond the pages', so it is not culled with them.
    assert caches["default"]["OPTIONS"]["MAX_ENTRIES"] > caches["pages"]["OPTIONS"]["MAX_ENTRIES"]


def test_redis_url_puts_both_caches_on_redis_under_their_own_prefixes():
    url = "redis://cache.internal:6379/2"

    result = _settings_with(
        {"DEBUG": "1", "REDIS_URL": url, "REDIS_PAGES_URL": ""}, code=PRINT_CACHES
    )

    assert result.returncode == 0, result.stderr
    caches = json.loads(result.stdout)
    assert set(caches) == {"default", "pages"}
    for cache in caches.values():
        assert cache["BACKEND"] == "peacenet.lib.redis_cache.RedisCache"
        assert cache["LOCATION"] == url
    assert caches["default"]["KEY_PREFIX"] != caches["pages"]["KEY_PREFIX"]


def test_redis_pages_url_gives_the_page_cache_a_redis_of_its_own():
    result = _settings_with(
        {
            "DEBUG": "1",
            "REDIS_URL": "redis://security.internal:6379/0",
            "REDIS_PAGES_URL": "redis://pages.internal:6379/0",
        },
        code=PRINT_CACHES,
    )

    assert result.returncode == 0, result.stderr
    caches = json.loads(result.stdout)
    assert caches["default"]["LOCATION"] == "redis://security.internal:6379/0"
    assert caches["pages"]["LOCATION"] == "redis://pages.internal:6379/0"


@pytest.mark.parametrize("name", ["REDIS_URL", "REDIS_PAGES_URL"])
def test_a_redis_url_that_is_not_one_fails_loudly(name):
    result = _settings_with({"DEBUG": "1", name: "localhost:6379"}, code=PRINT_CACHES)

    assert result.returncode != 0
    assert f"{name} must start with redis://, rediss:// or unix://" in result.stderr


PRINT_MEDIA = (
    "import django; django.setup(); from django.conf import settings as s; "
    "from django.core.files.storage import default_storage as d; import json; "
    "print(json.dumps([s.STORAGES['default'], s.SECURE_CSP['img-src'], d.url('logos/a b.png')]))"
)
S3 = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 60,
    "S3_BUCKET": "peacenet-media",
    "S3_ENDPOINT_URL": "http://127.0.0.1:8333/",
    "S3_ACCESS_KEY_ID": "key-id",
    "S3_SECRET_ACCESS_KEY": "key-secret",
    "S3_REGION": "eu-west-1",
    "S3_PUBLIC_URL": "",
}


def _media_settings(env):
    result = _settings_with(env, code=PRINT_MEDIA)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_media_live_in_media_root_without_s3_bucket(tmp_path):
    storage, img_src, url = _media_settings(
        {"DEBUG": "1", "S3_BUCKET": "", "MEDIA_ROOT": str(tmp_path)}
    )

    assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert img_src == ["'self'", "data:"]
    assert url == "/media/logos/a%20b.png"


def test_s3_variables_switch_media_to_the_bucket_read_at_the_endpoint():
    storage, img_src, url = _media_settings(S3)

    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "peacenet-media"
    assert options["endpoint_url"] == "http://127.0.0.1:8333"
    assert (options["access_key"], options["secret_key"]) == ("key-id", "key-secret")
    assert options["region_name"] == "eu-west-1"
    assert options["addressing_style"] == "path"
    assert options["querystring_auth"] is False
    assert options["file_overwrite"] is False
    # Visitors' browsers read the logos from the store, and the CSP lets them.
    assert url == "http://127.0.0.1:8333/peacenet-media/logos/a%20b.png"
    assert img_src == ["'self'", "data:", "http://127.0.0.1:8333"]


def test_s3_public_url_serves_media_from_its_own_address():
    storage, img_src, url = _media_settings(
        {
            **S3,
            "S3_ENDPOINT_URL": "",
            "S3_REGION": "",
            "S3_PUBLIC_URL": "https://media.peacenet.example/",
        }
    )

    options = storage["OPTIONS"]
    assert options["endpoint_url"] is None
    assert options["region_name"] is None
    assert options["addressing_style"] is None
    assert url == "https://media.peacenet.example/logos/a%20b.png"
    assert img_src == ["'self'", "data:", "https://media.peacenet.example"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"S3_ENDPOINT_URL": ""}, "S3_BUCKET needs S3_ENDPOINT_URL or S3_PUBLIC_URL"),
        ({"S3_ENDPOINT_URL": "127.0.0.1:8333"}, "S3_ENDPOINT_URL must be an http:// or"),
        ({"S3_PUBLIC_URL": "ftp://media.example"}, "S3_PUBLIC_URL must be an http:// or"),
    ],
)
def test_bad_s3_variables_fail_loudly(env, message):
    result = _settings_with({**S3, **env}, code=PRINT_MEDIA)

    assert result.returncode != 0
    assert message in result.stderr


PRINT_SITE_URL = "from django.conf import settings as s; print(s.SITE_URL)"


@pytest.mark.parametrize(
    ("env", "site_url"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8060"}, "http://127.0.0.1:8060"),
        ({"HOST": "localhost", "PORT": "8060"}, "http://localhost:8060"),
        ({"HOST": "0.0.0.0", "PORT": "8060"}, "http://127.0.0.1:8060"),  # noqa: S104
        ({"HOST": "::1", "PORT": "8060"}, "http://[::1]:8060"),
        ({"PORT": "8060", "SITE_URL": "https://peacenet.example/"}, "https://peacenet.example"),
    ],
)
def test_site_url_follows_host_and_port_when_unset(env, site_url):
    unset = {"SITE_URL": "", "HOST": "", "PORT": ""}
    result = _settings_with({"DEBUG": "1", **unset, **env}, PRINT_SITE_URL)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == site_url


@pytest.mark.parametrize("port", ["eighty", "0", "70000"])
def test_a_bad_port_fails_loudly(port):
    result = _settings_with({"DEBUG": "1", "SITE_URL": "", "PORT": port}, PRINT_SITE_URL)

    assert result.returncode != 0
    assert "PORT must be" in result.stderr


def test_the_redis_cache_keeps_one_client_per_connection_pool():
    from peacenet.lib.redis_cache import RedisCache

    cache = RedisCache("redis://cache.internal:6379/2", {})

    client = cache._cache.get_client("a", write=True)

    assert client is cache._cache.get_client("b")
    assert client.connection_pool is cache._cache._get_connection_pool(write=True)


PRINT_SESSION_ENGINE = (
    "import django; django.setup(); from django.conf import settings as s; print(s.SESSION_ENGINE)"
)


def test_sessions_are_read_from_redis_when_there_is_one_and_kept_in_the_database():
    with_redis = _settings_with(
        {"DEBUG": "1", "REDIS_URL": "redis://cache.internal:6379/2"}, code=PRINT_SESSION_ENGINE
    )
    without = _settings_with({"DEBUG": "1", "REDIS_URL": ""}, code=PRINT_SESSION_ENGINE)

    assert with_redis.stdout.strip() == "django.contrib.sessions.backends.cached_db"
    assert without.stdout.strip() == "django.contrib.sessions.backends.db"
