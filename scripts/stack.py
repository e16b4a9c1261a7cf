"""PeaceNet on real engines, on loopback only, around one command (run by scripts/with-stack).

Expects DATABASE_URL to point at an empty PostgreSQL database (scripts/with-postgres makes
one). Starts Redis, SeaweedFS with an S3 bucket, an SMTP sink (aiosmtpd), two gunicorn app
servers with DEBUG off, the task worker and nginx terminating TLS in front of both app
servers with a throwaway certificate; prepares the site (migrate, createcachetable,
collectstatic, compilemessages); runs the command with the stack's variables; and stops all
of it, whatever the command returned.

Variables the command gets, beside every setting the app servers run with:

- ``STACK_URL``: nginx's https:// address, balancing over both app servers;
- ``STACK_HTTP_URL``: nginx's plain-HTTP address, which redirects to HTTPS;
- ``STACK_URL_A`` / ``STACK_URL_B``: nginx (same TLS and headers) in front of one app server;
- ``STACK_CA_CERT``: the certificate to verify those addresses with;
- ``STACK_APP_A`` / ``STACK_APP_B``: each app server's own address (plain HTTP, host:port);
- ``STACK_APP_WORKERS``: how many gunicorn workers each app server runs;
- ``STACK_MAILDIR``: the Maildir where the SMTP sink puts every message it accepts;
- ``STACK_MEDIA_ROOT``: the folder nginx serves at /media/ (the local-media mode);
- ``STACK_CONTROL``: a folder holding ``app-a.pid``, ``app-b.pid`` and ``smtp.pid`` (process
  group ids: kill one to take that service down); create ``start-app-a`` (or ``-app-b``,
  ``-smtp``) there and the service is started again once it is down, the file removed when
  it answers.
"""

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEPLOY_NGINX = ROOT / "deploy" / "nginx"
BUCKET = "peacenet-media"
READY_SECONDS = 90
APP_WORKERS = 2  # gunicorn sync workers per app server: each answers one request at a time


def log(message):
    print(f"with-stack: {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(what, check, seconds=READY_SECONDS, process=None):
    """Call ``check`` until it returns true; fail if ``process`` exits or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if check():
                return
        except Exception as error:  # not ready yet, whatever the reason
            last = error
        else:
            last = None
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} not ready after {seconds} s ({last!r})")
        time.sleep(0.1)


def port_open(port):
    with socket.create_connection(("127.0.0.1", port), timeout=1):
        return True


def http_ok(url, context=None):
    with urllib.request.urlopen(url, timeout=5, context=context) as response:  # noqa: S310
        return response.status == 200


class Stack:
    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="peacenet-stack."))
        self.tmp.chmod(0o755)  # nginx's workers read the media folder
        self.logs = self.tmp / "logs"
        self.control = self.tmp / "control"
        self.media = self.tmp / "media"
        self.maildir = self.tmp / "maildir"
        for folder in (self.logs, self.control, self.media):
            folder.mkdir(mode=0o755)
        self.services = {}  # name -> (Popen, start function)
        self.port = {
            name: free_port()
            for name in (
                "redis", "smtp", "app-a", "app-b", "https", "http", "https-a", "https-b",
                "s3", "s3-grpc", "master", "master-grpc", "volume", "volume-grpc",
                "filer", "filer-grpc",
            )
        }  # fmt: skip
        self.url = f"https://127.0.0.1:{self.port['https']}"
        self.env = self.app_environment()

    # The processes -------------------------------------------------------------------

    def spawn(self, name, args, env=None):
        log_file = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env or self.env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole
        )
        log_file.close()
        (self.control / f"{name}.pid").write_text(str(process.pid))
        return process

    def start(self, name):
        starter = getattr(self, "start_" + name.replace("-", "_"))
        self.services[name] = starter(name)
        return self.services[name]

    def stop_all(self):
        for process in reversed(list(self.services.values())):
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        deadline = time.monotonic() + 10
        for process in self.services.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

    def show_logs(self, lines=40):
        for path in sorted(self.logs.glob("*.log")):
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            print(f"---- {path.name} (last {len(tail)} lines)", file=sys.stderr)
            print("\n".join(tail), file=sys.stderr)

    # The engines ---------------------------------------------------------------------

    def start_redis(self, name):
        redis = shutil.which("redis-server") or sys.exit(
            "redis-server is not installed (apt-get install redis-server)."
        )
        folder = self.tmp / "redis"
        folder.mkdir(exist_ok=True)
        process = self.spawn(
            name,
            [
                redis, "--port", str(self.port["redis"]), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(folder),
                "--daemonize", "no",
            ],
        )  # fmt: skip
        wait_until("Redis", lambda: port_open(self.port["redis"]), process=process)
        return process

    def start_seaweedfs(self, name):
        folder = self.tmp / "seaweedfs"
        folder.mkdir(exist_ok=True)
        config = folder / "s3.json"
        identities = [
            {
                "name": "peacenet",
                "credentials": [
                    {"accessKey": self.env["S3_ACCESS_KEY_ID"],
                     "secretKey": self.env["S3_SECRET_ACCESS_KEY"]}
                ],
                "actions": ["Admin", "Read", "List", "Tagging", "Write"],
            },
            # Visitors' browsers read the logos straight from the store.
            {"name": "anonymous", "actions": ["Read"]},
        ]  # fmt: skip
        config.write_text(json.dumps({"identities": identities}))
        port = self.port
        process = self.spawn(
            name,
            [
                str(BIN / "weed"), "server", f"-dir={folder}", "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1", "-master.telemetry=false", "-volume.max=0",
                "-master.volumeSizeLimitMB=64",
                f"-master.port={port['master']}", f"-master.port.grpc={port['master-grpc']}",
                f"-volume.port={port['volume']}", f"-volume.port.grpc={port['volume-grpc']}",
                f"-filer.port={port['filer']}", f"-filer.port.grpc={port['filer-grpc']}",
                f"-filer.localSocket={folder}/filer.sock",
                "-s3", f"-s3.port={port['s3']}", f"-s3.port.grpc={port['s3-grpc']}",
                f"-s3.localSocket={folder}/s3.sock", f"-s3.config={config}",
                "-s3.port.iceberg=0", "-s3.port.lance=0",
            ],
        )  # fmt: skip
        wait_until("SeaweedFS's S3 bucket", self.create_bucket, process=process)
        return process

    def create_bucket(self):
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=self.env["S3_ENDPOINT_URL"],
            aws_access_key_id=self.env["S3_ACCESS_KEY_ID"],
            aws_secret_access_key=self.env["S3_SECRET_ACCESS_KEY"],
            region_name=self.env["S3_REGION"],
        )
        client.create_bucket(Bucket=BUCKET)
        return True

    def start_smtp(self, name):
        process = self.spawn(
            name,
            [
                sys.executable, "-m", "aiosmtpd", "--nosetuid",
                "--listen", f"127.0.0.1:{self.port['smtp']}",
                "--class", "aiosmtpd.handlers.Mailbox", str(self.maildir),
            ],
        )  # fmt: skip
        wait_until("the SMTP sink", lambda: port_open(self.port["smtp"]), process=process)
        return process

    # PeaceNet --------------------------------------------------------------------------

    def app_environment(self):
        port = self.port
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="peacenet.settings",
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            SITE_URL=self.url,
            TRUSTED_PROXY_COUNT="1",
            REDIS_URL=f"redis://127.0.0.1:{port['redis']}/0",
            S3_BUCKET=BUCKET,
            S3_ENDPOINT_URL=f"http://127.0.0.1:{port['s3']}",
            S3_ACCESS_KEY_ID="peacenet",
            S3_SECRET_ACCESS_KEY=secrets.token_urlsafe(24),
            S3_REGION="us-east-1",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(port["smtp"]),
            EMAIL_USE_TLS="0",
            # A mail that could not be delivered is tried again within seconds here.
            MAIL_RETRY_DELAYS="2,2,2,2,2,2",
            LOG_LEVEL="WARNING",
            STACK_URL=self.url,
            STACK_HTTP_URL=f"http://127.0.0.1:{port['http']}",
            STACK_URL_A=f"https://127.0.0.1:{port['https-a']}",
            STACK_URL_B=f"https://127.0.0.1:{port['https-b']}",
            STACK_CA_CERT=str(self.tmp / "tls" / "cert.pem"),
            STACK_APP_A=f"127.0.0.1:{port['app-a']}",
            STACK_APP_B=f"127.0.0.1:{port['app-b']}",
            STACK_APP_WORKERS=str(APP_WORKERS),
            STACK_MAILDIR=str(self.maildir),
            STACK_MEDIA_ROOT=str(self.media),
            STACK_CONTROL=str(self.control),
        )
        env.pop("S3_PUBLIC_URL", None)
        return env

    def manage(self, *args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True)

    def prepare_site(self):
        self.manage("migrate", "--noinput", "-v0")
        self.manage("createcachetable")
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("compilemessages", "--ignore=.venv", "-v0")

    def start_app_a(self, name):
        return self.start_app(name, "app-a")

    def start_app_b(self, name):
        return self.start_app(name, "app-b")

    def start_app(self, name, server_name):
        port = self.port[name]
        process = self.spawn(
            name,
            [
                str(BIN / "gunicorn"), "peacenet.wsgi", "--bind", f"127.0.0.1:{port}",
                "--workers", str(APP_WORKERS), "--timeout", "30", "--graceful-timeout", "5",
                "--control-socket", str(self.tmp / f"{name}.ctl"),
            ],
            env={**self.env, "SERVER_NAME": server_name},
        )  # fmt: skip
        wait_until(
            f"app server {server_name}",
            lambda: http_ok(f"http://127.0.0.1:{port}/healthz"),
            process=process,
        )
        return process

    def start_worker(self, name):
        return self.spawn(
            name,
            [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"],
        )

    # nginx -----------------------------------------------------------------------------

    def make_certificate(self):
        folder = self.tmp / "tls"
        folder.mkdir()
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip

    def nginx_config(self):
        """deploy/nginx/peacenet.conf with loopback addresses, plus one server per app
        server so a test can reach each one through nginx on its own."""
        port, tls = self.port, self.tmp / "tls"
        site = (DEPLOY_NGINX / "peacenet.conf").read_text()
        for production, here in [
            ("server 127.0.0.1:8001 ", f"server 127.0.0.1:{port['app-a']} "),
            ("server 127.0.0.1:8002 ", f"server 127.0.0.1:{port['app-b']} "),
            ("    listen [::]:80;\n", ""),
            ("    listen [::]:443 ssl http2;\n", ""),
            ("listen 80;", f"listen 127.0.0.1:{port['http']};"),
            ("listen 443 ssl http2;", f"listen 127.0.0.1:{port['https']} ssl http2;"),
            ("https://$host$request_uri", f"https://$host:{port['https']}$request_uri"),
            ("/etc/letsencrypt/live/peacenet.example/fullchain.pem", str(tls / "cert.pem")),
            ("/etc/letsencrypt/live/peacenet.example/privkey.pem", str(tls / "key.pem")),
            ("/srv/peacenet/media/", f"{self.media}/"),
            ("/etc/nginx/snippets/peacenet-proxy.conf", str(DEPLOY_NGINX / "peacenet-proxy.conf")),
        ]:
            if production not in site:
                raise RuntimeError(f"deploy/nginx/peacenet.conf no longer has {production!r}")
            site = site.replace(production, here)
        one_server = "\n".join(
            f"""
    server {{
        listen 127.0.0.1:{port["https-" + letter]} ssl;
        ssl_certificate {tls / "cert.pem"};
        ssl_certificate_key {tls / "key.pem"};
        client_max_body_size 6m;
        location / {{
            proxy_pass http://127.0.0.1:{port["app-" + letter]};
            include {DEPLOY_NGINX / "peacenet-proxy.conf"};
        }}
    }}"""
            for letter in "ab"
        )
        nginx = self.tmp / "nginx"
        temp = "\n".join(
            f"    {kind}_temp_path {nginx}/{kind}_temp;"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        return f"""daemon off;
worker_processes 2;
pid {nginx}/nginx.pid;
error_log {self.logs}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {self.logs}/nginx-access.log;
{temp}
{site}
{one_server}
}}
"""

    def start_nginx(self, name):
        nginx = shutil.which("nginx") or next(
            (path for path in ("/usr/sbin/nginx",) if Path(path).exists()), None
        )
        if not nginx:
            sys.exit("nginx is not installed (apt-get install nginx).")
        folder = self.tmp / "nginx"
        folder.mkdir(mode=0o755)
        config = folder / "nginx.conf"
        config.write_text(self.nginx_config())
        subprocess.run([nginx, "-t", "-q", "-c", str(config), "-p", str(folder)], check=True)
        process = self.spawn(name, [nginx, "-c", str(config), "-p", str(folder)])
        import ssl

        context = ssl.create_default_context(cafile=self.env["STACK_CA_CERT"])
        for url in (self.url, self.env["STACK_URL_A"], self.env["STACK_URL_B"]):
            wait_until(
                f"nginx at {url}",
                lambda url=url: http_ok(f"{url}/healthz", context),
                process=process,
            )
        return process

    # Running the command ---------------------------------------------------------------

    def serve_requests(self):
        """Start again a service whose start-NAME file appeared, once it is down."""
        for request in self.control.glob("start-*"):
            name = request.name.removeprefix("start-")
            process = self.services.get(name)
            if process is None:
                request.unlink()
                continue
            if process.poll() is None:
                continue  # still shutting down: wait for it
            log(f"starting {name} again")
            self.start(name)
            request.unlink()

    def run(self, command):
        self.make_certificate()
        for name in ("redis", "seaweedfs", "smtp"):
            self.start(name)
        self.prepare_site()
        for name in ("app-a", "app-b", "worker", "nginx"):
            self.start(name)
        log(f"ready at {self.url} (logs in {self.logs})")
        child = subprocess.Popen(command, env=self.env)
        while child.poll() is None:
            self.serve_requests()
            time.sleep(0.1)
        return child.returncode


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: scripts/with-stack COMMAND [ARGS...]")
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point at an empty PostgreSQL database (with-postgres).")
    # Stopped by a signal: leave through the finally clause below, stopping everything.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda number, _frame: sys.exit(128 + number))
    stack = Stack()
    returncode = 1
    try:
        returncode = stack.run(sys.argv[1:])
    except Exception as error:
        log(f"failed: {error}")
        raise
    finally:
        stack.stop_all()
        if returncode != 0:
            stack.show_logs()
        shutil.rmtree(stack.tmp, ignore_errors=True)
    sys.exit(returncode)


if __name__ == "__main__":
    main()
