"""What every page benchmark shares: the production settings with bench values, gunicorn, wrk, checks.

Import this module before Django: it sets the environment the production settings require (gunicorn
inherits the same environment, so session hashes computed in the bench process are the server's).
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
for _name in ("DATABASE_URL", "REDIS_URL"):
    if not os.environ.get(_name):
        raise SystemExit(f"{_name} is not set: run a bench/run_*_bench.sh script, or see this file's docstring")
# The production settings module, with bench values for what it requires; gunicorn inherits the same environment,
# so the session auth hash computed here (it depends on SECRET_KEY) is the one the server checks.
os.environ.update(
    DJANGO_SETTINGS_MODULE="marketplace.settings.production",
    ALLOWED_HOSTS="127.0.0.1",
    WAGTAILADMIN_BASE_URL="http://127.0.0.1",
    SECURE_SSL_REDIRECT="False",
)
os.environ.setdefault("SECRET_KEY", "bench-not-a-secret-3f9c1e7a5b2d4068a1c9e7f5b3d1a8c6e4f2")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.finders import get_finders  # noqa: E402
from django.core.management import call_command  # noqa: E402

IGNORE_STATIC = ["CVS", ".*", "*~"]  # collectstatic's default ignore patterns


def collect_static() -> None:
    """The manifest storage renders no page without STATIC_ROOT/staticfiles.json: collect when a source is newer."""
    if settings.SETTINGS_MODULE != "marketplace.settings.production":  # another module set Django up first
        raise SystemExit(f"bench/serving.py must be imported before Django is set up ({settings.SETTINGS_MODULE})")
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        sources = (storage.path(path) for finder in get_finders() for path, storage in finder.list(IGNORE_STATIC))
        if max((os.stat(source).st_mtime for source in sources), default=0) <= manifest.stat().st_mtime:
            return
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"collectstatic into {settings.STATIC_ROOT} in {time.perf_counter() - started:.1f} s", flush=True)


@dataclass
class Page:
    path: str
    who: str  # "", "buyer" or "provider"
    must: list[str] = field(default_factory=list)
    must_not: list[str] = field(default_factory=list)


@dataclass
class Result:
    rps: float
    mean_ms: float
    p99_ms: float
    requests: int
    errors: str


def get(port: int, path: str, cookie: str) -> tuple[int, str, str]:
    """One GET, redirects not followed: (status, Location, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.getheader("Location", ""), response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def verify(port: int, page: Page, cookie: str) -> float:
    """Fail loudly unless the page answers 200 with what it must show (a login redirect is a failure too).

    Returns the request's milliseconds: one request alone, the latency a user sees on an idle server.
    """
    started = time.perf_counter()
    status, location, body = get(port, page.path, cookie)
    elapsed = (time.perf_counter() - started) * 1000
    problems = [f"status {status}{f' -> {location}' if location else ''}"] if status != 200 else []
    problems += [f"missing {s!r}" for s in page.must if s not in body]
    problems += [f"shows {s!r}, which it must not" for s in page.must_not if s in body]
    if problems:
        raise SystemExit(f"{page.path} ({page.who or 'anonymous'}): {'; '.join(problems)}")
    return elapsed


def start_gunicorn(port: int, workers: int, pidfile: str) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn if gunicorn.exists() else shutil.which("gunicorn") or "gunicorn"), "marketplace.wsgi"]
    command += ["-w", str(workers), "-b", f"127.0.0.1:{port}", "--pid", pidfile, "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            if get(port, "/healthz", "")[0] == 200:
                return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("gunicorn did not answer /healthz within 60 s")
        time.sleep(0.2)


def stop_gunicorn(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()  # graceful: the master stops its workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    """wrk's "16.72ms", "1.02s"; anything else (wrk prints "-nan%"-like values when it saw no reply) is NaN."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        print(f"  unreadable latency from wrk: {text!r}", flush=True)
        return float("nan")
    value, unit = match.groups()
    return float(value) * UNITS_MS[unit]


def wrk(port: int, path: str, cookie: str, seconds: int, connections: int) -> Result:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency"]
    command += [*(["-H", f"Cookie: {cookie}"] if cookie else []), f"http://127.0.0.1:{port}{path}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise SystemExit(f"{path}: {non_2xx.group(1)} responses were not 2xx/3xx\n{out}")
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return Result(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        mean_ms=_ms(re.search(r"Latency\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        # the "99%" row of the latency distribution, not a "+/- Stdev" column ending in 99% ("96.99%")
        p99_ms=_ms(re.search(r"^\s*99%\s+(\S+)", out, re.MULTILINE).group(1)),  # type: ignore[union-attr]
        requests=int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        errors=socket_errors.group(1) if socket_errors else "",
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Run:
    results: list[Result]
    alone_ms: list[float]
    load_before: float
    load_after: float


def measure_pages(measured: list[Page], headers: dict[str, str], args: argparse.Namespace) -> Run:
    """Start gunicorn, check every page, drive each with wrk (after a warm-up), then time each alone."""
    port = free_port()
    pidfile = args.pidfile or str(Path(tempfile.mkdtemp()) / "gunicorn.pid")
    server = start_gunicorn(port, args.workers, pidfile)
    load_before = os.getloadavg()[0]
    results: list[Result] = []
    try:
        for page in measured:
            verify(port, page, headers[page.who])
        for page in measured:
            if args.warmup:
                wrk(port, page.path, headers[page.who], args.warmup, args.connections)
            results.append(wrk(port, page.path, headers[page.who], args.duration, args.connections))
            print(f"  measured {page.path}", flush=True)
        # Checked again: the sessions held for the whole run, so every response measured was the page itself.
        # The fastest of three: the first may queue behind requests wrk left in flight.
        alone = [min(verify(port, page, headers[page.who]) for _ in range(3)) for page in measured]
    finally:
        stop_gunicorn(server)
    return Run(results, alone, load_before, os.getloadavg()[0])


def print_table(measured: list[Page], run: Run, args: argparse.Namespace) -> None:
    """Each page's rate, latencies and share of the first page's rate (/healthz, the constant response)."""
    print(
        f"gunicorn -w {args.workers} (production settings), wrk -t1 -c{args.connections} -d{args.duration}s "
        f"after {args.warmup}s warm-up, same run; load average {run.load_before:.1f} before, "
        f"{run.load_after:.1f} after ({os.cpu_count()} CPUs: other work on the machine shows up here)\n"
    )
    baseline = run.results[0].rps
    width = max(34, *(len(page.path) + 1 for page in measured))
    print(f"{'URL':{width}} {'who':9} {'req/s':>9} {'mean ms':>9} {'p99 ms':>9} {'alone ms':>9} {'vs /healthz':>12}")
    for page, r, ms in zip(measured, run.results, run.alone_ms, strict=True):
        note = f"  socket errors: {r.errors}" if r.errors else ""
        if r.requests:
            rps, mean, p99 = f"{r.rps:9.1f}", f"{r.mean_ms:9.2f}", f"{r.p99_ms:9.2f}"
        else:  # not one response within the run: slower than --duration under this load
            rps, mean, p99 = f"{'<' + format(1 / args.duration, '.2f'):>9}", f"{'-':>9}", f"{'-':>9}"
        print(f"{page.path:{width}} {page.who or '-':9} {rps} {mean} {p99} {ms:9.1f} {r.rps / baseline:12.2%}{note}")
    print("(alone ms: one request by itself on the idle server, after the runs)")
