"""Order-list page benchmark: "My orders" and "Incoming" under gunicorn with the production settings, driven by wrk.

Not a test. `bash bench/run_orders_bench.sh --orders 100000` starts a throwaway PostgreSQL 15 and Redis and runs
it; it also runs against whatever DATABASE_URL and REDIS_URL point at (PostgreSQL only; bench rows are
recognised by their organizations' codes and replaced when their number differs from --orders):

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/orders.py --orders 100000

Everything runs with marketplace.settings.production (its required variables get bench values here). It
migrates; generates, once per N, N orders of one buyer organization plus N/9 orders of nine other buyers
(10 % of the rows, so the buyer filter matters), in time order over two years, statuses spread over
Order.Status, each with its thread and line, one in ten with a message from the provider; signs a buyer
and a provider user in (cache sessions in Redis, as in production); collects static files (the manifest
storage cannot render a page without them); starts gunicorn and measures each list URL with wrk in the same
run as /healthz and as an empty signed-in list (the layout's own cost), after checking that every URL
answers 200 with the orders it must and must not show.
--explain then prints the SQL each page runs, with EXPLAIN ANALYZE of the statements slower than --slow-ms.
"""

import argparse
import math
import random
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock
from decimal import ROUND_HALF_UP, Decimal
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, models, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.serving import (
    Page,
    collect_static,
    measure_pages,
    print_table,
)
from catalog.models import Equipment, Provider, Service, ServiceCategory
from marketplace.accounts.models import User
from marketplace.organizations.models import Membership, Organization
from marketplace.organizations.permissions import OPERATORS_GROUP
from marketplace.organizations.uscc import check_character
from orders.booking import CHINA, week_start
from orders.models import Booking, BookingPolicy, Message, OpeningHours, Order, OrderLine, Thread
from orders.views import PAGE_SIZE

BATCH = 5000
OTHER_BUYERS = 9
PROVIDERS = 10
BIG_PROVIDER_SHARE = 0.3  # provider 0 (the provider user's center) receives this share of every buyer's orders
SPAN = timedelta(days=730)
VAT = Decimal("0.06")
CENT = Decimal("0.01")
STATUS_WEIGHTS = {
    Order.Status.PENDING_PAYMENT: 8,
    Order.Status.PAID: 10,
    Order.Status.SAMPLE_RECEIVED: 7,
    Order.Status.IN_PROGRESS: 10,
    Order.Status.REPORT_ISSUED: 8,
    Order.Status.COMPLETED: 45,
    Order.Status.CANCELLED: 9,
    Order.Status.REFUNDED: 3,
}
PAID = {"paid", "sample_received", "in_progress", "report_issued", "completed", "refunded"}
RECEIVED = {"sample_received", "in_progress", "report_issued", "completed"}
SERVICES = [
    ("tensile", "金属材料拉伸试验", "Tensile test of metallic materials", Decimal("800.00")),
    ("salt-spray", "盐雾腐蚀试验", "Salt spray corrosion test", Decimal("1500.00")),
    ("emc", "电磁兼容测试", "Electromagnetic compatibility test", Decimal("12000.00")),
]
BUYER_EMAIL = "bench-buyer@orders-bench.example.cn"
BOOKINGS = 2_000
BENCH_INSTRUMENT = "Bench universal testing machine"
BENCH_INSTRUMENT_ZH = "基准万能试验机"
PROVIDER_EMAIL = "bench-provider@orders-bench.example.cn"
OPERATOR_EMAIL = "bench-operator@orders-bench.example.cn"


def _uscc(n: int) -> str:
    body = f"91330200MA{n:07d}"
    return body + check_character(body)


@dataclass
class Parties:
    buyer: Organization
    others: list[Organization]
    providers: list[Provider]
    services: list[list[Service]]
    buyer_user: User
    provider_user: User

    @property
    def buyer_ids(self) -> list[int]:
        return [self.buyer.pk, *(o.pk for o in self.others)]


def _organization(n: int, kind: str, name: str, now: Any) -> Organization:
    org, _ = Organization.objects.get_or_create(
        uscc=_uscc(n), defaults={"kind": kind, "name": name, "province": "浙江省", "city": "宁波市", "verified_at": now}
    )
    return org


def _user(email: str, organization: Organization) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None)  # unusable password: sessions only
    Membership.objects.get_or_create(user=user, organization=organization, defaults={"role": Membership.Role.OWNER})
    return user


def parties() -> Parties:
    """Organizations, verified providers, their services and the two users; created once, found afterwards.

    Catalog rows are bulk-created so that no search-indexing task is queued on the (worker-less) broker.
    """
    now = timezone.now()
    buyer = _organization(0, "enterprise", "宁波基准精密制造有限公司", now)
    others = [_organization(i, "enterprise", f"基准采购企业{i}", now) for i in range(1, OTHER_BUYERS + 1)]
    category = ServiceCategory.objects.filter(slug="bench-orders").first()
    if category is None:
        (category,) = ServiceCategory.objects.bulk_create(
            [ServiceCategory(slug="bench-orders", name_zh="检验检测", name_en="Testing")]
        )
    providers = []
    for i in range(PROVIDERS):
        org = _organization(100 + i, "provider", f"基准检测中心{i}有限公司", now)
        provider = Provider.objects.filter(organization=org).first()
        if provider is None:
            (provider,) = Provider.objects.bulk_create(
                [
                    Provider(
                        organization=org,
                        slug=f"bench-orders-provider-{i}",
                        name_zh=f"宁波材料检测创新中心{i}",
                        name_en=f"Ningbo Materials Testing Center {i}",
                        level="provincial",
                        province=org.province,
                        city=org.city,
                        verification="verified",
                        verified_at=now,
                    )
                ]
            )
        providers.append(provider)
    services = []
    for provider in providers:
        existing = {s.slug: s for s in Service.objects.filter(provider=provider, slug__startswith="bench-orders-")}
        missing = [
            Service(
                provider=provider,
                category=category,
                slug=f"bench-orders-{slug}",
                title_zh=title_zh,
                title_en=title_en,
                pricing_mode="fixed",
                price=price,
                turnaround_days=5,
                status="published",
                published_at=now,
            )
            for slug, title_zh, title_en, price in SERVICES
            if f"bench-orders-{slug}" not in existing
        ]
        services.append([*existing.values(), *Service.objects.bulk_create(missing)])
    return Parties(
        buyer, others, providers, services, _user(BUYER_EMAIL, buyer), _user(PROVIDER_EMAIL, providers[0].organization)
    )


@contextmanager
def explicit_created_at(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the created_at we set (auto_now_add would stamp every row with now)."""
    fields: list[Any] = [m._meta.get_field("created_at") for m in model_classes]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Ids from the table's own sequence, so that numbers can embed the id, as orders.services does."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def delete_orders(buyer_ids: list[int]) -> None:
    """Remove earlier bench orders (another N); their threads, lines and messages go with them."""
    t = {m.__name__: m._meta.db_table for m in (Order, OrderLine, Thread, Message, Booking)}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {t['Booking']} WHERE order_id IN (SELECT id FROM {t['Order']} WHERE buyer_id = ANY(%s))",  # noqa: S608
            [buyer_ids],
        )
        cursor.execute(
            f"DELETE FROM {t['Message']} WHERE thread_id IN (SELECT id FROM {t['Thread']} WHERE buyer_id = ANY(%s))",  # noqa: S608
            [buyer_ids],
        )
        cursor.execute(
            f"DELETE FROM {t['OrderLine']} WHERE order_id IN (SELECT id FROM {t['Order']} WHERE buyer_id = ANY(%s))",  # noqa: S608
            [buyer_ids],
        )
        cursor.execute(f"DELETE FROM {t['Order']} WHERE buyer_id = ANY(%s)", [buyer_ids])  # noqa: S608
        cursor.execute(f"DELETE FROM {t['Thread']} WHERE buyer_id = ANY(%s)", [buyer_ids])  # noqa: S608


def generate(n: int, p: Parties, seed: int = 7) -> None:
    """n orders of p.buyer and n // 9 of the other buyers, interleaved evenly, oldest first, numbered by id."""
    rng = random.Random(seed)
    others_n = n // 9
    total = n + others_n
    now = timezone.now()
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    with explicit_created_at(Thread, Order, Message):
        for start in range(0, total, BATCH):
            stop = min(start + BATCH, total)
            rows = []
            for i in range(start, stop):
                created = now - SPAN + SPAN * ((i + 1) / total)
                is_other = (i + 1) * others_n // total > i * others_n // total
                buyer = p.others[i % OTHER_BUYERS] if is_other else p.buyer
                k = 0 if rng.random() < BIG_PROVIDER_SHARE else rng.randrange(1, PROVIDERS)
                rows.append((i, created, buyer, k, rng.choice(p.services[k]), rng.choices(statuses, weights)[0]))
            with transaction.atomic():
                threads = Thread.objects.bulk_create(
                    [
                        Thread(
                            buyer=buyer,
                            provider=p.providers[k],
                            created_at=created,
                            last_message_at=created + timedelta(hours=2) if i % 10 == 0 else None,
                        )
                        for i, created, buyer, k, _service, _status in rows
                    ]
                )
                orders, lines, messages = [], [], []
                for pk, thread, (i, created, buyer, k, service, status) in zip(
                    reserve_ids(Order, len(rows)), threads, rows, strict=True
                ):
                    price = service.price
                    assert price is not None  # bench services are fixed-price
                    quantity = rng.randint(1, 20)
                    subtotal = price * quantity
                    vat = (subtotal * VAT).quantize(CENT, ROUND_HALF_UP)
                    total_amount = subtotal + vat
                    orders.append(
                        Order(
                            pk=pk,
                            number=f"SO-{timezone.localtime(created):%Y%m%d}-{pk:06d}",
                            buyer=buyer,
                            provider=p.providers[k],
                            service=service,
                            thread=thread,
                            status=status,
                            subtotal=subtotal,
                            vat_rate=VAT,
                            vat_amount=vat,
                            total=total_amount,
                            amount_refunded=total_amount if status == "refunded" else Decimal("0.00"),
                            shipping_method="courier" if status in RECEIVED else "",
                            paid_at=created + timedelta(hours=1) if status in PAID else None,
                            sample_received_at=created + timedelta(days=2) if status in RECEIVED else None,
                            report_issued_at=created + timedelta(days=7)
                            if status in ("report_issued", "completed")
                            else None,
                            completed_at=created + timedelta(days=10) if status == "completed" else None,
                            cancelled_at=created + timedelta(hours=5) if status == "cancelled" else None,
                            cancel_reason="需求变更" if status == "cancelled" else "",
                            created_at=created,
                        )
                    )
                    lines.append(
                        OrderLine(
                            order_id=pk,
                            position=1,
                            service=service,
                            description=f"{service.title_zh} / {service.title_en}",
                            quantity=Decimal(quantity),
                            unit="件",
                            unit_price=price,
                            amount=subtotal,
                        )
                    )
                    if i % 10 == 0:
                        messages.append(
                            Message(
                                thread=thread,
                                sender_organization_id=p.providers[k].organization_id,
                                body="样品已收到，预计五个工作日内出具报告。",
                                created_at=created + timedelta(hours=2),
                            )
                        )
                Order.objects.bulk_create(orders)
                OrderLine.objects.bulk_create(lines)
                Message.objects.bulk_create(messages)
            if stop % 100_000 < BATCH or stop == total:
                print(f"  orders {stop:,}/{total:,}", flush=True)
    with connection.cursor() as cursor:
        for model in (Thread, Order, OrderLine, Message):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def ensure_orders(n: int, p: Parties) -> None:
    mine = Order.objects.filter(buyer=p.buyer).count()
    theirs = Order.objects.filter(buyer__in=p.others).count()
    if (mine, theirs) == (n, n // 9):
        print(f"orders: {n:,} for the buyer and {theirs:,} for other buyers already there")
        return
    started = time.perf_counter()
    if mine or theirs:
        delete_orders(p.buyer_ids)
        print(f"deleted {mine + theirs:,} bench orders of another size in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
    generate(n, p)
    print(f"generated {n + n // 9:,} orders (with threads and lines) in {time.perf_counter() - started:.1f} s")


def ensure_bookings(p: Parties) -> Equipment:
    """A bookable instrument of provider 0 with 2,000 one-hour bookings (on the buyer's orders) around today,
    ten a day, every day open 08:00-18:00: the week calendar of a busy instrument."""
    equipment = Equipment.objects.filter(provider=p.providers[0], name_en=BENCH_INSTRUMENT).first()
    if equipment is None:
        (equipment,) = Equipment.objects.bulk_create(
            [Equipment(provider=p.providers[0], name_zh="基准万能试验机", name_en=BENCH_INSTRUMENT, bookable=True)]
        )
        Service.equipment.through.objects.bulk_create(
            [Service.equipment.through(service_id=p.services[0][0].pk, equipment_id=equipment.pk)]
        )
        BookingPolicy.objects.create(equipment=equipment, hourly_rate=Decimal("200.00"))
        OpeningHours.objects.bulk_create(
            [OpeningHours(equipment=equipment, weekday=d, opens=clock(8), closes=clock(18)) for d in range(7)]
        )
    if Booking.objects.filter(equipment=equipment).count() >= BOOKINGS:
        return equipment
    lines = OrderLine.objects.filter(order__buyer=p.buyer, booking__isnull=True).order_by("pk")[:BOOKINGS]
    slot = datetime.combine(week_start(timezone.localdate()) - timedelta(days=BOOKINGS // 20), clock(8), tzinfo=CHINA)
    rows = []
    for line in lines:
        end = slot + timedelta(hours=1)
        rows.append(
            Booking(
                equipment=equipment,
                order_id=line.order_id,
                line=line,
                starts_at=slot,
                ends_at=end,
                occupied_until=end,
                status="confirmed",
            )
        )
        slot = end if end.hour < 18 else datetime.combine(end.date() + timedelta(days=1), clock(8), tzinfo=CHINA)
    Booking.objects.bulk_create(rows, batch_size=1000)
    print(f"bookings: {len(rows):,} on instrument {equipment.pk}")
    return equipment


def operator() -> User:
    """A platform operator (the "Platform operators" group, not a superuser)."""
    user = User.objects.filter(email=OPERATOR_EMAIL).first() or User.objects.create_user(OPERATOR_EMAIL, None)
    group, _created = Group.objects.get_or_create(name=OPERATORS_GROUP)
    user.groups.add(group)
    return user


def sign_in(user: User) -> str:
    """A signed-in session in the production session engine (cache, i.e. Redis), as django.contrib.auth.login
    leaves it; returns the session key for the cookie."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


# --- serving and measuring ------------------------------------------------------------------------------


def pages(n: int, p: Parties, instrument: Equipment) -> list[Page]:
    """The URLs measured, each with the order numbers it must show (and one it must not, where a filter applies)."""
    mine = Order.objects.filter(buyer=p.buyer).order_by("-created_at", "-id")
    others = Order.objects.filter(buyer__in=p.others).order_by("-created_at", "-id")
    incoming = Order.objects.filter(provider=p.providers[0]).order_by("-created_at", "-id")
    elsewhere = Order.objects.exclude(provider=p.providers[0]).order_by("-created_at", "-id")
    paid = mine.filter(status="paid")
    prefix = f"SO-{timezone.localdate():%Y}"
    last = max(1, math.ceil(n / PAGE_SIZE))

    def number(qs: Any) -> str:
        order = qs.first()
        if order is None:
            raise SystemExit(f"no order for {qs.query}")
        return order.number

    return [
        Page("/healthz", "", must=['"ok"']),
        # Reference: the same signed-in layout around an empty list (the bench buyer has no quote requests).
        Page("/orders/quotes/", "buyer", ['href="/orders/quotes/" aria-current="page"']),
        # "All <count>" proves the counts cover the buyer's orders only; the other buyers' newest must not show.
        Page("/orders/", "buyer", [number(mine), f'<span class="count">{n}</span>'], [number(others)]),
        Page(f"/orders/?page={last}", "buyer", [number(mine.order_by("created_at", "id"))]),
        Page("/orders/?status=paid", "buyer", [number(paid)], [number(mine.exclude(status="paid"))]),
        Page(f"/orders/?q={quote(prefix)}", "buyer", [number(mine.filter(number__startswith=prefix))]),
        Page("/orders/incoming/", "provider", [number(incoming)], [number(elsewhere)]),
        # The operator console's review queue and the statistics page over every order of the run.
        Page("/operations/", "operator", ['aria-current="page"']),
        Page(
            "/operations/statistics/",
            "operator",
            ['id="chart-data"', str(Order.objects.filter(paid_at__isnull=False).values("buyer").distinct().count())],
        ),
        # The week calendar of an instrument with 2,000 bookings (anonymous visitor, this week).
        Page(f"/orders/equipment/{instrument.pk}/", "", ["slot-booked", BENCH_INSTRUMENT_ZH]),
    ]


def explain(measured: list[Page], cookies: dict[str, str], slow_ms: float) -> None:
    """The SQL each page runs (in this process, same settings and data), EXPLAIN ANALYZE of the slow statements."""
    for page in measured:
        client = Client(HTTP_HOST="127.0.0.1")
        if page.who:
            client.cookies[settings.SESSION_COOKIE_NAME] = cookies[page.who]
        client.get(page.path)  # warm
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            status = client.get(page.path).status_code
            elapsed = (time.perf_counter() - started) * 1000
        total_sql = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
        print(f"\n== {page.path} ({page.who or 'anonymous'}): {status}, {len(ctx.captured_queries)} queries, ", end="")
        print(f"{total_sql:.1f} ms in SQL of {elapsed:.1f} ms")
        for q in ctx.captured_queries:
            ms = float(q["time"]) * 1000
            print(f"  {ms:8.1f} ms  {q['sql'][:150]}")
            if ms >= slow_ms:
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {q['sql']}")
                    print("\n".join(f"           | {row[0]}" for row in cursor.fetchall()))
                print(f"           | full SQL: {q['sql']}")


def measure(args: argparse.Namespace, p: Parties, cookies: dict[str, str], instrument: Equipment) -> None:
    measured = pages(args.orders, p, instrument)
    headers = {who: f"{settings.SESSION_COOKIE_NAME}={key}" for who, key in cookies.items()} | {"": ""}
    run = measure_pages(measured, headers, args)
    incoming = Order.objects.filter(provider=p.providers[0]).count()
    print(
        f"\norders: {args.orders:,} of the buyer + {args.orders // 9:,} of {OTHER_BUYERS} other buyers; "
        f"the provider user's center receives {incoming:,}"
    )
    print_table(measured, run, args)
    if args.explain:
        explain(measured, cookies, args.slow_ms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=10_000, help="orders of the measured buyer (default 10,000)")
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per URL")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk per URL before measuring")
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--explain", action="store_true", help="print each page's SQL, EXPLAIN ANALYZE of slow ones")
    parser.add_argument("--slow-ms", type=float, default=5.0)
    parser.add_argument("--pidfile", default="", help="gunicorn's pid file (run_orders_bench.sh's cleanup reads it)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only (DATABASE_URL=postgres://...)")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    # SIGTERM (the runner's trap, a CI timeout) unwinds like Ctrl-C, so gunicorn is stopped in `finally`.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
    collect_static()
    p = parties()
    ensure_orders(args.orders, p)
    instrument = ensure_bookings(p)
    cookies = {"buyer": sign_in(p.buyer_user), "provider": sign_in(p.provider_user), "operator": sign_in(operator())}
    measure(args, p, cookies, instrument)


if __name__ == "__main__":
    main()
