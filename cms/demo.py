"""Demo CMS content: the home page, the bulletin index, about/help/terms and bilingual bulletins.

The bulletins restate, in our own words, facts from the seed news (the 2016 MIIT guidance,
Ningbo's key-components platform, Shandong's centers, Harbin's measures and pilot-city status)
plus platform notices. Idempotent: pages are keyed by slug and never rewritten once they exist.
Runs after the catalog loader and links bulletins to providers and services when they exist.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from catalog.models import Provider, Service
from catalog.selectors import services_public

from .models import BulletinPage, StandardPage
from .setup import ensure_child, ensure_site

RELATED_SERVICES = 4


@dataclass(frozen=True)
class DemoStandardPage:
    slug: str
    title: str
    title_en: str
    body: str
    body_en: str


@dataclass(frozen=True)
class DemoBulletin:
    slug: str
    category: str
    date: datetime.date
    title: str
    title_en: str
    source: str
    source_en: str
    intro: str
    intro_en: str
    body: str
    body_en: str
    tags: tuple[str, ...] = ()
    # Provider organization names (as in marketplace.organizations.demo) and service-category keywords.
    providers: tuple[str, ...] = ()
    service_keywords: tuple[str, ...] = ()


NINGBO_PLATFORM = "国家关键零部件创新成果产业化公共服务平台"
NINGBO_PNEUMATIC = "国家气动产品质量监督检验中心"
SD_DYEING = "国家先进印染技术创新中心"
SD_APPLIANCE = "国家高端智能化家用电器创新中心"
SD_PROVINCIAL = (
    "山东省新型纱线与面料制造业创新中心",
    "山东省轴承制造业创新中心",
    "山东省绿色海洋化工制造业创新中心",
)
HRB_CENTERS = (
    "哈尔滨市电力装备制造业创新中心",
    "哈尔滨市航空航天制造业创新中心",
    "哈尔滨市医药与食品制造业创新中心",
)
MIIT = ("工业和信息化部", "Ministry of Industry and Information Technology")
PLATFORM = ("创新服务平台运营中心", "Innovation Services platform operations")

STANDARD_PAGES: tuple[DemoStandardPage, ...] = (
    DemoStandardPage(
        "about",
        "关于平台",
        "About the platform",
        "<p>创新服务平台把国家级、省级和市级制造业创新中心以及区域公共服务平台的技术服务集中展示，"
        "方便中小企业按类别、领域和地区查找、比较并直接询价。</p>"
        "<h2>我们做什么</h2><ul><li>汇集检验检测、试验验证、技术评价、技术咨询、知识产权和中试熟化等服务；</li>"
        "<li>核验服务机构的法人信息与资质；</li><li>发布平台通知、政策信息和行业动态。</li></ul>",
        "<p>Innovation Services brings together the technical services of national, provincial and municipal "
        "manufacturing innovation centers and regional public service platforms, so that small and medium "
        "enterprises can find, compare and request quotes in one place.</p>"
        "<h2>What we do</h2><ul><li>List inspection and testing, experimental verification, technology "
        "evaluation, consultation, IP management and pilot-scale maturation services;</li>"
        "<li>verify each provider's legal entity and accreditations;</li>"
        "<li>publish platform notices, policy information and industry news.</li></ul>",
    ),
    DemoStandardPage(
        "help",
        "使用帮助",
        "Help",
        "<h2>查找服务</h2><p>在首页搜索框输入检测项目、标准号或设备名称，或按服务类别浏览。</p>"
        "<h2>询价与下单</h2><ol><li>注册并创建或加入您的企业；</li>"
        "<li>在服务页面提交询价，说明样品数量、检测标准和期望完成日期，可附上图纸、规格书或样品清单；</li>"
        "<li>服务机构发出报价（明细、增值税、有效期和周期，可下载 PDF）；报价调整时会发出新版本，旧版本随之失效；</li>"
        "<li>接受报价即生成订单。固定价格和按件计价的服务也可以在服务页面直接下单。</li></ol>"
        "<h2>付款与进度</h2><p>目前采用银行对公转账，服务机构确认到账后订单显示“已付款”。订单页面的时间线记录付款、"
        "收样、开始检测和出具报告等每一步，双方可以在订单消息中沟通并互传附件。</p>"
        "<h2>报告与评价</h2><p>服务机构在订单页面上传报告，您可以随时下载。任何人都可以在 "
        '<a href="/verify/">/verify/</a> 输入报告验证码并上传报告 PDF，核对它与机构出具的原件是否一致。'
        "订单完成后可以评价服务，机构可以回复。</p>"
        "<h2>联系我们</h2><p>工作日 9:00–17:30 可通过平台消息联系运营团队。</p>",
        "<h2>Finding a service</h2><p>Type a test item, a standard code or an instrument into the search box "
        "on the home page, or browse by service category.</p>"
        "<h2>Quotes and orders</h2><ol><li>Register, then create or join your enterprise;</li>"
        "<li>request a quote on the service page with the number of samples, the standards and the date you need, "
        "attaching drawings, specifications or a sample list;</li>"
        "<li>the provider sends a quote (items, VAT, validity and turnaround, downloadable as a PDF); if it "
        "revises the quote, the new version replaces the old one;</li>"
        "<li>accepting the quote creates an order. Fixed-price and per-unit services can also be ordered "
        "directly on the service page.</li></ol>"
        "<h2>Payment and progress</h2><p>Payment is by bank transfer for now; the order shows as paid once the "
        "provider confirms the money has arrived. The order page's timeline records each step — payment, sample "
        "receipt, start of testing, report — and both sides can exchange messages and files there.</p>"
        "<h2>Reports and reviews</h2><p>The provider uploads the report on the order page, where you can "
        'download it at any time. Anyone can check a report at <a href="/en/verify/">/verify/</a>: enter its '
        "verification code and drop the PDF to see whether it is the very file the provider issued. Once the "
        "order is completed you can review the service, and the provider can reply.</p>"
        "<h2>Contact</h2><p>The operations team answers platform messages on working days, 9:00–17:30.</p>",
    ),
    DemoStandardPage(
        "terms",
        "服务条款",
        "Terms of service",
        "<p>平台为服务机构与企业提供信息发布和交易撮合服务。检测报告、试验结论等技术成果由出具报告的服务机构负责。</p>"
        "<p>用户应保证提交的企业信息真实有效；平台依法保护用户数据，不向无关第三方提供。</p>",
        "<p>The platform publishes information and brings providers and enterprises together. Test reports, "
        "verification results and other technical deliverables are the responsibility of the provider that "
        "issues them.</p><p>Users must submit accurate company information; the platform protects user data as "
        "the law requires and does not share it with unrelated third parties.</p>",
    ),
)

BULLETINS: tuple[DemoBulletin, ...] = (
    DemoBulletin(
        slug="miit-2016-273-guidance",
        category="policy",
        date=datetime.date(2016, 8, 30),
        title="工信部〔2016〕273号：推进制造业创新中心建设的指导意见要点",
        title_en="MIIT [2016] No. 273: key points of the guidance on building manufacturing innovation centers",
        source=MIIT[0],
        source_en=MIIT[1],
        intro="围绕“中国制造2025”，工信部提出以制造业创新中心为核心节点完善制造业创新体系。",
        intro_en="Under Made in China 2025, MIIT set out to rebuild the manufacturing innovation system "
        "around manufacturing innovation centers.",
        body="<p>这份指导意见针对行业共性技术供给不足、创新成果产业化不畅等问题，提出统筹建设国家和省级两级"
        "制造业创新中心，形成网络化的制造业创新体系。</p><h2>重点领域</h2><ul><li>新一代信息技术</li>"
        "<li>智能制造</li><li>增材制造</li><li>新材料</li><li>生物医药</li></ul>"
        "<h2>对企业意味着什么</h2><p>创新中心除承担共性技术研发外，还面向行业开放试验验证、检验检测等公共服务，"
        "中小企业可以通过本平台直接提出服务需求。</p>",
        body_en="<p>The guidance responds to a shortage of shared industrial technologies and to research results "
        "that rarely reach production. It calls for national and provincial manufacturing innovation centers, "
        "built as one networked system.</p><h2>Priority fields</h2><ul><li>New-generation information "
        "technology</li><li>Intelligent manufacturing</li><li>Additive manufacturing</li><li>New materials</li>"
        "<li>Biomedicine</li></ul><h2>What it means for enterprises</h2><p>Besides shared R&amp;D, the centers "
        "open verification, inspection and testing to their industries; SMEs can ask for these services "
        "directly on this platform.</p>",
        tags=("政策", "制造业创新中心"),
        providers=(SD_DYEING, SD_APPLIANCE),
    ),
    DemoBulletin(
        slug="national-center-targets-2020-2025",
        category="policy",
        date=datetime.date(2016, 9, 5),
        title="国家制造业创新中心建设目标：2020年约15家，2025年约40家",
        title_en="National targets: about 15 manufacturing innovation centers by 2020, about 40 by 2025",
        source=MIIT[0],
        source_en=MIIT[1],
        intro="按照〔2016〕273号文件的部署，国家级创新中心分两个阶段建设，省级中心作为支撑和补充。",
        intro_en="Document [2016] No. 273 plans national centers in two stages, with provincial centers "
        "supporting and complementing them.",
        body="<p>根据部署，到2020年形成约15家国家制造业创新中心，到2025年形成约40家。</p>"
        "<p>在条件具备、综合实力较强的地区，还将建设一批省级（区域）制造业创新中心，与国家级中心共同构成"
        "多层次的创新网络。</p><h2>平台上的对应服务</h2><p>本平台按“国家级、省级、市级、公共服务平台”四个层级"
        "标注服务机构，方便企业识别。</p>",
        body_en="<p>The plan aims for roughly 15 national manufacturing innovation centers by 2020 and roughly 40 "
        "by 2025.</p><p>Regions with the means to do so are to add provincial or regional centers, which "
        "together with the national ones form a multi-level innovation network.</p><h2>On this platform</h2>"
        "<p>Every provider here is labelled national, provincial, municipal or public service platform, so "
        "enterprises can tell them apart at a glance.</p>",
        tags=("政策", "国家级创新中心"),
    ),
    DemoBulletin(
        slug="ningbo-wins-key-components-platform",
        category="news",
        date=datetime.date(2021, 7, 22),
        title="宁波中标工信部关键零部件创新成果产业化公共服务平台项目",
        title_en="Ningbo wins the MIIT bid for a key-components innovation industrialisation platform",
        source="宁波市科学技术局",
        source_en="Ningbo Municipal Science and Technology Bureau",
        intro="在北京、重庆、青岛等9个城市的竞争中，宁波位列中标公示第一名，平台总投资1.1亿元。",
        intro_en="Competing with nine cities including Beijing, Chongqing and Qingdao, Ningbo came first; "
        "the project totals RMB 110 million.",
        body="<p>该项目属于工信部2021年产业技术基础公共服务平台，平台落户宁波市奉化区，由宁波摩米创新工场"
        "担任运营主体。</p><p>项目以产业需求为导向，推动创新成果在本地中试、转化和产业化，力争建成国家级"
        "创新成果产业化示范区。</p>",
        body_en="<p>The project is one of MIIT's 2021 public service platforms for industrial technology "
        "foundations. It is based in Fenghua District, Ningbo, and operated by Ningbo Momi Innovation "
        "Factory.</p><p>Driven by what local industry needs, it is meant to take innovations through pilot "
        "runs, transfer and production in Ningbo, with the aim of a national demonstration zone for "
        "industrialising innovations.</p>",
        tags=("宁波", "公共服务平台", "关键零部件"),
        providers=(NINGBO_PLATFORM,),
    ),
    DemoBulletin(
        slug="ningbo-platform-six-services",
        category="news",
        date=datetime.date(2021, 8, 10),
        title="宁波关键零部件平台的六类公共服务和合作单位",
        title_en="Ningbo's key-components platform: six public services and its partners",
        source="宁波摩米创新工场",
        source_en="Ningbo Momi Innovation Factory",
        intro="平台联合国家气动产品质量监督检验中心等单位，为企业提供从对接到中试的全链条服务。",
        intro_en="With partners such as the National Pneumatic Product Quality Supervision and Inspection "
        "Center, the platform covers the path from matchmaking to pilot production.",
        body="<h2>六类服务</h2><ol><li>供需对接</li><li>技术评价</li><li>知识产权管理</li><li>检验检测</li>"
        "<li>试验验证</li><li>中试熟化</li></ol><h2>合作单位</h2><p>奉化区的星宇电子（宁波）有限公司、"
        "国家气动产品质量监督检验中心、宁波佳尔灵气动机械有限公司，以及北京机械工业信息研究院、哈尔滨工业大学、"
        "南京理工大学张家港工程院共同参与建设。</p><p>相关服务已在本平台上线，可直接在线询价。</p>",
        body_en="<h2>Six services</h2><ol><li>Supply-demand docking</li><li>Technology evaluation</li>"
        "<li>Intellectual property management</li><li>Inspection and testing</li><li>Experimental "
        "verification</li><li>Pilot-scale maturation</li></ol><h2>Partners</h2><p>Xingyu Electronics (Ningbo), "
        "the National Pneumatic Product Quality Supervision and Inspection Center and Ningbo Jiaerling "
        "Pneumatic Machinery in Fenghua work with the Beijing Institute of Machinery Industry Information, "
        "Harbin Institute of Technology and the Zhangjiagang Engineering Institute of Nanjing University of "
        "Science and Technology.</p><p>These services are listed on this platform and can be quoted online.</p>",
        tags=("宁波", "检验检测", "中试熟化"),
        providers=(NINGBO_PLATFORM, NINGBO_PNEUMATIC),
        service_keywords=("inspection", "pilot", "evaluation"),
    ),
    DemoBulletin(
        slug="shandong-two-national-centers",
        category="news",
        date=datetime.date(2022, 2, 28),
        title="山东拥有2家国家制造业创新中心和22家省级中心",
        title_en="Shandong has 2 national and 22 provincial manufacturing innovation centers",
        source="山东省工业和信息化厅",
        source_en="Shandong Department of Industry and Information Technology",
        intro="国家先进印染技术创新中心和国家高端智能化家用电器创新中心均落户山东。",
        intro_en="Both the national advanced printing and dyeing center and the national high-end intelligent "
        "household appliance center are in Shandong.",
        body="<p>围绕重点产业链，山东先后建成国家先进印染技术创新中心和国家高端智能化家用电器创新中心，"
        "国家级中心数量与上海、江苏等省市并列全国第三。</p><p>下一步，山东将推动两家国家级中心尽快形成技术开发、"
        "测试验证、中试孵化和成果转化的设施条件，并列出技术攻关清单。</p>",
        body_en="<p>Built around key industrial chains, Shandong's two national centers cover advanced printing "
        "and dyeing and high-end intelligent household appliances, which puts the province level third "
        "nationally with Shanghai and Jiangsu.</p><p>Next, the province wants both centers to have their "
        "development, testing, pilot incubation and commercialisation facilities running soon, working "
        "through a list of technical problems.</p>",
        tags=("山东", "国家级创新中心"),
        providers=(SD_DYEING, SD_APPLIANCE),
    ),
    DemoBulletin(
        slug="shandong-provincial-centers",
        category="news",
        date=datetime.date(2022, 3, 8),
        title="山东省级制造业创新中心覆盖纱线面料、轴承、绿色海洋化工等领域",
        title_en="Shandong's provincial centers span yarns and fabrics, bearings, green marine chemicals and more",
        source="山东省工业和信息化厅",
        source_en="Shandong Department of Industry and Information Technology",
        intro="22家省级中心围绕重点产业链布局，另有20余家在培育中。",
        intro_en="The 22 provincial centers follow key industrial chains, and more than 20 more are being cultivated.",
        body="<p>已认定的省级中心涉及新型纱线与面料、运动用品、绿色海洋化工、工业固废资源化利用、超高清视频、"
        "环境控制与节能、轴承等方向；制氢储能、车联网智能应用等20余家处于培育阶段。</p>"
        "<p>山东将采取“存量+增量”的思路，分批认定、培育和储备创新中心。</p>",
        body_en="<p>The recognised provincial centers work on new yarns and fabrics, sporting goods, green marine "
        "chemicals, recycling of industrial solid waste, ultra-high-definition video, environmental control and "
        "energy saving, and bearings; over 20 more, including hydrogen production and storage and connected "
        "vehicles, are in preparation.</p><p>The province follows an approach of building on existing centers "
        "while adding new ones in batches.</p>",
        tags=("山东", "省级创新中心"),
        providers=SD_PROVINCIAL,
    ),
    DemoBulletin(
        slug="harbin-municipal-center-measures",
        category="policy",
        date=datetime.date(2023, 1, 31),
        title="哈尔滨出台市级制造业创新中心建设管理办法",
        title_en="Harbin issues management measures for municipal manufacturing innovation centers",
        source="哈尔滨市工业和信息化局",
        source_en="Harbin Bureau of Industry and Information Technology",
        intro="办法对市级创新中心的建设、认定和管理作出规范，明确了申报条件。",
        intro_en="The measures govern how municipal centers are built, recognised and managed, and who may apply.",
        body="<h2>申报条件</h2><ul><li>由企业、高校院所和行业联盟自愿组合，以独立企业法人形式运行；</li>"
        "<li>由行业内有影响力的骨干企业或高校院所牵头组建；</li><li>设立专家委员会，研究行业共性关键技术问题并确定"
        "研发方向；</li><li>具备稳定的研发和管理团队、完善的研发场地设施和资金保障。</li></ul>",
        body_en="<h2>Who may apply</h2><ul><li>Enterprises, universities, institutes and industry alliances that "
        "join voluntarily and run the center as an independent legal entity;</li><li>led by an influential "
        "backbone enterprise or a university institute tied to the industry;</li><li>with an expert committee "
        "that studies shared technical problems and sets R&amp;D priorities;</li><li>with stable R&amp;D and "
        "management teams, proper facilities and secured funding.</li></ul>",
        tags=("哈尔滨", "管理办法"),
        providers=HRB_CENTERS,
    ),
    DemoBulletin(
        slug="harbin-centers-public-services",
        category="policy",
        date=datetime.date(2023, 2, 14),
        title="哈尔滨市级创新中心的主要任务：研发、成果转化和公共技术服务",
        title_en="What Harbin's municipal centers do: R&D, technology transfer and public technical services",
        source="哈尔滨市工业和信息化局",
        source_en="Harbin Bureau of Industry and Information Technology",
        intro="市级中心除开展前沿技术和共性技术研发外，还要为行业企业提供试验验证、技术咨询等委托服务。",
        intro_en="Besides frontier and shared R&D, municipal centers take on commissioned work such as test "
        "verification and technical consultation for companies.",
        body="<p>按照管理办法，市级中心开展新产品、新技术、新工艺、新材料和新装备的研发，推动技术成果转移扩散和"
        "商业化应用。</p><p>中心还承担产业发展研究和重大技术创新项目评估等工作。企业可以在本平台查看哈尔滨各中心"
        "开放的试验验证和技术咨询服务。</p>",
        body_en="<p>Under the measures, municipal centers develop new products, technologies, processes, materials "
        "and equipment, and move results into commercial use.</p><p>They also research industry development and "
        "assess major innovation projects. Enterprises can find the test verification and consultation services "
        "that Harbin's centers offer on this platform.</p>",
        tags=("哈尔滨", "试验验证", "技术咨询"),
        providers=HRB_CENTERS,
        service_keywords=("verification", "consult"),
    ),
    DemoBulletin(
        slug="harbin-pilot-city-2024",
        category="news",
        date=datetime.date(2024, 6, 21),
        title="哈尔滨入选首批制造业新技术改造升级试点城市",
        title_en="Harbin is among the first pilot cities for advanced manufacturing technology upgrades",
        source="哈尔滨市工业和信息化局",
        source_en="Harbin Bureau of Industry and Information Technology",
        intro="工信部批复2024年试点城市实施方案，哈尔滨与其他19个城市入选首批，每市最高可获3亿元中央财政奖励。",
        intro_en="MIIT approved the 2024 plans of the first 20 pilot cities, Harbin among them; each city can "
        "receive up to 300 million yuan from central funds.",
        body="<h2>三个试点行业</h2><ul><li>电力装备</li><li>航空航天制造</li><li>医药和食品制造</li></ul>"
        "<p>试点聚焦工业设备更新和传统产业改造，推动企业向高端化、智能化、绿色化转型，并带动产业链、供应链数字化"
        "升级。</p><p>哈尔滨市工业和信息化局牵头推进，并与哈尔滨电气集团合作实施三大专项行动。</p>",
        body_en="<h2>Three pilot sectors</h2><ul><li>Power equipment</li><li>Aerospace manufacturing</li>"
        "<li>Pharmaceutical and food manufacturing</li></ul><p>The pilot concentrates on replacing industrial "
        "equipment and upgrading traditional industries, pushing companies towards high-end, intelligent and "
        "green production and digitising supply chains.</p><p>The city's industry bureau leads the work and runs "
        "three programmes together with Harbin Electric Corporation.</p>",
        tags=("哈尔滨", "试点城市", "技术改造"),
        providers=HRB_CENTERS,
    ),
    DemoBulletin(
        slug="how-to-request-a-quote",
        category="notice",
        date=datetime.date(2026, 10, 15),
        title="如何在平台上询价和下单",
        title_en="How to request a quote and place an order",
        source=PLATFORM[0],
        source_en=PLATFORM[1],
        intro="从询价、报价到订单、报告和评价，每一步都在平台上留有记录。",
        intro_en="From request to quote, order, report and review, every step is recorded on the platform.",
        body="<ol><li><b>关联企业</b>：注册后创建或加入您的企业，企业信息经统一社会信用代码校验。</li>"
        "<li><b>提交询价</b>：在服务页面点击“询价”，填写样品数量、检测标准和期望完成日期，可上传图纸、规格书、"
        "样品清单等附件（PDF、图片、Word、Excel 或 ZIP）。</li>"
        "<li><b>查看报价</b>：服务机构的报价列明各项费用、增值税、有效期和周期，可下载 PDF。需要调整时，机构会发出"
        "新版本，旧版本随之失效；过期未答复的报价自动关闭。</li>"
        "<li><b>接受即下单</b>：接受报价后生成订单；不合适也可以拒绝。标注固定价格或按件计价的服务无需询价，"
        "可以直接下单。</li>"
        "<li><b>付款和跟踪</b>：目前采用银行对公转账，服务机构确认到账后开始安排。订单页面的时间线记录收样、"
        "检测和出具报告等每一步，双方可以在订单消息中沟通。</li>"
        "<li><b>报告和评价</b>：机构在订单页面上传报告；任何人都可以在 /verify/ 输入报告验证码并上传 PDF，"
        "核对报告真伪。订单完成后欢迎评价，机构可以回复。</li></ol>"
        "<p>标注“面议”的服务只能通过询价获取价格。</p>",
        body_en="<ol><li><b>Link your enterprise</b>: after registering, create or join your company; its "
        "unified social credit code is validated.</li><li><b>Request a quote</b>: on a service page choose "
        "“Request a quote” and give the number of samples, the standards and the date you need; attach drawings, "
        "specifications or a sample list (PDF, images, Word, Excel or ZIP).</li><li><b>Read the quote</b>: "
        "the provider's quote lists each item, VAT, how long it is valid and the turnaround, and can be "
        "downloaded as a PDF. A revision replaces the previous version; quotes left unanswered past their "
        "validity date close by themselves.</li><li><b>Accept to order</b>: accepting a quote creates the "
        "order, or you may decline it. Fixed-price and per-unit services need no quote: order them directly."
        "</li><li><b>Pay and follow</b>: payment is by bank transfer for now, and the provider confirms when "
        "it arrives. The order page's timeline records sample receipt, testing and the report, and both sides "
        "can message each other there.</li><li><b>Report and review</b>: the provider uploads the report on "
        "the order page; anyone can check a report at /verify/ with its verification code and the PDF. Once "
        "the order is completed, review the service; the provider may reply.</li></ol><p>Services marked “on "
        "quotation” are priced through quotes only.</p>",
        tags=("询价", "使用指南"),
        service_keywords=("inspection",),
    ),
    DemoBulletin(
        slug="new-year-2027-service-hours",
        category="notice",
        date=datetime.date(2026, 11, 20),
        title="2027年元旦假期平台服务安排",
        title_en="Platform service hours over the 2027 New Year holiday",
        source=PLATFORM[0],
        source_en=PLATFORM[1],
        intro="假期期间在线询价和下单不受影响，人工客服和线下收样按各机构安排执行。",
        intro_en="Online quotes and orders keep working over the holiday; support desks and sample intake "
        "follow each provider's own schedule.",
        body="<ul><li>在线询价、下单、订单消息和报告下载：正常开放；</li>"
        "<li>银行转账到账确认、报价和报告上传：由各服务机构按其值班安排处理，节后可能顺延；</li>"
        "<li>平台客服：假期每天10:00–16:00在线；</li>"
        "<li>收样和检测：以各服务机构公告为准，节后顺延的检测周期不计入承诺工期。</li></ul>"
        "<p>具体放假日期以国务院办公厅通知为准。</p>",
        body_en="<ul><li>Quote requests, orders, order messages and report downloads: open as usual;</li>"
        "<li>confirming bank transfers, sending quotes and uploading reports: handled by each provider's duty "
        "staff, possibly after the holiday;</li><li>platform support: online 10:00–16:00 every day of the "
        "holiday;</li><li>sample intake and testing: as announced by each provider; days lost to the holiday do "
        "not count towards promised turnaround.</li></ul>"
        "<p>The exact holiday dates are those announced by the General Office of the State Council.</p>",
        tags=("服务时间",),
    ),
    DemoBulletin(
        slug="provider-verification-notice",
        category="notice",
        date=datetime.date(2026, 11, 2),
        title="服务机构入驻与资质核验说明",
        title_en="Joining the platform as a provider: how verification works",
        source=PLATFORM[0],
        source_en=PLATFORM[1],
        intro="创新中心和公共服务平台入驻后，需要通过法人信息和资质核验才能对外展示服务。",
        intro_en="Innovation centers and public service platforms must pass legal-entity and accreditation "
        "checks before their services are shown publicly.",
        body="<h2>需要准备的材料</h2><ul><li>统一社会信用代码和法人信息；</li><li>CNAS、CMA等资质证书编号及有效期；</li>"
        "<li>主要设备清单。</li></ul><p>平台运营团队一般在5个工作日内完成核验，核验通过后服务即可上架。</p>",
        body_en="<h2>What to prepare</h2><ul><li>Unified social credit code and legal-entity details;</li>"
        "<li>CNAS, CMA and other accreditation numbers with their validity;</li><li>a list of your main "
        "instruments.</li></ul><p>The operations team normally completes the checks within five working days, "
        "after which your services can go live.</p>",
        tags=("服务机构", "资质核验"),
    ),
)


def related_providers(spec: DemoBulletin) -> list[Provider]:
    return list(Provider.objects.filter(organization__name__in=spec.providers))


def related_services(spec: DemoBulletin, providers: list[Provider]) -> list[Service]:
    """Public services of the bulletin's providers, else of its service categories; none when the catalog is empty."""
    services = services_public()
    by_provider = list(services.filter(provider__in=providers)[:RELATED_SERVICES]) if providers else []
    if by_provider or not spec.service_keywords:
        return by_provider
    category_match = Q()
    for keyword in spec.service_keywords:
        category_match |= Q(category__name_en__icontains=keyword) | Q(category__parent__name_en__icontains=keyword)
    return list(services.filter(category_match)[:RELATED_SERVICES])


def build_bulletin(spec: DemoBulletin) -> BulletinPage:
    providers = related_providers(spec)
    page = BulletinPage(
        title=spec.title,
        title_en=spec.title_en,
        slug=spec.slug,
        category=spec.category,
        date=spec.date,
        source=spec.source,
        source_en=spec.source_en,
        intro=spec.intro,
        intro_en=spec.intro_en,
        body=spec.body,
        body_en=spec.body_en,
        related_providers=providers,
        related_services=related_services(spec, providers),
    )
    page.tags.set(list(spec.tags))
    return page


@transaction.atomic
def load() -> None:
    home, index = ensure_site()
    for standard in STANDARD_PAGES:
        ensure_child(
            home,
            StandardPage(
                title=standard.title,
                title_en=standard.title_en,
                slug=standard.slug,
                body=standard.body,
                body_en=standard.body_en,
            ),
        )
    for spec in BULLETINS:
        if not index.get_children().filter(slug=spec.slug).exists():
            ensure_child(index, build_bulletin(spec))
