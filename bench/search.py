"""Search benchmark: 100,000 services, latency of `search_services` for a fixed query mix, page vs constant rps.

Not a test. Intended for PostgreSQL (`bash bench/run_search_bench.sh` starts a throwaway one);
it also runs against whatever DATABASE_URL points at:

    DATABASE_URL=postgres://... .venv/bin/python bench/search.py --services 100000

It migrates, generates the services once (bulk_create, then one bulk index through the search
backend), then prints p50/p95/p99 per query and overall, for first requests (after an index write before each
round of the mix: cached counts and pages are stale, the landing search is counted again by the task, as in
production) and in steady state (warm cache), and the ratio of /search/?q=... requests
per second to /healthz (a constant response) served by the same threaded server in the same run.
"""

import argparse
import http.client
import os
import random
import sys
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from catalog.models import IndustryField, Provider, Service, ServiceCategory  # noqa: E402
from marketplace.organizations.models import Organization  # noqa: E402
from marketplace.organizations.uscc import check_character  # noqa: E402
from search import api  # noqa: E402
from search.backends.base import SearchFilters, SearchQuery, Sort  # noqa: E402
from search.backends.result_cache import bump_index_version  # noqa: E402
from search.documents import count_public_services  # noqa: E402

TESTS = [
    ("拉伸试验", "tensile test"),
    ("弯曲试验", "bend test"),
    ("冲击试验", "impact test"),
    ("硬度检测", "hardness testing"),
    ("疲劳试验", "fatigue test"),
    ("盐雾腐蚀试验", "salt spray corrosion test"),
    ("气动阀门寿命试验", "pneumatic valve life test"),
    ("电磁兼容测试", "electromagnetic compatibility test"),
    ("中试熟化", "pilot-scale maturation"),
    ("工艺验证", "process verification"),
    ("技术评价", "technology evaluation"),
    ("失效分析", "failure analysis"),
    ("尺寸测量", "dimensional measurement"),
    ("化学成分分析", "chemical composition analysis"),
    ("无损检测", "non-destructive testing"),
    ("知识产权分析", "IP landscape analysis"),
]
MATERIALS = [
    ("金属材料", "metallic materials"),
    ("复合材料", "composite materials"),
    ("高分子材料", "polymer materials"),
    ("锂电池", "lithium batteries"),
    ("光伏组件", "photovoltaic modules"),
    ("集成电路", "integrated circuits"),
    ("石墨烯", "graphene"),
    ("医疗器械", "medical devices"),
    ("汽车零部件", "automotive parts"),
    ("轨道交通装备", "rail transit equipment"),
    ("工业机器人", "industrial robots"),
    ("稀土永磁", "rare-earth magnets"),
]
STANDARDS = (
    ["GB/T 228.1-2021", "GB/T 232-2010", "GB/T 229-2020", "GB/T 231.1-2018", "GB/T 3075-2021", "GB/T 10125-2021"]
    + ["ISO 6892-1:2019", "ISO 9227:2022", "GB/T 17626.2-2018", "JB/T 7352-2010", "GB/T 2423.1-2008"]
    + [f"GB/T {n}-20{10 + n % 13}" for n in range(30000, 30060)]
)
REGIONS = [
    ("浙江省", "宁波市"),
    ("浙江省", "杭州市"),
    ("江苏省", "苏州市"),
    ("江苏省", "南京市"),
    ("广东省", "深圳市"),
    ("上海市", "上海市"),
    ("北京市", "北京市"),
    ("湖北省", "武汉市"),
    ("四川省", "成都市"),
    ("山东省", "青岛市"),
]
LEVELS = ["national", "provincial", "municipal", "platform"]
PRICING = ["fixed", "per_unit", "per_hour", "quote_only"]
BATCH = 5000


def _uscc(n: int) -> str:
    body = f"91440300MB{n:07d}"
    return body + check_character(body)


def generate(count: int, seed: int = 5) -> None:
    """Categories, fields, 300 providers and `count` published services, then one bulk index."""
    rng = random.Random(seed)
    roots = [
        ServiceCategory.objects.get_or_create(slug=f"bench-{i}", defaults={"name_zh": f"类别{i}", "name_en": f"C{i}"})[
            0
        ]
        for i in range(7)
    ]
    children = [
        ServiceCategory.objects.get_or_create(
            slug=f"bench-{r.pk}-{j}", defaults={"name_zh": f"子类{j}", "name_en": f"S{j}", "parent": r}
        )[0]
        for r in roots
        for j in range(3)
    ]
    fields = [
        IndustryField.objects.get_or_create(slug=f"bench-{i}", defaults={"name_zh": f"领域{i}", "name_en": f"F{i}"})[0]
        for i in range(10)
    ]
    now = timezone.now()
    orgs = Organization.objects.bulk_create(
        Organization(kind="provider", name=f"基准中心{i}", uscc=_uscc(i), province=p, city=c, verified_at=now)
        for i, (p, c) in ((i, REGIONS[i % len(REGIONS)]) for i in range(300))
    )
    providers = Provider.objects.bulk_create(
        Provider(
            organization=o,
            slug=f"bench-provider-{i}",
            name_zh=f"{o.city}{MATERIALS[i % len(MATERIALS)][0]}创新中心{i}",
            name_en=f"Innovation Center {i}",
            level=LEVELS[i % 4],
            province=o.province,
            city=o.city,
            verification="verified" if i % 20 else "pending",
            verified_at=now if i % 20 else None,
        )
        for i, o in enumerate(orgs)
    )
    categories = roots + children
    for start in range(0, count, BATCH):
        services = []
        for n in range(start, min(start + BATCH, count)):
            test_zh, test_en = rng.choice(TESTS)
            mat_zh, mat_en = rng.choice(MATERIALS)
            pricing = rng.choice(PRICING)
            codes = rng.sample(STANDARDS, rng.randint(0, 3))
            services.append(
                Service(
                    provider=rng.choice(providers),
                    category=rng.choice(categories),
                    field=rng.choice(fields),
                    slug=f"bench-{n}",
                    title_zh=f"{mat_zh}{test_zh}",
                    title_en=f"{test_en.capitalize()} of {mat_en}",
                    summary_zh=f"面向{mat_zh}企业提供{test_zh}服务，出具具备CMA资质的报告。",
                    summary_en=f"{test_en.capitalize()} for {mat_en} makers with an accredited report.",
                    description_zh=f"依据{'、'.join(codes) or '企业标准'}开展{test_zh}，样品数量按需确定，支持加急。",
                    description_en=f"Performed to {', '.join(codes) or 'company standards'}; rush service available.",
                    standards=codes,
                    pricing_mode=pricing,
                    price=None if pricing == "quote_only" else Decimal(rng.randrange(50, 50000)),
                    turnaround_days=rng.randint(1, 60),
                    status="published" if n % 25 else "draft",
                    published_at=now - timedelta(minutes=n) if n % 25 else None,
                )
            )
        Service.objects.bulk_create(services)
        print(f"  services {min(start + BATCH, count):,}/{count:,}", flush=True)


def query_mix(categories: list[int]) -> list[tuple[str, SearchQuery]]:
    return [
        ("zh 拉伸试验", SearchQuery(text="拉伸试验")),
        ("zh 中试", SearchQuery(text="中试")),
        ("zh 锂电池 疲劳试验", SearchQuery(text="锂电池 疲劳试验")),
        ("en tensile test", SearchQuery(text="tensile test")),
        ("en pneumatic valve life test", SearchQuery(text="pneumatic valve life test")),
        ("mixed 石墨烯 failure analysis", SearchQuery(text="石墨烯 failure analysis")),
        ("code GB/T 228.1", SearchQuery(text="GB/T 228.1")),
        ("code GB/T 30017", SearchQuery(text="GB/T 30017")),
        (
            "filtered 试验 浙江省+category+price",
            SearchQuery(
                text="试验",
                filters=SearchFilters(province="浙江省", category=categories[0], price_max=Decimal(5000)),
                sort=Sort.PRICE_ASC,
            ),
        ),
        ("facets only (empty query)", SearchQuery()),
        ("empty query page 20, newest", SearchQuery(sort=Sort.NEWEST, page=20)),
    ]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def index_write() -> None:
    """What an indexing task does to the caches: a new index version (every cached count and page is stale),
    then the landing search counted again. The vocabulary and synonyms stay cached, as they do in production."""
    bump_index_version()
    api.warm_landing_search()


def timed_rounds(mix: list[tuple[str, SearchQuery]], rounds: int, cold: bool) -> dict[str, list[float]]:
    """Milliseconds per query of the mix over `rounds` rounds; `cold`: an index write before each round."""
    per_query: dict[str, list[float]] = {name: [] for name, _ in mix}
    for _ in range(rounds):
        if cold:
            index_write()
        for name, q in mix:
            started = time.perf_counter()
            api.search_services(q)
            per_query[name].append((time.perf_counter() - started) * 1000)
    return per_query


def report(title: str, mix: list[tuple[str, SearchQuery]], per_query: dict[str, list[float]]) -> None:
    print(f"\n{title}")
    print(f"{'query':42} {'p50':>8} {'p95':>8} {'p99':>8} {'hits':>8}")
    for name, q in mix:
        times = per_query[name]
        total = api.search_services(q).total
        p50, p95, p99 = (percentile(times, p) for p in (50, 95, 99))
        print(f"{name:42} {p50:8.1f} {p95:8.1f} {p99:8.1f} {total:8,}")
    everything = [t for times in per_query.values() for t in times]
    p50, p95, p99 = (percentile(everything, p) for p in (50, 95, 99))
    print(f"{'ALL':42} {p50:8.1f} {p95:8.1f} {p99:8.1f}")


def measure(rounds: int) -> None:
    categories = list(ServiceCategory.objects.filter(parent=None).values_list("pk", flat=True))
    mix = query_mix(categories)
    for _name, q in mix:  # warm the database's buffers and plans
        api.search_services(q)
    cold = timed_rounds(mix, rounds, cold=True)
    warm = timed_rounds(mix, rounds, cold=False)
    report(f"first request after an index write: search_services latency over {rounds} rounds (ms)", mix, cold)
    report(f"steady state: search_services latency over {rounds} rounds, warm cache (ms)", mix, warm)
    landing = []
    for _ in range(rounds):
        bump_index_version()  # no warming: what the indexing task's warm-up costs, and a visitor if it did not run
        started = time.perf_counter()
        api.search_services(SearchQuery())
        landing.append((time.perf_counter() - started) * 1000)
    print(
        f"\nlanding search not warmed (the warm-up's own cost): p50 {percentile(landing, 50):.1f} ms, "
        f"p95 {percentile(landing, 95):.1f} ms"
    )


def serve() -> tuple[ThreadedWSGIServer, int]:
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def requests_per_second(port: int, paths: list[str], n: int, workers: int) -> float:
    """n GET requests spread over `workers` client threads; every response must be 200."""
    failures: list[str] = []

    def worker(count: int, offset: int) -> None:
        for i in range(count):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            path = paths[(offset + i) % len(paths)]
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures.append(f"{path} -> {response.status}")
            conn.close()

    threads = [threading.Thread(target=worker, args=(n // workers, w)) for w in range(workers)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"requests failed: {failures[:3]}")
    return (n // workers) * workers / elapsed


def http_ratio(n: int, workers: int) -> None:
    server, port = serve()
    queries = ["拉伸试验", "tensile test", "GB/T 228.1", "中试", "pneumatic valve life test"]
    search_paths = [f"/search/?q={quote(q)}" for q in queries] + [
        f"/search/?q={quote('试验')}&province={quote('浙江省')}"
    ]
    timed: Callable[[list[str]], float] = lambda paths: requests_per_second(port, paths, n, workers)  # noqa: E731
    timed(["/healthz"] * 2 + search_paths[:2])  # warm up
    constant = timed(["/healthz"])
    page = timed(search_paths)
    server.shutdown()
    print(f"\nHTTP ({n} requests, {workers} client threads, Django threaded server, same process)")
    print(f"  /healthz (constant): {constant:8.1f} req/s")
    print(f"  /search/?q=...     : {page:8.1f} req/s")
    print(f"  ratio search/constant: {page / constant:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    print(f"database: {connection.vendor}, backend: {os.environ.get('SEARCH_BACKEND', 'database')}")
    call_command("migrate", verbosity=0)
    if Service.objects.filter(slug__startswith="bench-").count() < args.services:
        started = time.perf_counter()
        generate(args.services)
        print(f"generated in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        api.rebuild_index()
        print(f"indexed {count_public_services():,} public services in {time.perf_counter() - started:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE search_servicedocument")
    measure(args.rounds)
    http_ratio(args.requests, args.workers)


if __name__ == "__main__":
    main()
