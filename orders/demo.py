# ruff: noqa: E501 - bilingual demo texts: CJK characters count double in ruff's width and wrapping them hurts readability
"""Demo quote requests and orders for the two demo SMEs, written through `orders.services` only.

Every record comes from the same service calls that users' clicks make, so each quote request and
order has its audit timeline, thread, files and notifications (console e-mail in dev, sent on
commit). The Ningbo valve maker has a quote request in every status and an order in every status with
the pneumatic inspection center, the key-components platform and the Harbin power-equipment center;
the Weifang textile company a smaller set with the dyeing center. Facts follow the seed news and the
demo catalog; the companies' products, figures and results are made up.

Idempotent: nothing is written when either demo buyer already has a quote request or an order.
Runs after the organizations and catalog loaders.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from catalog.models import Equipment, Provider, Service
from marketplace.accounts.models import User
from marketplace.organizations.demo import org_by_key
from marketplace.organizations.models import Organization

from . import booking, services
from .models import Order, Quote, QuoteRequest
from .money import LineInput, default_vat_rate
from .payments import services as pay

SME_EMAIL = "sme@demo.cn"
TEXTILE_EMAIL = "textile@demo.cn"

# Catalog slugs of the demo providers whose owners act in the demo (see marketplace.organizations.demo).
PNEUMATIC = "national-pneumatic-inspection"  # inspector@demo.cn
PLATFORM = "ningbo-key-components"  # provider@demo.cn
HARBIN = "harbin-power-equipment-center"  # harbin@demo.cn
DYEING = "national-printing-dyeing-center"  # dyeing@demo.cn

S = Order.Status
# The forward path of an order; each demo order is driven along it as far as its target status.
FORWARD = (S.PAID, S.SAMPLE_RECEIVED, S.IN_PROGRESS, S.REPORT_ISSUED, S.COMPLETED)


def bi(zh: str, en: str) -> str:
    """A user-visible text in both languages, Chinese first."""
    return f"{zh}\n{en}"


def item(zh: str, en: str) -> str:
    """A one-line label in both languages (quote and order lines)."""
    return f"{zh} / {en}"


# --- report PDFs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoReport:
    number: str
    sample_zh: str
    sample_en: str
    quantity: str
    standard: str
    results: tuple[tuple[str, str, str], ...]  # (item, requirement, measured), each bilingual
    basis_zh: str
    basis_en: str


REPORT_CSS = """
@page { size: A4; margin: 16mm 16mm 18mm;
  @bottom-center { content: "第 " counter(page) " 页 / Page " counter(page); font-size: 8pt; color: #666; } }
html { font-family: 'Noto Sans CJK SC', sans-serif; font-size: 9.5pt; color: #111; line-height: 1.45; }
.head { border-bottom: 2px solid #1d4e89; padding-bottom: 2mm; display: flex; justify-content: space-between; }
.org { font-size: 11pt; font-weight: bold; } .acc { font-size: 8.5pt; color: #333; text-align: right; }
.en { color: #555; font-weight: normal; font-size: 8.5pt; }
h1 { font-size: 18pt; text-align: center; letter-spacing: 4pt; margin: 7mm 0 0; }
.sub { text-align: center; color: #555; margin: 0 0 4mm; }
.no { text-align: right; margin: 0 0 2mm; }
table { width: 100%; border-collapse: collapse; margin-bottom: 4mm; }
th, td { border: 0.6pt solid #888; padding: 1.6mm 2mm; vertical-align: top; text-align: left; }
th { background: #eef2f7; width: 22%; font-weight: bold; }
.results th { width: auto; }
h2 { font-size: 11pt; margin: 5mm 0 2mm; }
.verdict { border: 1.2pt solid #1d4e89; padding: 3mm 4mm; margin: 4mm 0; }
.pass { font-size: 16pt; font-weight: bold; color: #1d6b3a; margin: 1mm 0; }
.sign td { border: none; padding-top: 8mm; width: 25%; }
.note { font-size: 8pt; color: #444; border-top: 0.6pt solid #888; padding-top: 2mm; }
"""


def report_pdf(report: DemoReport, *, order: Order, issued: date) -> bytes:
    """A small bilingual test report as a real PDF (WeasyPrint), as a center would upload it."""
    provider = order.provider
    accreditations = " · ".join(
        a.number if a.number.startswith(a.scheme) else f"{a.scheme} {a.number}" for a in provider.accreditations.all()
    )
    received = timezone.localtime(order.sample_received_at).date() if order.sample_received_at else issued
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>合格 / Pass</td></tr>",
        report.results,
    )
    body = format_html(
        """
<div class="head"><div class="org">{provider_zh}<br><span class="en">{provider_en}</span></div>
<div class="acc">{accreditations}</div></div>
<h1>检验检测报告</h1><p class="sub">Test Report</p>
<p class="no">报告编号 Report No.: <b>{number}</b></p>
<table>
<tr><th>委托单位<br><span class="en">Client</span></th><td>{client}</td>
<th>订单号<br><span class="en">Order</span></th><td>{order_number}</td></tr>
<tr><th>样品名称<br><span class="en">Sample</span></th><td colspan="3">{sample_zh}<br><span class="en">{sample_en}</span></td></tr>
<tr><th>样品数量<br><span class="en">Quantity</span></th><td>{quantity}</td>
<th>收样日期<br><span class="en">Received</span></th><td>{received}</td></tr>
<tr><th>检验依据<br><span class="en">Standard</span></th><td colspan="3">{standard}</td></tr>
</table>
<h2>检验结果 / Results</h2>
<table class="results"><thead><tr><th>检验项目 / Item</th><th>技术要求 / Requirement</th>
<th>实测结果 / Result</th><th>单项判定 / Verdict</th></tr></thead><tbody>{rows}</tbody></table>
<div class="verdict"><div>检验结论 / Conclusion</div><div class="pass">合格 / Pass</div>
<div>{basis_zh}<br><span class="en">{basis_en}</span></div></div>
<table class="sign"><tr><td>编制 / Prepared:</td><td>审核 / Reviewed:</td><td>批准 / Approved:</td>
<td>签发日期 / Issued: {issued}</td></tr></table>
<p class="note">本报告仅对来样负责；未经本中心书面批准，不得部分复制本报告。<br>
This report applies only to the samples tested and may not be reproduced in part without the center's written approval.<br>
报告真伪核验：创新服务平台 /verify/ 页面，验证码 <strong>{code}</strong>。<br>
Check this report's authenticity at /verify/ on Innovation Services with verification code <strong>{code}</strong>.</p>
""",
        provider_zh=provider.name_zh,
        provider_en=provider.name_en,
        accreditations=accreditations,
        number=report.number,
        code=order.verification_code or "",
        client=order.buyer.name,
        order_number=order.number,
        sample_zh=report.sample_zh,
        sample_en=report.sample_en,
        quantity=report.quantity,
        standard=report.standard,
        rows=rows,
        basis_zh=report.basis_zh,
        basis_en=report.basis_en,
        received=f"{received:%Y-%m-%d}",
        issued=f"{issued:%Y-%m-%d}",
    )
    html = (
        f'<html lang="zh-CN"><head><meta charset="utf-8"><style>{REPORT_CSS}</style></head><body>{body}</body></html>'
    )
    import weasyprint  # loaded only when a report is drawn: a repeated demo load stays fast

    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


# --- small files ---------------------------------------------------------------------------------------


def csv_upload(name: str, rows: list[list[str]]) -> SimpleUploadedFile:
    """A CSV with a BOM, so that spreadsheet programs open the Chinese headers correctly."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")


# --- helpers around the services --------------------------------------------------------------------


@dataclass(frozen=True)
class Buyer:
    org: Organization
    user: User


def _service(provider_slug: str, slug: str) -> Service:
    return Service.objects.select_related("provider").get(provider__slug=provider_slug, slug=slug)


def _line(zh: str, en: str, quantity: int | str, unit_price: str, unit: str) -> LineInput:
    return LineInput(description=item(zh, en), quantity=Decimal(quantity), unit_price=Decimal(unit_price), unit=unit)


def _quote(
    provider: User,
    request: QuoteRequest,
    *lines: LineInput,
    turnaround: int,
    terms: str,
    valid_days: int = 30,
) -> Quote:
    return services.quote_send(
        actor=provider,
        request_id=request.pk,
        terms=services.QuoteTerms(
            lines=lines,
            valid_until=timezone.localdate() + timedelta(days=valid_days),
            turnaround_days=turnaround,
            vat_rate=default_vat_rate(),
            terms=terms,
        ),
    )


def _request(
    buyer: Buyer,
    service: Service,
    *,
    quantity: int,
    sample: str,
    standards: list[str] | None = None,
    days: int = 45,
    attachments: list[SimpleUploadedFile] | None = None,
) -> QuoteRequest:
    return services.quote_request_create(
        actor=buyer.user,
        buyer=buyer.org,
        service=service,
        quantity=quantity,
        sample_description=sample,
        standards=standards if standards is not None else list(service.standards),
        desired_date=timezone.localdate() + timedelta(days=days),
        attachments=attachments or [],
    )


def _say(actor: User, thread_id: int, body: str, attachments: list[SimpleUploadedFile] | None = None) -> None:
    services.message_send(actor=actor, thread_id=thread_id, body=body, attachments=attachments or [])


def _advance(
    order: Order,
    *,
    to: str,
    buyer: User,
    provider: User,
    condition: str = "",
    shipping: tuple[str, str] | None = None,
    report: DemoReport | None = None,
) -> Order:
    """Drive an order from `pending_payment` along the forward path until it reaches `to`."""
    for status in FORWARD[: FORWARD.index(to) + 1]:
        if status == S.PAID:
            order.refresh_from_db()
            pay.payment_confirm_bank_transfer(
                actor=provider,
                order_id=order.pk,
                amount=order.total,
                received_on=timezone.localdate(),
                reference=f"ICBC {order.number}",
            )
            if shipping is not None:
                method, tracking = shipping
                services.order_update_shipping(
                    order_id=order.pk, actor=buyer, shipping_method=method, tracking_number=tracking
                )
        elif status == S.SAMPLE_RECEIVED:
            services.order_receive_sample(order_id=order.pk, actor=provider, condition=condition)
        elif status == S.IN_PROGRESS:
            services.order_start_work(order_id=order.pk, actor=provider)
        elif status == S.REPORT_ISSUED:
            assert report is not None, "an issued report needs its content"
            order.refresh_from_db()
            content = report_pdf(report, order=order, issued=timezone.localdate())
            upload = SimpleUploadedFile(f"{report.number}.pdf", content, content_type="application/pdf")
            services.order_issue_report(order_id=order.pk, actor=provider, upload=upload, report_number=report.number)
        elif status == S.COMPLETED:
            services.order_complete(order_id=order.pk, actor=buyer)
    order.refresh_from_db()
    return order


def _direct(buyer: Buyer, service: Service, quantity: int, note: str = "") -> Order:
    return services.order_create_direct(
        actor=buyer.user, buyer=buyer.org, service=service, quantity=quantity, note=note
    )


# --- the Ningbo valve maker ----------------------------------------------------------------------------

VALVE_SAMPLES = [
    ["序号 / No.", "型号 / Model", "规格 / Specification", "数量 / Qty", "备注 / Notes"],
    ["1", "4V210-08", "二位五通 DC24V G1/4 / 5/2-way, DC 24 V, G1/4", "10", "第 1 组 / group 1"],
    ["2", "4V210-08", "二位五通 DC24V G1/4 / 5/2-way, DC 24 V, G1/4", "10", "第 2 组 / group 2"],
    ["3", "4V210-08", "二位五通 DC24V G1/4 / 5/2-way, DC 24 V, G1/4", "10", "第 3 组，新密封圈 / group 3, new seals"],
]

SWITCHING_TIMES = [
    ["样品编号 / Sample", "供气压力 / Supply (MPa)", "接通时间 / Switch-on (ms)", "断开时间 / Switch-off (ms)"],
    ["1#", "0.6", "17.6", "21.2"],
    ["2#", "0.6", "18.4", "21.7"],
    ["3#", "0.6", "17.9", "20.9"],
]


def _ningbo_valve_maker(buyer: Buyer, inspector: User, platform: User, harbin: User) -> None:
    year = timezone.localdate().year

    # Submitted, with a sample list attached and the center's questions answered.
    reliability = _request(
        buyer,
        _service(PNEUMATIC, "pneumatic-valve-reliability"),
        quantity=3,
        sample=bi(
            "二位五通电磁阀 4V210-08（DC24V，G1/4）3 组，每组 10 台，共 30 台。按 ISO 19973-2 评定可靠性，介质为洁净压缩空气，工作压力 0.6 MPa，需要给出 B10 寿命。样品清单见附件。",
            "Three groups of ten 4V210-08 5/2-way solenoid valves (DC 24 V, G1/4), 30 valves in all. Reliability assessment to ISO 19973-2 with clean compressed air at 0.6 MPa; we need the B10 life. The sample list is attached.",
        ),
        days=75,
        attachments=[csv_upload("样品清单-4V210.csv", VALVE_SAMPLES)],
    )
    _say(
        inspector,
        reliability.thread_id,
        bi(
            "张经理您好，报价前想确认两点：1）失效判据按标准默认的泄漏量和切换时间阈值，还是按贵司企业标准？2）样品能否在两周内送到检验中心？",
            "Hello, two questions before we quote: 1) should failure be judged by the standard's default leakage and switching-time thresholds, or by your company standard? 2) Can the samples reach us within two weeks?",
        ),
    )
    _say(
        buyer.user,
        reliability.thread_id,
        bi(
            "按标准默认判据即可。样品下周三由我司派车送到贵中心。",
            "The standard's default criteria are fine. We will drive the samples over next Wednesday.",
        ),
    )

    # Quoted: one open quote for a pilot build of a 3D-printed manifold.
    manifold = _request(
        buyer,
        _service(PLATFORM, "metal-am-process-development"),
        quantity=1,
        sample=bi(
            "新型集成阀岛铝合金阀体（AlSi10Mg）的金属 3D 打印工艺开发。内部流道无法机加工，希望验证打印可行性并试制 5 件样件；三维模型将在签订保密协议后提供。",
            "Metal 3D printing process development for a new integrated valve-manifold body in AlSi10Mg. The internal channels cannot be machined; we want printing feasibility verified and five trial parts built. The 3D model follows once an NDA is signed.",
        ),
        days=60,
    )
    _quote(
        platform,
        manifold,
        _line("打印工艺参数开发与试验", "Process parameter development and test builds", 1, "36000", "项"),
        _line(
            "样件打印（含去支撑与热处理）", "Trial parts, support removal and heat treatment included", 5, "2800", "件"
        ),
        _line("样件三坐标尺寸检测", "CMM inspection of the trial parts", 5, "260", "件"),
        turnaround=30,
        terms=bi(
            "价格不含三维模型修改；样件检测后随报告寄回。",
            "The price excludes changes to the 3D model; the trial parts are returned with the report.",
        ),
    )

    # Quoted twice: the buyer asks for fewer groups, the center sends a revision (v2 supersedes v1).
    cylinders = _request(
        buyer,
        _service(PNEUMATIC, "cylinder-reliability"),
        quantity=3,
        sample=bi(
            "SC 系列标准气缸（缸径 63 mm，行程 200 mm）3 组，按 ISO 19973-3 评定可靠性。",
            "SC series standard cylinders (63 mm bore, 200 mm stroke), three groups, reliability assessed to ISO 19973-3.",
        ),
        days=90,
    )
    fixture = _line("专用安装夹具制作", "Custom mounting fixture", 1, "1500", "套")
    terms = bi(
        "试验后样品按报废处理，如需返还请提前说明。",
        "Samples are scrapped after testing unless you ask for them back beforehand.",
    )
    _quote(
        inspector,
        cylinders,
        _line("气缸可靠性试验", "Cylinder reliability test", 3, "7800", "组"),
        fixture,
        turnaround=40,
        terms=terms,
    )
    _say(
        buyer.user,
        cylinders.thread_id,
        bi(
            "能否先做 2 组？第三组等活塞密封结构改进后再送。",
            "Could we start with two groups? The third will follow once the piston seal design is changed.",
        ),
    )
    _say(
        inspector,
        cylinders.thread_id,
        bi(
            "可以，已按 2 组重新报价（第 2 版），夹具费用不变，周期缩短到 35 个工作日。",
            "Yes — we have revised the quote to two groups (version 2). The fixture cost is unchanged and the turnaround drops to 35 working days.",
        ),
    )
    _quote(
        inspector,
        cylinders,
        _line("气缸可靠性试验", "Cylinder reliability test", 2, "7800", "组"),
        fixture,
        turnaround=35,
        terms=terms,
    )

    # Accepted: the quote becomes an order, now in progress.
    flow = _request(
        buyer,
        _service(PNEUMATIC, "flow-rate-characteristics"),
        quantity=6,
        sample=bi(
            "4V210-08 和 4V310-10 电磁阀各 3 台，测定声速流导 C 和临界压力比 b。",
            "Three 4V210-08 and three 4V310-10 solenoid valves: sonic conductance C and critical pressure ratio b.",
        ),
        days=30,
    )
    flow_quote = _quote(
        inspector,
        flow,
        _line("气动元件流量特性测定（6 台批量价）", "Flow-rate characteristics, batch price for 6", 6, "1300", "台"),
        turnaround=5,
        terms=bi("批量价仅适用于本次送检。", "The batch price applies to this submission only."),
    )
    flow_order = services.quote_accept(
        actor=buyer.user,
        quote_id=flow_quote.pk,
        note=bi("请尽快安排，样品随后快递。", "Please schedule soon; the samples follow by courier."),
    )
    _advance(
        flow_order,
        to=S.IN_PROGRESS,
        buyer=buyer.user,
        provider=inspector,
        shipping=(Order.Shipping.COURIER, "SF1402376588213"),
        condition=bi("6 台样品外包装完好，接口防尘帽齐全。", "6 valves, packaging intact, port dust caps in place."),
    )

    # Declined by the buyer after seeing the quote.
    fatigue = _request(
        buyer,
        _service(HARBIN, "metal-fatigue-test"),
        quantity=6,
        sample=bi(
            "阀体用 6061-T6 铝合金棒材，轴向疲劳试验 6 根试样，应力比 R = 0.1。",
            "6061-T6 aluminium bar for valve bodies: axial fatigue test of six specimens, stress ratio R = 0.1.",
        ),
        days=60,
    )
    fatigue_quote = _quote(
        harbin,
        fatigue,
        _line("金属轴向疲劳试验", "Axial fatigue test of metals", 6, "2600", "试样"),
        _line("试样加工", "Specimen machining", 6, "300", "件"),
        turnaround=20,
        terms=bi("试样按 GB/T 3075 图纸加工。", "Specimens are machined to the GB/T 3075 drawing."),
    )
    services.quote_decline(
        actor=buyer.user,
        quote_id=fatigue_quote.pk,
        reason=bi(
            "项目计划调整，疲劳试验推迟到下半年。",
            "Our project plan changed; the fatigue tests move to the second half of the year.",
        ),
    )

    # Expired: a quote left unanswered past its validity date.
    patents = _request(
        buyer,
        _service(PLATFORM, "pneumatics-patent-landscape"),
        quantity=1,
        sample=bi(
            "围绕低功耗电磁阀先导结构开展专利导航，除国内专利外，重点关注日本、德国企业在华布局。",
            "A patent landscape of low-power solenoid pilot structures: Chinese patents plus, in particular, what Japanese and German companies hold in China.",
        ),
        days=40,
    )
    patents_quote = _quote(
        platform,
        patents,
        _line(
            "专利导航分析（含中、日、德专利数据）",
            "Patent landscape, Chinese, Japanese and German data",
            1,
            "32000",
            "项",
        ),
        turnaround=30,
        terms=bi("报告交付后提供一次线上解读会。", "One online briefing on the findings is included."),
        valid_days=15,
    )
    # Only the validity date is moved into the past; the daily expiry job then closes the quote.
    Quote.objects.filter(pk=patents_quote.pk).update(valid_until=timezone.localdate() - timedelta(days=3))
    services.quotes_expire_due()

    # Direct orders, one in each status.
    performance = _direct(
        buyer,
        _service(PNEUMATIC, "solenoid-valve-performance"),
        3,
        note=bi("4V210-08 新批次出厂抽检。", "Release sampling of a new 4V210-08 batch."),
    )
    performance = _advance(
        performance,
        to=S.COMPLETED,
        buyer=buyer.user,
        provider=inspector,
        shipping=(Order.Shipping.IN_PERSON, ""),
        condition=bi("3 台样品包装完好，外观无损伤。", "3 valves, packaging intact, no visible damage."),
        report=DemoReport(
            number=f"NPQC{year}-W0318",
            sample_zh="二位五通电磁阀 4V210-08（DC24V，G1/4）",
            sample_en="5/2-way solenoid valve 4V210-08 (DC 24 V, G1/4)",
            quantity="3 台 / 3 units",
            standard="GB/T 22107-2008；委托方企业标准 Q/FHJM 003-2025 / client standard Q/FHJM 003-2025",
            results=(
                ("切换时间（通电）/ Switching time, energised", "≤ 30 ms", "17.6 – 18.4 ms"),
                ("切换时间（断电）/ Switching time, de-energised", "≤ 35 ms", "20.9 – 21.7 ms"),
                ("最低工作压力 / Minimum operating pressure", "≤ 0.15 MPa", "0.12 MPa"),
                ("内泄漏量（0.6 MPa）/ Internal leakage at 0.6 MPa", "≤ 50 cm³/min (ANR)", "≤ 8 cm³/min (ANR)"),
            ),
            basis_zh="切换时间按 GB/T 22107-2008 测量，所检项目符合委托方企业标准 Q/FHJM 003-2025 的要求。",
            basis_en="Switching times measured to GB/T 22107-2008; all items tested meet the client's standard Q/FHJM 003-2025.",
        ),
    )
    _say(
        inspector,
        performance.thread_id,
        bi(
            "切换时间原始记录已上传，供贵司工艺改进参考。",
            "The raw switching-time records are attached for your process engineers.",
        ),
        [csv_upload("切换时间原始记录.csv", SWITCHING_TIMES)],
    )
    _say(buyer.user, performance.thread_id, bi("收到，谢谢！", "Received, thank you!"))
    review = services.review_create(
        actor=buyer.user,
        order_id=performance.pk,
        rating=5,
        comment=bi(
            "比承诺周期提前两天出报告，数据完整，切换时间原始记录对我们改进线圈很有帮助。",
            "The report came two days early, the data were complete, and the raw switching-time records helped us improve the coil.",
        ),
    )
    services.review_reply(
        actor=inspector,
        review_id=review.pk,
        reply=bi(
            "感谢认可！新批次如需复测，可直接在服务页面下单。",
            "Thank you! For retests of new batches you can order directly on the service page.",
        ),
    )

    ip_test = _direct(
        buyer,
        _service(PNEUMATIC, "ip-rating-test"),
        2,
        note=bi(
            "电磁阀线圈（DC24V，DIN 插座）防护等级验证，目标 IP65。",
            "Enclosure test of the valve coil (DC 24 V, DIN connector), target IP65.",
        ),
    )
    _advance(
        ip_test,
        to=S.REPORT_ISSUED,
        buyer=buyer.user,
        provider=inspector,
        condition=bi("2 台样品完好，已附 DIN 插座。", "2 units intact, DIN connectors enclosed."),
        report=DemoReport(
            number=f"NPQC{year}-W0322",
            sample_zh="电磁阀线圈组件（DC24V，DIN 43650A 插座）",
            sample_en="Solenoid coil assembly (DC 24 V, DIN 43650A connector)",
            quantity="2 台 / 2 units",
            standard="GB/T 4208-2017",
            results=(
                (
                    "防尘（IP6X，负压 8 h）/ Dust (IP6X, 8 h under vacuum)",
                    "无粉尘进入 / no dust ingress",
                    "无粉尘进入 / no dust ingress",
                ),
                (
                    "防喷水（IPX5，12.5 L/min，3 min）/ Water jets (IPX5)",
                    "无有害进水 / no harmful ingress",
                    "无进水 / no ingress",
                ),
                ("试验后绝缘电阻 / Insulation resistance after test", "≥ 100 MΩ", "≥ 500 MΩ"),
            ),
            basis_zh="样品外壳防护等级达到 GB/T 4208-2017 规定的 IP65。",
            basis_en="The enclosure of the samples achieves IP65 as defined in GB/T 4208-2017.",
        ),
    )

    cmm = _direct(
        buyer,
        _service(PLATFORM, "dimensional-inspection-cmm"),
        10,
        note=bi(
            "4V210 阀芯与阀体配合尺寸检测，图纸随样品送达。",
            "Fit dimensions of 4V210 spools and bodies; drawings come with the samples.",
        ),
    )
    _advance(
        cmm,
        to=S.SAMPLE_RECEIVED,
        buyer=buyer.user,
        provider=platform,
        shipping=(Order.Shipping.IN_PERSON, ""),
        condition=bi("10 件阀芯已签收，包装完好，图纸 2 份。", "10 spools signed for, packaging intact, 2 drawings."),
    )

    tensile = _direct(
        buyer,
        _service(HARBIN, "metal-tensile-room-temperature"),
        6,
        note=bi(
            "阀体用 6061-T6 铝合金棒材，按 GB/T 228.1 方法 A。",
            "6061-T6 aluminium bar for valve bodies, GB/T 228.1 method A.",
        ),
    )
    _advance(
        tensile,
        to=S.PAID,
        buyer=buyer.user,
        provider=harbin,
        shipping=(Order.Shipping.COURIER, "SF1402377102456"),
    )
    _say(
        buyer.user,
        tensile.thread_id,
        bi(
            "试样已于今天顺丰寄出，单号 SF1402377102456。",
            "The specimens went out today by SF Express, tracking SF1402377102456.",
        ),
    )
    _say(
        harbin,
        tensile.thread_id,
        bi("好的，到样后会在订单页确认收样。", "Thanks — we will confirm receipt on the order page when they arrive."),
    )

    _direct(
        buyer,
        _service(PLATFORM, "patent-valuation"),
        1,
        note=bi(
            "拟转让的实用新型专利“一种低功耗电磁阀先导结构”价值评估，付款走对公转账。",
            "Valuation of the utility model “Low-power solenoid pilot structure” before licensing; we pay by bank transfer.",
        ),
    )

    air = _direct(buyer, _service(PNEUMATIC, "compressed-air-purity"), 1)
    services.order_cancel(
        order_id=air.pk,
        actor=buyer.user,
        reason=bi(
            "车间空压站改造推迟，完工后再重新下单。",
            "The compressor-room upgrade is delayed; we will order again when it is finished.",
        ),
    )

    impact = _direct(
        buyer,
        _service(HARBIN, "charpy-impact"),
        9,
        note=bi(
            "低温阀门 WCB 铸钢阀体，-29 ℃ 冲击，3 组共 9 个试样。",
            "WCB cast-steel bodies of low-temperature valves, impact at -29 °C, 3 sets of 3 specimens.",
        ),
    )
    _advance(impact, to=S.PAID, buyer=buyer.user, provider=harbin)
    services.order_cancel(
        order_id=impact.pk,
        actor=harbin,
        reason=bi(
            "摆锤冲击试验机进入年度检定，无法在承诺周期内完成，经与客户协商取消。",
            "Our impact tester is away for its annual verification, so we cannot meet the turnaround; cancelled by agreement with the client.",
        ),
    )
    impact.refresh_from_db()
    pay.refund_issue(
        order_id=impact.pk,
        actor=harbin,
        amount=impact.total,
        reason=bi("全额退款，已原路转账退回。", "Full refund, paid back by bank transfer."),
    )


# --- the Weifang textile company ------------------------------------------------------------------------


def _weifang_textiles(buyer: Buyer, dyeing: User) -> None:
    year = timezone.localdate().year

    _request(
        buyer,
        _service(DYEING, "low-water-dyeing-scale-up"),
        quantity=1,
        sample=bi(
            "纯棉针织汗布（180 g/m²）活性染料少水染色工艺放大，目标节水 40% 以上，批间色差 ΔE ≤ 1.0。",
            "Scale-up of low-water reactive dyeing of cotton single jersey (180 g/m²): at least 40 % less water, batch-to-batch colour difference ΔE ≤ 1.0.",
        ),
        days=90,
    )

    printing = _request(
        buyer,
        _service(DYEING, "digital-printing-pilot"),
        quantity=12,
        sample=bi(
            "涤纶仿真丝面料数码印花中试打样，8 个花型，每个 3 米。",
            "Digital printing pilot on polyester imitation-silk fabric: 8 designs, 3 m each.",
        ),
        days=30,
    )
    _quote(
        dyeing,
        printing,
        _line("数码印花中试（含调色）", "Digital printing pilot run, colour matching included", 12, "900", "小时"),
        _line("花型分色与 ICC 校色", "Colour separation and ICC calibration per design", 8, "150", "个"),
        turnaround=7,
        terms=bi("坯布由委托方提供，需经前处理。", "The client supplies pre-treated base fabric."),
    )

    light = _request(
        buyer,
        _service(DYEING, "colour-fastness-light"),
        quantity=4,
        sample=bi(
            "户外遮阳面料 4 个色号，耐光色牢度需按 AATCC 16.3 出具美国客户认可的报告。",
            "Four shades of outdoor awning fabric: light fastness to AATCC 16.3, with a report our US customer accepts.",
        ),
        standards=["AATCC 16.3"],
        days=30,
    )
    services.quote_request_decline(
        actor=dyeing,
        request_id=light.pk,
        reason=bi(
            "AATCC 16.3 暂未纳入本中心资质认可范围，无法出具带 CNAS 标识的报告；如可接受 GB/T 8427-2019 方法 3，请重新提交询价。",
            "AATCC 16.3 is not yet within our accreditation scope, so we cannot issue a CNAS-marked report; if GB/T 8427-2019 method 3 is acceptable, please request a new quote.",
        ),
    )

    fastness = _request(
        buyer,
        _service(DYEING, "colour-fastness-washing"),
        quantity=20,
        sample=bi(
            "棉/氨纶弹力布 20 个色号，耐洗和耐摩擦色牢度一起检测。",
            "Cotton/spandex stretch fabric in 20 shades: colour fastness to washing and to rubbing together.",
        ),
        standards=["GB/T 3921-2008", "GB/T 3920-2008"],
        days=20,
    )
    fastness_quote = _quote(
        dyeing,
        fastness,
        _line("耐洗色牢度（GB/T 3921-2008 A(1)）", "Colour fastness to washing", 20, "110", "样"),
        _line("耐摩擦色牢度（干/湿，GB/T 3920-2008）", "Colour fastness to rubbing, dry and wet", 20, "90", "样"),
        turnaround=5,
        terms=bi("两项合并检测享受套餐价。", "Package price for both tests together."),
    )
    _say(
        dyeing,
        fastness.thread_id,
        bi(
            "每个色号请剪取 50 cm × 全幅，并标注色号。",
            "Please cut 50 cm × full width of each shade and label it with its shade number.",
        ),
    )
    _say(buyer.user, fastness.thread_id, bi("好的，明天快递寄出。", "Will do; they go out by courier tomorrow."))
    fastness_order = services.quote_accept(actor=buyer.user, quote_id=fastness_quote.pk)
    _advance(
        fastness_order,
        to=S.SAMPLE_RECEIVED,
        buyer=buyer.user,
        provider=dyeing,
        shipping=(Order.Shipping.COURIER, "YT7523318840021"),
        condition=bi("20 个色号齐全，标签清楚。", "All 20 shades present and clearly labelled."),
    )

    rubbing = _direct(
        buyer,
        _service(DYEING, "colour-fastness-rubbing"),
        6,
        note=bi(
            "出口订单面料，客户要求湿摩擦不低于 2-3 级。",
            "Export order fabric; the customer requires wet rubbing of grade 2-3 or better.",
        ),
    )
    rubbing = _advance(
        rubbing,
        to=S.COMPLETED,
        buyer=buyer.user,
        provider=dyeing,
        shipping=(Order.Shipping.COURIER, "YT7523301127745"),
        condition=bi("6 个色号，样品平整无污渍。", "6 shades, flat and clean."),
        report=DemoReport(
            number=f"SDPD{year}-T0561",
            sample_zh="棉/氨纶弹力针织布（6 个色号）",
            sample_en="Cotton/spandex stretch knit (6 shades)",
            quantity="6 样 / 6 samples",
            standard="GB/T 3920-2008",
            results=(
                ("耐干摩擦色牢度 / Colour fastness to dry rubbing", "≥ 3 级 / grade 3", "4 – 4-5 级 / grade 4 – 4-5"),
                (
                    "耐湿摩擦色牢度 / Colour fastness to wet rubbing",
                    "≥ 2-3 级 / grade 2-3",
                    "3 – 3-4 级 / grade 3 – 3-4",
                ),
            ),
            basis_zh="干摩擦符合 GB 18401-2010 B 类要求，湿摩擦符合委托方要求。",
            basis_en="Dry rubbing meets GB 18401-2010 class B; wet rubbing meets the client's requirement.",
        ),
    )
    review = services.review_create(
        actor=buyer.user,
        order_id=rubbing.pk,
        rating=4,
        comment=bi(
            "结果准确，中英文报告方便外贸客户使用；希望收样确认能更及时。",
            "Accurate results, and the bilingual report suits our export customers; sample receipt could be confirmed sooner.",
        ),
    )
    services.review_reply(
        actor=dyeing,
        review_id=review.pk,
        reply=bi(
            "感谢建议！我们已调整流程，样品签收当天即在订单页确认。",
            "Thank you! We have changed our routine: receipt is now confirmed on the order page the day samples arrive.",
        ),
    )

    formaldehyde = _direct(
        buyer,
        _service(DYEING, "formaldehyde-content"),
        3,
        note=bi(
            "婴幼儿针织内衣面料，按 GB 18401 A 类判定。",
            "Knitted fabric for infant underwear, judged against GB 18401 class A.",
        ),
    )
    _advance(
        formaldehyde,
        to=S.REPORT_ISSUED,
        buyer=buyer.user,
        provider=dyeing,
        condition=bi("3 个批次样品密封包装完好。", "3 batches, sealed packaging intact."),
        report=DemoReport(
            number=f"SDPD{year}-T0574",
            sample_zh="婴幼儿纯棉针织内衣面料（3 个批次）",
            sample_en="Cotton knit for infant underwear (3 batches)",
            quantity="3 样 / 3 samples",
            standard="GB/T 2912.1-2009",
            results=(
                (
                    "游离和水解的甲醛含量 / Free and hydrolysed formaldehyde",
                    "≤ 20 mg/kg（GB 18401-2010 A 类 / class A）",
                    "未检出（< 20 mg/kg）/ not detected (< 20 mg/kg)",
                ),
            ),
            basis_zh="所检批次甲醛含量符合 GB 18401-2010 A 类（婴幼儿用品）要求。",
            basis_en="Formaldehyde in all batches tested meets GB 18401-2010 class A (products for infants).",
        ),
    )

    ph = _direct(buyer, _service(DYEING, "textile-ph-value"), 5)
    _advance(ph, to=S.PAID, buyer=buyer.user, provider=dyeing)

    _direct(
        buyer,
        _service(DYEING, "colour-fastness-light"),
        4,
        note=bi(
            "按 GB/T 8427-2019 方法 3，遮阳面料 4 个色号。", "GB/T 8427-2019 method 3, four shades of awning fabric."
        ),
    )


# --- entry point ------------------------------------------------------------------------------------------


def _bank_account(user: User, n: int) -> None:
    """A made-up account (the demo centers' real accounts are not ours to publish)."""
    provider = Provider.objects.get(organization__memberships__user=user)
    pay.bank_account_save(
        actor=user,
        provider=provider,
        account_name=provider.name_zh,
        bank_name="中国工商银行宁波分行营业部（演示账户）" if n < 3 else "中国建设银行分行营业部（演示账户）",
        account_number=f"6222 0000 0000 {n:04d}",
    )


# The State Council's public holidays of the demo year (2026), plus New Year's Day 2027 inside the horizon.
PUBLIC_HOLIDAYS = (
    ("元旦 / New Year", date(2026, 1, 1), date(2026, 1, 3)),
    ("春节 / Spring Festival", date(2026, 2, 15), date(2026, 2, 23)),
    ("清明节 / Qingming", date(2026, 4, 4), date(2026, 4, 6)),
    ("劳动节 / Labour Day", date(2026, 5, 1), date(2026, 5, 5)),
    ("端午节 / Dragon Boat Festival", date(2026, 6, 19), date(2026, 6, 21)),
    ("中秋节 / Mid-Autumn Festival", date(2026, 9, 25), date(2026, 9, 27)),
    ("国庆节 / National Day", date(2026, 10, 1), date(2026, 10, 7)),
    ("元旦 / New Year", date(2027, 1, 1), date(2027, 1, 1)),
)
WORKDAY = (time(8), time(18))


def _open_for_booking(owner: User) -> list[Equipment]:
    """Every bookable instrument of the owner's center: a rate, Mon–Fri 08:00–18:00, the public holidays."""
    provider = Provider.objects.get(organization__memberships__user=owner)
    instruments = list(Equipment.objects.filter(provider=provider, bookable=True).order_by("pk"))
    for n, equipment in enumerate(instruments):
        booking.booking_policy_save(
            actor=owner,
            equipment=equipment,
            data={
                "hourly_rate": Decimal(180 + 70 * (n % 5)),
                "min_hours": 1,
                "buffer_minutes": 30,
                "horizon_days": 60,
                "free_cancellation_hours": 24,
            },
            opening={day: WORKDAY if day < 5 else None for day in range(7)},
        )
        for name, first, last in PUBLIC_HOLIDAYS:
            booking.equipment_block_add(
                actor=owner,
                equipment=equipment,
                starts_at=datetime.combine(first, time(0), tzinfo=booking.CHINA),
                ends_at=datetime.combine(last + timedelta(days=1), time(0), tzinfo=booking.CHINA),
                kind="holiday",
                reason=name,
            )
    return instruments


def _bookings(sme: Buyer, owners: dict[str, User]) -> None:
    """Open every demo instrument for booking; the valve maker holds one slot and keeps another by transfer."""
    instruments = [e for owner in owners.values() for e in _open_for_booking(owner)]
    if not instruments:
        return
    monday = booking.week_start(timezone.localdate()) + timedelta(days=7)
    first = instruments[0]
    booking.equipment_block_add(
        actor=next(
            u for u in owners.values() if u.memberships.filter(organization=first.provider.organization).exists()
        ),
        equipment=first,
        starts_at=datetime.combine(monday + timedelta(days=3), time(8), tzinfo=booking.CHINA),
        ends_at=datetime.combine(monday + timedelta(days=3), time(18), tzinfo=booking.CHINA),
        kind="maintenance",
        reason="年度计量校准 / annual calibration",
    )
    booking.booking_hold(
        actor=sme.user,
        buyer=sme.org,
        equipment_id=first.pk,
        starts_at=datetime.combine(monday + timedelta(days=1), time(9), tzinfo=booking.CHINA),
        hours=3,
    )
    kept = booking.booking_hold(
        actor=sme.user,
        buyer=sme.org,
        equipment_id=first.pk,
        starts_at=datetime.combine(monday + timedelta(days=2), time(13), tzinfo=booking.CHINA),
        hours=2,
    )
    booking.booking_keep_with_transfer(actor=sme.user, booking_id=kept.pk, reference=f"ICBC {kept.order.number}")


def _buyer(org_key: str, email: str) -> Buyer:
    return Buyer(org=org_by_key(org_key), user=User.objects.get(email=email))


@transaction.atomic
def load() -> None:
    sme = _buyer("sme-valve", SME_EMAIL)
    textile = _buyer("sme-textile", TEXTILE_EMAIL)
    buyers = (sme.org, textile.org)
    if QuoteRequest.objects.filter(buyer__in=buyers).exists() or Order.objects.filter(buyer__in=buyers).exists():
        return
    providers = {
        email: User.objects.get(email=email)
        for email in ("inspector@demo.cn", "provider@demo.cn", "harbin@demo.cn", "dyeing@demo.cn")
    }
    for n, user in enumerate(providers.values(), start=1):
        _bank_account(user, n)
    _ningbo_valve_maker(sme, providers["inspector@demo.cn"], providers["provider@demo.cn"], providers["harbin@demo.cn"])
    _weifang_textiles(textile, providers["dyeing@demo.cn"])
    _bookings(sme, providers)
