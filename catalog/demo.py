# ruff: noqa: E501 - data tables: CJK characters count double in ruff's width and wrapping rows hurts readability
"""Demo catalog: industry fields, the category tree, ten providers with equipment and 80+ services.

Facts (center names, cities, fields, kinds of service) come from the seed news; the sentences are
ours. Idempotent: everything is keyed by slugs (equipment by provider and Chinese name), so
`manage.py demo` can run any number of times. Services are generated from compact tables below;
summaries and descriptions are assembled from per-category phrasing.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from marketplace.organizations.demo import org_by_key

from .models import Accreditation, Equipment, IndustryField, Provider, Service, ServiceCategory

FIELDS: tuple[tuple[str, str, str], ...] = (
    ("new-generation-it", "新一代信息技术", "New-generation information technology"),
    ("intelligent-manufacturing", "智能制造", "Intelligent manufacturing"),
    ("additive-manufacturing", "增材制造", "Additive manufacturing"),
    ("new-materials", "新材料", "New materials"),
    ("biomedicine", "生物医药", "Biomedicine"),
    ("printing-dyeing", "先进印染", "Advanced printing and dyeing"),
    ("household-appliances", "高端智能家电", "Intelligent household appliances"),
    ("pneumatics", "气动元件", "Pneumatics"),
    ("power-equipment", "电力装备", "Power equipment"),
    ("aerospace", "航空航天", "Aerospace"),
    ("pharma-food", "医药与食品制造", "Pharmaceutical and food manufacturing"),
    ("bearings", "轴承", "Bearings"),
    ("textiles", "新型纱线与面料", "Yarns and fabrics"),
    ("marine-chemicals", "绿色海洋化工", "Green marine chemicals"),
    ("key-components", "关键零部件", "Key components"),
)

# (slug, zh, en, description zh, description en, children: (slug, zh, en))
CATEGORIES: tuple[tuple[str, str, str, str, str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "inspection-testing",
        "检验检测",
        "Inspection and testing",
        "按国家标准、行业标准和国际标准开展的检测，报告可用于质量控制、招投标和产品认证。",
        "Tests to national, industry and international standards, with reports for quality control, "
        "tenders and certification.",
        (
            ("mechanical-testing", "力学性能检测", "Mechanical testing"),
            ("reliability-testing", "可靠性与寿命试验", "Reliability and life testing"),
            ("textile-testing", "纺织品检测", "Textile testing"),
            ("chemical-analysis", "化学成分与安全分析", "Chemical and safety analysis"),
        ),
    ),
    (
        "experimental-verification",
        "试验验证",
        "Experimental verification",
        "在接近真实工况的条件下验证样机、新工艺和新材料，帮助企业在量产前发现问题。",
        "Prototypes, new processes and new materials verified under near-real conditions before mass production.",
        (
            ("prototype-verification", "样机验证", "Prototype verification"),
            ("environmental-testing", "环境与振动试验", "Environmental and vibration testing"),
        ),
    ),
    (
        "technology-evaluation",
        "技术评价",
        "Technology evaluation",
        "由专家委员会对技术成熟度、先进性和产业化前景作出独立评价。",
        "Independent expert assessment of technology readiness, novelty and prospects for industrialisation.",
        (
            ("technology-readiness", "技术成熟度评价", "Technology readiness assessment"),
            ("achievement-evaluation", "科技成果评价", "Evaluation of research results"),
        ),
    ),
    (
        "technical-consultation",
        "技术咨询",
        "Technical consultation",
        "面向中小企业的工艺诊断、标准解读和数字化改造咨询。",
        "Process diagnosis, standards guidance and digital upgrade advice for small and medium-sized enterprises.",
        (
            ("process-consulting", "工艺诊断与改进", "Process diagnosis and improvement"),
            ("digital-transformation", "数字化转型咨询", "Digital transformation consulting"),
        ),
    ),
    (
        "ip-management",
        "知识产权管理",
        "IP management",
        "专利导航、布局分析、价值评估和知识产权运营服务。",
        "Patent landscaping, portfolio analysis, valuation and IP commercialisation.",
        (
            ("patent-analysis", "专利分析与导航", "Patent analysis and landscaping"),
            ("ip-operations", "知识产权运营", "IP commercialisation"),
        ),
    ),
    (
        "pilot-maturation",
        "中试熟化",
        "Pilot-scale maturation",
        "利用中试线和工程化团队，把实验室成果放大到可稳定生产的工艺。",
        "Pilot lines and engineering teams scale laboratory results up to processes that run reliably in production.",
        (
            ("pilot-production", "中试生产", "Pilot production"),
            ("process-scale-up", "工艺放大", "Process scale-up"),
        ),
    ),
    (
        "supply-demand-docking",
        "供需对接",
        "Supply-demand docking",
        "把企业的技术需求与高校、院所和创新中心的成果对接起来。",
        "Matching enterprises' technical needs with results from universities, institutes and innovation centers.",
        (
            ("technology-matching", "技术需求对接", "Technology needs matching"),
            ("achievement-transfer", "成果转移转化", "Transfer of research results"),
        ),
    ),
)


@dataclass(frozen=True)
class DemoProvider:
    key: str  # organization key in marketplace.organizations.demo
    slug: str
    name_en: str
    level: str
    fields: tuple[str, ...]
    lead_organization: str
    description_zh: str
    description_en: str
    address: str
    contact_name: str
    phone: str
    email: str
    accreditations: tuple[tuple[str, str], ...]  # (scheme, number)
    # (name_zh, name_en, model, manufacturer, location, bookable, min notice h, max slot h)
    equipment: tuple[tuple[str, str, str, str, str, bool, int, int], ...]


# The English of each demo provider's lead organization, address and contact person (the pages show them on /en/).
PROVIDERS_EN: dict[str, tuple[str, str, str]] = {
    "ningbo-key-components": (
        "Ningbo Momi Innovation Factory",
        "1 Chuangxin Road, Fenghua District, Ningbo, Zhejiang",
        "Mr Chen",
    ),
    "national-pneumatic-inspection": (
        "Ningbo Academy of Product and Food Quality Inspection",
        "Pneumatics City Testing Building, Fenghua District, Ningbo, Zhejiang",
        "Mr Wang",
    ),
    "national-printing-dyeing-center": (
        "Leading Shandong dyeing companies with partner universities",
        "Printing and Dyeing Innovation Park, High-tech Zone, Tai'an, Shandong",
        "Dr Liu",
    ),
    "national-smart-appliance-center": (
        "Led by Qingdao's major appliance makers",
        "Home Appliance Innovation Center, Laoshan District, Qingdao, Shandong",
        "Mr Zhao",
    ),
    "shandong-yarn-fabric-center": (
        "Weifang's leading textile companies",
        "Textile Science Park, Kuiwen District, Weifang, Shandong",
        "Mr Sun",
    ),
    "shandong-bearing-center": (
        "Leading companies of the Liaocheng bearing cluster",
        "Bearing Industrial Park, Linqing, Liaocheng, Shandong",
        "Mr Zhou",
    ),
    "shandong-marine-chemicals-center": (
        "Weifang's leading marine chemical companies",
        "Binhai Economic and Technological Development Zone, Weifang, Shandong",
        "Dr Wu",
    ),
    "harbin-power-equipment-center": (
        "Harbin's leading power-equipment makers",
        "Power Equipment Industrial Park, Xiangfang District, Harbin, Heilongjiang",
        "Mr Li",
    ),
    "harbin-aerospace-center": (
        "Harbin aerospace companies and universities",
        "Aviation Industrial Park, Pingfang District, Harbin, Heilongjiang",
        "Mr Zheng",
    ),
    "harbin-pharma-food-center": (
        "Harbin's leading pharmaceutical and food companies",
        "Pharmaceutical Park, Limin Development Zone, Harbin, Heilongjiang",
        "Dr Gao",
    ),
}


PROVIDERS: tuple[DemoProvider, ...] = (
    DemoProvider(
        "ningbo-platform",
        "ningbo-key-components",
        "National Public Service Platform for Industrialising Innovations in Key Components",
        "platform",
        ("key-components", "intelligent-manufacturing", "pneumatics", "new-materials"),
        "宁波摩米创新工场",
        "平台设在宁波市奉化区，由宁波摩米创新工场运营，联合本地气动企业、国家气动产品质检中心以及高校院所共同建设，"
        "为关键零部件领域的创新成果提供从评价、知识产权到中试熟化的一站式服务。",
        "Based in Fenghua District, Ningbo, and run by Ningbo Momi Innovation Factory together with local pneumatics "
        "companies, the national pneumatic inspection center and partner universities. It takes innovations in key "
        "components from evaluation and IP work through to pilot-scale maturation.",
        "浙江省宁波市奉化区创新路 1 号",
        "陈工",
        "0574-8888 0101",
        "service@ningbo-platform.example.cn",
        (("CMA", "221112340001"), ("ISO9001", "00121Q30001R0M")),
        (
            ("五轴联动加工中心", "Five-axis machining center", "DMU 65", "DMG MORI", "中试车间 A", True, 48, 8),
            ("三坐标测量机", "Coordinate measuring machine", "CONTURA 7/10/6", "ZEISS", "计量室", True, 24, 4),
            ("金属 3D 打印机", "Metal 3D printer", "EP-M250", "易加三维", "中试车间 B", True, 72, 48),
        ),
    ),
    DemoProvider(
        "ningbo-pneumatic",
        "national-pneumatic-inspection",
        "National Pneumatic Product Quality Supervision and Inspection Center",
        "platform",
        ("pneumatics", "key-components"),
        "宁波市产品食品质量检验研究院",
        "国家级气动产品检验机构，覆盖电磁阀、气缸、气源处理元件等产品的性能、寿命和可靠性检测，"
        "为奉化及全国气动企业提供第三方检测和标准咨询。",
        "The national inspection body for pneumatic products: performance, endurance and reliability tests of "
        "solenoid valves, cylinders and air preparation units, plus standards advice for manufacturers.",
        "浙江省宁波市奉化区气动城检测大楼",
        "王工",
        "0574-8888 0202",
        "lab@pneumatic-inspection.example.cn",
        (("CNAS", "CNAS L0472"), ("CMA", "221112340002")),
        (
            ("气动元件综合性能试验台", "Pneumatic component test bench", "QDT-2000", "自研", "性能实验室", True, 24, 8),
            ("电磁阀寿命试验台", "Solenoid valve endurance rig", "SVL-64", "自研", "寿命实验室", False, 24, 8),
            ("盐雾试验箱", "Salt spray chamber", "YWX/Q-750", "无锡苏南", "环境实验室", True, 48, 168),
        ),
    ),
    DemoProvider(
        "sd-dyeing",
        "national-printing-dyeing-center",
        "National Advanced Printing and Dyeing Technology Innovation Center",
        "national",
        ("printing-dyeing", "textiles", "new-materials"),
        "山东省印染龙头企业与高校联合体",
        "山东建设的两家国家级制造业创新中心之一，面向印染行业的共性关键技术，提供检测验证、中试孵化和成果转化服务，"
        "重点方向包括数码印花、少水无水染色和印染废水治理。",
        "One of Shandong's two national manufacturing innovation centers. It works on the common key technologies "
        "of the dyeing industry — digital printing, low-water dyeing, effluent treatment — and offers testing, "
        "pilot incubation and technology transfer.",
        "山东省泰安市高新区印染创新园",
        "刘博士",
        "0538-6666 0303",
        "service@dyeing-center.example.cn",
        (("CNAS", "CNAS L1893"), ("CMA", "231512340003")),
        (
            ("数码印花中试线", "Digital printing pilot line", "DP-1800", "宏华", "中试基地", True, 72, 24),
            ("分光测色仪", "Spectrophotometer", "Datacolor 850", "Datacolor", "色彩实验室", False, 24, 8),
            ("耐洗色牢度试验机", "Washing fastness tester", "SW-12A", "温州大荣", "色牢度实验室", False, 24, 8),
        ),
    ),
    DemoProvider(
        "sd-appliance",
        "national-smart-appliance-center",
        "National High-end Intelligent Household Appliance Innovation Center",
        "national",
        ("household-appliances", "new-generation-it", "intelligent-manufacturing"),
        "青岛家电龙头企业牵头",
        "位于青岛的国家级创新中心，围绕高端智能家电开展安全、能效、噪声和互联互通测试，并提供样机验证与数字化工厂咨询。",
        "A national innovation center in Qingdao for high-end smart appliances: safety, energy efficiency, noise "
        "and interoperability testing, prototype verification and smart-factory consulting.",
        "山东省青岛市崂山区家电创新中心",
        "赵工",
        "0532-8888 0404",
        "lab@appliance-center.example.cn",
        (("CNAS", "CNAS L2210"), ("CMA", "231512340004")),
        (
            ("半消声室", "Hemi-anechoic chamber", "HAC-8", "声望", "声学实验室", True, 72, 8),
            ("能效测试室", "Energy efficiency test room", "EE-4", "自研", "能效实验室", False, 24, 8),
            ("电磁兼容测试系统", "EMC test system", "ESR7", "R&S", "EMC 实验室", True, 48, 8),
        ),
    ),
    DemoProvider(
        "sd-yarn",
        "shandong-yarn-fabric-center",
        "Shandong New Yarn and Fabric Manufacturing Innovation Center",
        "provincial",
        ("textiles", "new-materials"),
        "潍坊纺织骨干企业",
        "省级制造业创新中心，聚焦新型纱线与功能面料，提供纤维、纱线和织物的全套物理与化学检测，以及新品打样和中试。",
        "A provincial innovation center for new yarns and functional fabrics: physical and chemical testing of "
        "fibres, yarns and fabrics, plus sampling and pilot runs for new products.",
        "山东省潍坊市奎文区纺织科技园",
        "孙工",
        "0536-8888 0505",
        "test@yarn-center.example.cn",
        (("CNAS", "CNAS L3105"), ("CMA", "231512340005")),
        (
            ("织物强力机", "Fabric strength tester", "YG026", "宁波纺仪", "物理实验室", False, 24, 8),
            ("单纱强力仪", "Single yarn strength tester", "YG063", "常州纺仪", "物理实验室", False, 24, 8),
            ("小样织机", "Sample loom", "SL-8", "自研", "打样车间", True, 48, 24),
        ),
    ),
    DemoProvider(
        "sd-bearing",
        "shandong-bearing-center",
        "Shandong Bearing Manufacturing Innovation Center",
        "provincial",
        ("bearings", "intelligent-manufacturing", "key-components"),
        "聊城轴承产业集群骨干企业",
        "省级轴承制造业创新中心，提供滚动轴承精度、振动、寿命和材料检测，支持轴承企业开展工艺改进和可靠性提升。",
        "A provincial center for bearings: accuracy, vibration, life and material tests of rolling bearings, and "
        "support for process improvement and reliability growth.",
        "山东省聊城市临清市轴承产业园",
        "周工",
        "0635-8888 0606",
        "lab@bearing-center.example.cn",
        (("CNAS", "CNAS L4420"), ("CMA", "231512340006")),
        (
            ("轴承寿命强化试验机", "Bearing life test rig", "ABLT-1A", "杭州轴研", "寿命实验室", False, 24, 8),
            ("轴承振动测量仪", "Bearing vibration meter", "BVT-5", "杭州轴研", "精度实验室", True, 24, 4),
            ("圆度仪", "Roundness tester", "Talyrond 565", "Taylor Hobson", "精度实验室", True, 24, 4),
        ),
    ),
    DemoProvider(
        "sd-marine",
        "shandong-marine-chemicals-center",
        "Shandong Green Marine Chemicals Manufacturing Innovation Center",
        "provincial",
        ("marine-chemicals", "new-materials"),
        "潍坊海洋化工骨干企业",
        "省级创新中心，面向溴系阻燃剂、海水提取化学品等绿色海洋化工产品，提供成分分析、阻燃性能测试和工艺放大。",
        "A provincial center for green marine chemicals such as bromine flame retardants and chemicals extracted "
        "from seawater: composition analysis, flame-retardancy tests and process scale-up.",
        "山东省潍坊市滨海经济技术开发区",
        "吴博士",
        "0536-8888 0707",
        "service@marine-chem.example.cn",
        (("CNAS", "CNAS L5017"), ("CMA", "231512340007")),
        (
            ("电感耦合等离子体发射光谱仪", "ICP-OES spectrometer", "Avio 550", "PerkinElmer", "分析中心", False, 24, 8),
            ("氧指数测定仪", "Oxygen index tester", "JF-3", "南京江宁", "阻燃实验室", False, 24, 8),
            ("50 L 中试反应釜", "50 L pilot reactor", "R-50", "自研", "中试车间", True, 72, 72),
        ),
    ),
    DemoProvider(
        "hrb-power",
        "harbin-power-equipment-center",
        "Harbin Power Equipment Manufacturing Innovation Center",
        "municipal",
        ("power-equipment", "intelligent-manufacturing", "new-materials"),
        "哈尔滨电力装备骨干企业",
        "哈尔滨市级制造业创新中心，服务电力装备试点产业，提供金属材料力学性能、焊缝无损检测、绝缘与局部放电测试。",
        "A Harbin municipal center serving the city's power-equipment pilot sector: mechanical tests of metals, "
        "non-destructive testing of welds, insulation and partial-discharge measurement.",
        "黑龙江省哈尔滨市香坊区电力装备产业园",
        "李工",
        "0451-8888 0808",
        "lab@hrb-power.example.cn",
        (("CNAS", "CNAS L6231"), ("CMA", "232312340008")),
        (
            ("电子万能试验机", "Universal testing machine", "WDW-300", "长春科新", "力学实验室", True, 24, 8),
            ("摆锤冲击试验机", "Pendulum impact tester", "JBW-500", "济南时代", "力学实验室", False, 24, 8),
            ("局部放电检测系统", "Partial discharge system", "PD-60", "自研", "高压实验室", True, 72, 8),
        ),
    ),
    DemoProvider(
        "hrb-aero",
        "harbin-aerospace-center",
        "Harbin Aerospace Manufacturing Innovation Center",
        "municipal",
        ("aerospace", "additive-manufacturing", "new-materials"),
        "哈尔滨航空航天骨干企业与高校",
        "哈尔滨市级创新中心，服务航空航天制造，提供复合材料与增材制造零件测试、环境与振动试验和工业 CT 检测。",
        "A Harbin municipal center for aerospace manufacturing: tests of composites and additively manufactured "
        "parts, environmental and vibration testing and industrial CT inspection.",
        "黑龙江省哈尔滨市平房区航空产业园",
        "郑工",
        "0451-8888 0909",
        "test@hrb-aero.example.cn",
        (("CNAS", "CNAS L7348"), ("CMA", "232312340009")),
        (
            ("电动振动台", "Electrodynamic shaker", "ES-50", "苏试", "环境实验室", True, 48, 8),
            ("高低温湿热试验箱", "Climatic chamber", "TH-1000", "ESPEC", "环境实验室", True, 48, 168),
            ("工业 CT", "Industrial CT scanner", "Y.CT Precision", "YXLON", "无损检测室", True, 72, 8),
        ),
    ),
    DemoProvider(
        "hrb-pharma",
        "harbin-pharma-food-center",
        "Harbin Pharmaceutical and Food Manufacturing Innovation Center",
        "municipal",
        ("pharma-food", "biomedicine"),
        "哈尔滨医药与食品骨干企业",
        "哈尔滨市级创新中心，面向医药与食品制造试点产业，提供微生物与理化检测、洁净室检测、工艺验证和 GMP 咨询。",
        "A Harbin municipal center for the pharmaceutical and food manufacturing pilot sector: microbiological and "
        "physico-chemical testing, cleanroom testing, process validation and GMP consulting.",
        "黑龙江省哈尔滨市利民开发区医药园",
        "高博士",
        "0451-8888 1010",
        "qa@hrb-pharma.example.cn",
        (("CNAS", "CNAS L8052"), ("CMA", "232312340010")),
        (
            ("高效液相色谱仪", "HPLC system", "1260 Infinity II", "Agilent", "理化实验室", False, 24, 8),
            ("尘埃粒子计数器", "Particle counter", "Lasair III", "PMS", "洁净检测组", False, 24, 8),
            ("喷雾干燥中试机", "Pilot spray dryer", "SD-20", "自研", "中试车间", True, 72, 24),
        ),
    ),
)


@dataclass(frozen=True)
class S:
    """One demo service row: provider key, sub-category, field, slug, titles, standards, price, days, equipment."""

    provider: str
    category: str
    field: str
    slug: str
    title_zh: str
    title_en: str
    standards: str = ""
    mode: str = "per_unit"
    price: str | None = None
    unit: str = "试样"
    days: int = 5
    equipment: tuple[int, ...] = ()  # indexes into the provider's equipment


Q = "quote_only"
SERVICES: tuple[S, ...] = (
    # Ningbo key-components platform: the full chain the seed lists for it.
    S("ningbo-platform", "technology-matching", "key-components", "component-needs-matching",
      "关键零部件技术需求对接", "Matching key-component technology needs", "", Q, None, "", 20),
    S("ningbo-platform", "achievement-transfer", "key-components", "achievement-transfer-agency",
      "创新成果转移转化代理", "Technology transfer agency for innovations", "", Q, None, "", 60),
    S("ningbo-platform", "technology-readiness", "key-components", "trl-assessment",
      "技术成熟度（TRL）评价", "Technology readiness level (TRL) assessment", "GB/T 22900-2022", "fixed", "18000", "", 20),
    S("ningbo-platform", "achievement-evaluation", "intelligent-manufacturing", "achievement-evaluation",
      "科技成果第三方评价", "Third-party evaluation of research results", "GB/T 22900-2022", "fixed", "12000", "", 15),
    S("ningbo-platform", "patent-analysis", "pneumatics", "pneumatics-patent-landscape",
      "气动领域专利导航分析", "Patent landscape of pneumatics", "GB/T 39551.1-2020", "fixed", "25000", "", 30),
    S("ningbo-platform", "ip-operations", "key-components", "patent-valuation",
      "专利价值评估", "Patent valuation", "GB/T 42748-2023", "fixed", "8000", "", 15),
    S("ningbo-platform", "pilot-production", "key-components", "precision-parts-pilot-run",
      "精密零部件中试打样", "Pilot run of precision parts", "", "per_hour", "680", "小时", 10, (0,)),
    S("ningbo-platform", "process-scale-up", "additive-manufacturing", "metal-am-process-development",
      "金属增材制造工艺开发", "Metal additive manufacturing process development", "GB/T 35351-2017", Q, None, "", 30, (2,)),
    S("ningbo-platform", "prototype-verification", "key-components", "dimensional-inspection-cmm",
      "三坐标尺寸检测", "Dimensional inspection on a CMM", "GB/T 16857.2-2017; ISO 10360-2", "per_unit", "260", "件", 3, (1,)),
    # National pneumatic inspection center.
    S("ningbo-pneumatic", "reliability-testing", "pneumatics", "solenoid-valve-performance",
      "电磁阀性能检测", "Solenoid valve performance test", "GB/T 22107-2008", "per_unit", "1200", "台", 7, (0,)),
    S("ningbo-pneumatic", "reliability-testing", "pneumatics", "pneumatic-valve-reliability",
      "气动阀可靠性评定", "Reliability assessment of pneumatic valves", "ISO 19973-1:2015; ISO 19973-2:2015",
      "per_unit", "8600", "组", 45, (1,)),
    S("ningbo-pneumatic", "reliability-testing", "pneumatics", "cylinder-reliability",
      "气缸可靠性试验", "Pneumatic cylinder reliability test", "ISO 19973-3:2015; GB/T 32336-2015",
      "per_unit", "7800", "组", 40),
    S("ningbo-pneumatic", "mechanical-testing", "pneumatics", "flow-rate-characteristics",
      "气动元件流量特性测定", "Flow-rate characteristics of pneumatic components", "ISO 6358-1:2013; GB/T 14513.1-2017",
      "per_unit", "1500", "台", 5, (0,)),
    S("ningbo-pneumatic", "chemical-analysis", "pneumatics", "compressed-air-purity",
      "压缩空气质量等级检测", "Compressed air purity classes", "ISO 8573-1:2010; GB/T 13277.1-2023",
      "fixed", "2800", "", 5),
    S("ningbo-pneumatic", "environmental-testing", "key-components", "neutral-salt-spray",
      "中性盐雾试验", "Neutral salt spray test", "GB/T 10125-2021; ISO 9227", "per_hour", "30", "小时", 10, (2,)),
    S("ningbo-pneumatic", "environmental-testing", "pneumatics", "ip-rating-test",
      "外壳防护等级（IP）试验", "Ingress protection (IP) test", "GB/T 4208-2017; IEC 60529", "per_unit", "1800", "台", 5),
    S("ningbo-pneumatic", "process-consulting", "pneumatics", "pneumatic-standards-consulting",
      "气动产品标准解读与合规咨询", "Pneumatic product standards and compliance advice", "", "per_hour", "600", "小时", 5),
    # National printing and dyeing center.
    S("sd-dyeing", "textile-testing", "printing-dyeing", "colour-fastness-washing",
      "耐洗色牢度检测", "Colour fastness to washing", "GB/T 3921-2008; ISO 105-C06:2010", "per_unit", "120", "样", 3, (2,)),
    S("sd-dyeing", "textile-testing", "printing-dyeing", "colour-fastness-rubbing",
      "耐摩擦色牢度检测", "Colour fastness to rubbing", "GB/T 3920-2008; ISO 105-X12:2016", "per_unit", "100", "样", 3),
    S("sd-dyeing", "textile-testing", "printing-dyeing", "colour-fastness-light",
      "耐光色牢度检测", "Colour fastness to artificial light", "GB/T 8427-2019; ISO 105-B02:2014",
      "per_unit", "260", "样", 7),
    S("sd-dyeing", "chemical-analysis", "printing-dyeing", "formaldehyde-content",
      "纺织品甲醛含量测定", "Formaldehyde content of textiles", "GB/T 2912.1-2009; ISO 14184-1:2011",
      "per_unit", "150", "样", 3),
    S("sd-dyeing", "chemical-analysis", "printing-dyeing", "banned-azo-dyes",
      "禁用偶氮染料检测", "Banned azo colourants", "GB/T 17592-2011; ISO 14362-1:2017", "per_unit", "450", "样", 5),
    S("sd-dyeing", "chemical-analysis", "textiles", "textile-ph-value",
      "纺织品 pH 值测定", "pH of aqueous textile extract", "GB/T 7573-2009; ISO 3071:2020", "per_unit", "80", "样", 3),
    S("sd-dyeing", "pilot-production", "printing-dyeing", "digital-printing-pilot",
      "数码印花中试打样", "Digital printing pilot sampling", "", "per_hour", "900", "小时", 7, (0,)),
    S("sd-dyeing", "process-scale-up", "printing-dyeing", "low-water-dyeing-scale-up",
      "少水染色工艺放大", "Scale-up of low-water dyeing processes", "", Q, None, "", 45),
    S("sd-dyeing", "process-consulting", "printing-dyeing", "dyeing-effluent-consulting",
      "印染废水治理工艺诊断", "Dyeing effluent treatment diagnosis", "GB 4287-2012", "fixed", "15000", "", 20),
    # National smart appliance center.
    S("sd-appliance", "chemical-analysis", "household-appliances", "appliance-safety-general",
      "家用电器通用安全检测", "General safety test of household appliances", "GB 4706.1-2005; IEC 60335-1",
      "per_unit", "6500", "台", 15),
    S("sd-appliance", "reliability-testing", "household-appliances", "appliance-emc",
      "家电电磁兼容（EMC）测试", "EMC test of household appliances", "GB 4343.1-2018; CISPR 14-1", "per_unit", "5200", "台",
      10, (2,)),
    S("sd-appliance", "reliability-testing", "household-appliances", "refrigerator-energy-efficiency",
      "冰箱能效测试", "Refrigerator energy efficiency test", "GB 12021.2-2015", "per_unit", "9800", "台", 20, (1,)),
    S("sd-appliance", "mechanical-testing", "household-appliances", "appliance-noise",
      "家电噪声测定", "Airborne noise of household appliances", "GB/T 4214.1-2017; IEC 60704-1", "per_unit", "2400", "台",
      7, (0,)),
    S("sd-appliance", "prototype-verification", "household-appliances", "smart-appliance-interoperability",
      "智能家电互联互通验证", "Interoperability verification of smart appliances", "GB/T 35136-2017", Q, None, "", 15),
    S("sd-appliance", "prototype-verification", "new-generation-it", "appliance-prototype-field-trial",
      "家电样机用户场景验证", "User-scenario trial of appliance prototypes", "", Q, None, "", 30),
    S("sd-appliance", "digital-transformation", "intelligent-manufacturing", "smart-factory-assessment",
      "智能工厂成熟度评估", "Smart manufacturing capability maturity assessment", "GB/T 39116-2020", "fixed", "30000", "",
      20),
    S("sd-appliance", "technology-matching", "household-appliances", "appliance-supplier-matching",
      "家电供应链技术对接会", "Appliance supply-chain technology matchmaking", "", "fixed", "3000", "", 30),
    # Shandong yarn and fabric center.
    S("sd-yarn", "textile-testing", "textiles", "fabric-tensile-strip",
      "织物断裂强力（条样法）", "Fabric tensile strength, strip method", "GB/T 3923.1-2013; ISO 13934-1:2013",
      "per_unit", "120", "样", 3, (0,)),
    S("sd-yarn", "textile-testing", "textiles", "single-yarn-strength",
      "单纱断裂强力测定", "Single-end yarn breaking force", "GB/T 3916-2013; ISO 2062:2009", "per_unit", "90", "样", 3, (1,)),
    S("sd-yarn", "textile-testing", "textiles", "yarn-linear-density",
      "纱线线密度测定", "Linear density of yarn", "GB/T 4743-2009; ISO 2060:1994", "per_unit", "60", "样", 2),
    S("sd-yarn", "textile-testing", "textiles", "fabric-pilling",
      "织物起毛起球测定", "Pilling of fabrics", "GB/T 4802.1-2008; ISO 12945-2:2020", "per_unit", "110", "样", 3),
    S("sd-yarn", "chemical-analysis", "textiles", "fibre-content",
      "纤维成分定量分析", "Quantitative fibre analysis", "GB/T 2910.1-2009; FZ/T 01057", "per_unit", "200", "样", 4),
    S("sd-yarn", "pilot-production", "textiles", "functional-fabric-sampling",
      "功能面料小样试织", "Sample weaving of functional fabrics", "", "per_hour", "350", "小时", 10, (2,)),
    S("sd-yarn", "technology-readiness", "new-materials", "new-fibre-evaluation",
      "新型纤维应用评价", "Application evaluation of new fibres", "", Q, None, "", 25),
    S("sd-yarn", "technology-matching", "textiles", "yarn-fabric-matching",
      "纱线面料企业技术需求对接", "Technology matching for yarn and fabric mills", "", Q, None, "", 30),
    # Shandong bearing center.
    S("sd-bearing", "mechanical-testing", "bearings", "bearing-dimensional-accuracy",
      "滚动轴承尺寸与旋转精度检测", "Dimensional and running accuracy of rolling bearings", "GB/T 307.1-2017; ISO 492:2023",
      "per_unit", "320", "套", 5, (2,)),
    S("sd-bearing", "reliability-testing", "bearings", "bearing-life-test",
      "滚动轴承寿命及可靠性试验", "Life and reliability test of rolling bearings", "GB/T 24607-2023",
      "per_unit", "12000", "组", 60, (0,)),
    S("sd-bearing", "mechanical-testing", "bearings", "bearing-vibration",
      "滚动轴承振动测量", "Vibration measurement of rolling bearings", "GB/T 24610.1-2019; ISO 15242-1:2015",
      "per_unit", "150", "套", 3, (1,)),
    S("sd-bearing", "mechanical-testing", "bearings", "bearing-steel-hardness",
      "轴承零件洛氏硬度检测", "Rockwell hardness of bearing parts", "GB/T 230.1-2018; ISO 6508-1", "per_unit", "80", "件", 2),
    S("sd-bearing", "chemical-analysis", "bearings", "bearing-steel-microstructure",
      "轴承钢显微组织检验", "Microstructure of bearing steel", "GB/T 18254-2016", "per_unit", "380", "件", 5),
    S("sd-bearing", "reliability-testing", "bearings", "dynamic-load-rating",
      "额定动载荷与寿命计算校核", "Dynamic load rating and life calculation review", "GB/T 6391-2010; ISO 281:2007",
      "fixed", "4500", "", 10),
    S("sd-bearing", "process-consulting", "bearings", "bearing-heat-treatment-diagnosis",
      "轴承热处理工艺诊断", "Bearing heat-treatment process diagnosis", "", "per_hour", "800", "小时", 10),
    S("sd-bearing", "patent-analysis", "bearings", "bearing-patent-search",
      "轴承技术专利检索与分析", "Patent search and analysis for bearing technology", "", "fixed", "6000", "", 15),
    # Shandong marine chemicals center.
    S("sd-marine", "chemical-analysis", "marine-chemicals", "bromide-content",
      "溴化物含量测定", "Bromide content determination", "GB/T 23942-2009", "per_unit", "300", "样", 4, (0,)),
    S("sd-marine", "chemical-analysis", "marine-chemicals", "icp-elemental-analysis",
      "ICP-OES 多元素分析", "Multi-element analysis by ICP-OES", "GB/T 23942-2009; HJ 776-2015",
      "per_unit", "480", "样", 5, (0,)),
    S("sd-marine", "chemical-analysis", "new-materials", "oxygen-index",
      "塑料氧指数测定", "Oxygen index of plastics", "GB/T 2406.2-2009; ISO 4589-2:2017", "per_unit", "260", "样", 4, (1,)),
    S("sd-marine", "chemical-analysis", "new-materials", "vertical-burning-test",
      "塑料垂直燃烧性能测定", "Vertical burning test of plastics", "GB/T 2408-2021; IEC 60695-11-10",
      "per_unit", "300", "样", 4),
    S("sd-marine", "process-scale-up", "marine-chemicals", "flame-retardant-scale-up",
      "溴系阻燃剂合成工艺放大", "Scale-up of brominated flame retardant synthesis", "", Q, None, "", 60, (2,)),
    S("sd-marine", "pilot-production", "marine-chemicals", "pilot-reactor-rental",
      "中试反应釜代工试验", "Pilot reactor runs on your recipe", "", "per_hour", "450", "小时", 10, (2,)),
    S("sd-marine", "process-consulting", "marine-chemicals", "green-process-audit",
      "海洋化工清洁生产审核咨询", "Cleaner-production audit for marine chemicals", "GB/T 25973-2010", "fixed", "20000",
      "", 30),
    S("sd-marine", "achievement-transfer", "marine-chemicals", "seawater-chemicals-transfer",
      "海水资源利用成果转化", "Transfer of seawater-utilisation results", "", Q, None, "", 60),
    # Harbin power equipment center.
    S("hrb-power", "mechanical-testing", "power-equipment", "metal-tensile-room-temperature",
      "金属材料室温拉伸试验", "Room-temperature tensile test of metals", "GB/T 228.1-2021; ISO 6892-1:2019",
      "per_unit", "300", "试样", 3, (0,)),
    S("hrb-power", "mechanical-testing", "power-equipment", "metal-tensile-elevated-temperature",
      "金属材料高温拉伸试验", "Elevated-temperature tensile test of metals", "GB/T 228.2-2015; ISO 6892-2:2018",
      "per_unit", "650", "试样", 5, (0,)),
    S("hrb-power", "mechanical-testing", "power-equipment", "charpy-impact",
      "金属夏比摆锤冲击试验", "Charpy pendulum impact test", "GB/T 229-2020; ISO 148-1:2016", "per_unit", "120", "试样", 3,
      (1,)),
    S("hrb-power", "reliability-testing", "power-equipment", "metal-fatigue-test",
      "金属轴向疲劳试验", "Axial fatigue test of metals", "GB/T 3075-2021; ISO 1099:2017", "per_unit", "2600", "试样", 20),
    S("hrb-power", "mechanical-testing", "power-equipment", "weld-ultrasonic-testing",
      "焊缝超声检测", "Ultrasonic testing of welds", "GB/T 11345-2023; ISO 17640:2018", "per_hour", "400", "小时", 5),
    S("hrb-power", "reliability-testing", "power-equipment", "partial-discharge-measurement",
      "局部放电测量", "Partial discharge measurement", "GB/T 7354-2018; IEC 60270", "per_unit", "5000", "台", 10, (2,)),
    S("hrb-power", "prototype-verification", "power-equipment", "generator-insulation-verification",
      "发电机定子绝缘系统验证", "Verification of generator stator insulation systems", "GB/T 20160-2006", Q, None, "", 45),
    S("hrb-power", "digital-transformation", "power-equipment", "equipment-upgrade-consulting",
      "电力装备企业设备更新咨询", "Equipment renewal consulting for power-equipment makers", "", "fixed", "16000", "", 20),
    S("hrb-power", "technology-readiness", "power-equipment", "power-equipment-trl",
      "电力装备新技术成熟度评价", "TRL assessment of new power-equipment technology", "GB/T 22900-2022", "fixed", "15000",
      "", 25),
    # Harbin aerospace center.
    S("hrb-aero", "mechanical-testing", "aerospace", "composite-tensile",
      "聚合物基复合材料拉伸试验", "Tensile test of polymer matrix composites", "GB/T 3354-2014; ASTM D3039",
      "per_unit", "450", "试样", 5),
    S("hrb-aero", "mechanical-testing", "aerospace", "composite-interlaminar-shear",
      "复合材料层间剪切强度", "Interlaminar shear strength of composites", "JC/T 773-2010; ISO 14130", "per_unit", "380",
      "试样", 5),
    S("hrb-aero", "environmental-testing", "aerospace", "sine-random-vibration",
      "正弦与随机振动试验", "Sine and random vibration test", "GB/T 2423.10-2019; GB/T 2423.56-2023",
      "per_hour", "1200", "小时", 5, (0,)),
    S("hrb-aero", "environmental-testing", "aerospace", "temperature-humidity-test",
      "高低温与湿热试验", "Cold, dry heat and damp heat test", "GB/T 2423.1-2008; GB/T 2423.2-2008; GB/T 2423.3-2016",
      "per_hour", "80", "小时", 10, (1,)),
    S("hrb-aero", "prototype-verification", "additive-manufacturing", "industrial-ct-inspection",
      "工业 CT 内部缺陷检测", "Industrial CT inspection of internal defects", "GB/T 29070-2012", "per_hour", "1500",
      "小时", 5, (2,)),
    S("hrb-aero", "chemical-analysis", "additive-manufacturing", "metal-powder-particle-size",
      "金属粉末粒度分布测定", "Particle size distribution of metal powders", "GB/T 19077-2016; ISO 13320:2020",
      "per_unit", "350", "样", 3),
    S("hrb-aero", "mechanical-testing", "additive-manufacturing", "am-part-tensile",
      "增材制造金属件拉伸性能", "Tensile properties of additively manufactured metal parts", "GB/T 228.1-2021; ISO/ASTM 52921",
      "per_unit", "420", "试样", 5),
    S("hrb-aero", "achievement-evaluation", "aerospace", "aerospace-achievement-evaluation",
      "航空航天科技成果评价", "Evaluation of aerospace research results", "GB/T 22900-2022", Q, None, "", 30),
    # Harbin pharmaceutical and food center.
    S("hrb-pharma", "chemical-analysis", "pharma-food", "microbial-limit-test",
      "非无菌产品微生物限度检查", "Microbial limit test of non-sterile products", "中国药典 2020 年版 通则 1105",
      "per_unit", "600", "批", 7),
    S("hrb-pharma", "chemical-analysis", "pharma-food", "food-aerobic-plate-count",
      "食品菌落总数测定", "Aerobic plate count of food", "GB 4789.2-2022", "per_unit", "120", "样", 4),
    S("hrb-pharma", "chemical-analysis", "pharma-food", "food-moisture",
      "食品水分测定", "Moisture in food", "GB 5009.3-2016", "per_unit", "80", "样", 3),
    S("hrb-pharma", "chemical-analysis", "pharma-food", "packaging-migration",
      "食品接触材料迁移试验", "Migration test of food-contact materials", "GB 31604.1-2023; GB 5009.156-2016",
      "per_unit", "900", "样", 10),
    S("hrb-pharma", "chemical-analysis", "biomedicine", "hplc-assay",
      "高效液相色谱含量测定", "HPLC assay", "中国药典 2020 年版 通则 0512", "per_unit", "500", "样", 5, (0,)),
    S("hrb-pharma", "environmental-testing", "pharma-food", "cleanroom-particle-count",
      "洁净室悬浮粒子检测", "Cleanroom airborne particle count", "GB/T 16292-2010; ISO 14644-1:2015",
      "per_unit", "150", "点", 3, (1,)),
    S("hrb-pharma", "process-scale-up", "pharma-food", "spray-drying-scale-up",
      "喷雾干燥工艺放大", "Spray-drying process scale-up", "", "per_hour", "700", "小时", 15, (2,)),
    S("hrb-pharma", "process-consulting", "pharma-food", "gmp-gap-assessment",
      "GMP 差距评估与整改咨询", "GMP gap assessment and remediation advice", "", "fixed", "25000", "", 20),
    S("hrb-pharma", "ip-operations", "biomedicine", "pharma-ip-licensing",
      "医药专利许可与运营", "Licensing and commercialisation of pharmaceutical patents", "", Q, None, "", 45),
)  # fmt: skip

# Per top-level category: how a summary and a description read, and what a sample usually has to be.
PHRASES: dict[str, tuple[str, str, str, str, str, str]] = {
    # zh summary, en summary, zh description, en description, zh sample requirements, en sample requirements
    "inspection-testing": (
        "{provider}开展的{title}{std_zh}，出具检测报告。",
        "{title_en} by {provider_en}{std_en}, with a formal test report.",
        "检测在{provider}具备资质的实验室完成，报告加盖 CMA/CNAS 标识，可用于质量控制、招投标和产品认证。"
        "收样后按排队顺序安排，周期从样品签收次日起算；如需加急请在询价时说明。",
        "Testing takes place in {provider_en}'s accredited laboratory and the report carries the CMA/CNAS marks, so "
        "it can be used for quality control, tenders and certification. The turnaround counts from the day after "
        "the samples are signed for; ask for express handling when you request a quote.",
        "请按标准要求制备样品并附样品清单；特殊样品请先与实验室确认数量和尺寸。",
        "Prepare specimens as the standard requires and enclose a sample list; for unusual samples, agree quantity "
        "and size with the laboratory first.",
    ),
    "experimental-verification": (
        "{provider}提供的{title}，在接近真实工况的条件下验证产品{std_zh}。",
        "{title_en} at {provider_en} under near-real operating conditions{std_en}.",
        "试验方案由双方工程师共同确定，过程数据实时记录，结束后提供试验报告和问题分析，帮助在量产前发现设计和工艺隐患。",
        "Engineers from both sides agree the test plan, data are logged throughout, and you receive a test report "
        "with an analysis of what failed and why — before mass production, not after.",
        "请提供样机或试件、技术规格书和期望的试验条件。",
        "Send a prototype or test pieces, the technical specification and the test conditions you have in mind.",
    ),
    "technology-evaluation": (
        "{provider}组织专家对技术进行独立评价{std_zh}。",
        "Independent expert assessment by {provider_en}{std_en}.",
        "评价由行业专家、高校学者和企业工程师组成的专家组完成，覆盖技术先进性、成熟度、知识产权状况和产业化前景，"
        "结论可用于项目申报、融资和技术转让。",
        "A panel of industry experts, academics and practising engineers looks at novelty, maturity, IP position and "
        "prospects for industrialisation. The written opinion supports funding applications, investment and licensing.",
        "请提交技术说明、测试数据、知识产权清单和应用情况证明。",
        "Submit a technical description, test data, a list of IP rights and evidence of where the technology is used.",
    ),
    "technical-consultation": (
        "{provider}的工程师上门或远程提供{title}。",
        "{title_en}: engineers from {provider_en} on site or remote.",
        "咨询从现场调研开始，明确问题和约束条件，随后给出改进方案、投资估算和实施路线，并在实施阶段提供跟踪指导。",
        "Work starts with a site visit to pin down the problem and its constraints, followed by a written improvement "
        "plan with an investment estimate and roadmap, and follow-up support while you implement it.",
        "请提前提供工艺流程、主要设备清单和近期质量数据。",
        "Share your process flow, a list of main equipment and recent quality data before the visit.",
    ),
    "ip-management": (
        "{provider}提供的{title}服务{std_zh}。",
        "{title_en} by {provider_en}{std_en}.",
        "由专利代理师和行业技术专家共同完成，结合技术路线和市场情况给出结论，帮助企业做好研发布局、规避侵权风险并实现专利价值。",
        "Patent attorneys and technical specialists work together and relate their findings to technology routes and "
        "markets, so you can plan R&D, avoid infringement and get value from your patents.",
        "请提供技术领域说明、关键词或专利清单。",
        "Describe the technical field and give keywords or a list of patents.",
    ),
    "pilot-maturation": (
        "利用{provider}的中试条件开展{title}。",
        "{title_en} on the pilot facilities of {provider_en}.",
        "中试团队与企业共同制定放大方案，验证工艺窗口、设备选型和质量稳定性，输出可用于量产的工艺文件和成本测算。",
        "The pilot team works with you on the scale-up plan, checks the process window, equipment choice and quality "
        "consistency, and hands over process documents and a cost estimate ready for production.",
        "请提供小试工艺、原料清单和安全数据表（MSDS）。",
        "Provide the lab-scale process, a list of raw materials and their safety data sheets (MSDS).",
    ),
    "supply-demand-docking": (
        "{provider}把企业技术需求与高校、院所和创新中心的成果对接。",
        "{provider_en} matches your technical needs with results from universities, institutes and centers.",
        "平台梳理需求、筛选成果、组织路演和洽谈，并跟进合同签订与后续转化，帮助成果在本地落地。",
        "The platform clarifies the need, screens candidate results, organises pitches and negotiations, and follows "
        "up through contract and implementation so that results are put to work locally.",
        "请填写技术需求表，说明目标、指标和预算范围。",
        "Fill in the technology-needs form with your goals, target figures and budget range.",
    ),
}


def _std_phrases(standards: list[str]) -> tuple[str, str]:
    if not standards:
        return "", ""
    return f"，依据 {'、'.join(standards[:2])}", f" to {', '.join(standards[:2])}"


@transaction.atomic
def load() -> None:
    now = timezone.now()
    fields = {}
    for position, (slug, zh, en) in enumerate(FIELDS):
        fields[slug], _ = IndustryField.objects.update_or_create(
            slug=slug, defaults={"name_zh": zh, "name_en": en, "position": position}
        )
    categories: dict[str, ServiceCategory] = {}
    for position, (slug, zh, en, dzh, den, children) in enumerate(CATEGORIES):
        parent, _ = ServiceCategory.objects.update_or_create(
            slug=slug,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "description_zh": dzh,
                "description_en": den,
                "position": position,
                "parent": None,
            },
        )
        categories[slug] = parent
        for child_position, (child_slug, child_zh, child_en) in enumerate(children):
            categories[child_slug], _ = ServiceCategory.objects.update_or_create(
                slug=child_slug,
                defaults={"name_zh": child_zh, "name_en": child_en, "position": child_position, "parent": parent},
            )

    providers: dict[str, Provider] = {}
    equipment: dict[str, list[Equipment]] = {}
    for spec in PROVIDERS:
        org = org_by_key(spec.key)
        provider, _ = Provider.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "organization": org,
                "name_zh": org.name,
                "name_en": spec.name_en,
                "level": spec.level,
                "lead_organization": spec.lead_organization,
                "lead_organization_en": PROVIDERS_EN[spec.slug][0],
                "description_zh": spec.description_zh,
                "description_en": spec.description_en,
                "province": org.province,
                "city": org.city,
                "address": spec.address,
                "address_en": PROVIDERS_EN[spec.slug][1],
                "contact_name": spec.contact_name,
                "contact_name_en": PROVIDERS_EN[spec.slug][2],
                "contact_phone": spec.phone,
                "contact_email": spec.email,
                "verification": Provider.Verification.VERIFIED,
                "verified_at": now,
            },
        )
        provider.fields.set([fields[f] for f in spec.fields])
        for scheme, number in spec.accreditations:
            Accreditation.objects.update_or_create(
                provider=provider, scheme=scheme, number=number, defaults={"valid_until": date(2029, 12, 31)}
            )
        items = []
        for name_zh, name_en, model, maker, location, bookable, notice, slot in spec.equipment:
            item, _ = Equipment.objects.update_or_create(
                provider=provider,
                name_zh=name_zh,
                defaults={
                    "name_en": name_en,
                    "model": model,
                    "manufacturer": maker,
                    "location": location,
                    "bookable": bookable,
                    "min_notice_hours": notice,
                    "max_slot_hours": slot,
                },
            )
            items.append(item)
        providers[spec.key] = provider
        equipment[spec.key] = items

    for row in SERVICES:
        provider = providers[row.provider]
        category = categories[row.category]
        top = category.parent.slug if category.parent else category.slug
        sum_zh, sum_en, desc_zh, desc_en, sample_zh, sample_en = PHRASES[top]
        standards = [s.strip() for s in row.standards.split(";") if s.strip()]
        std_zh, std_en = _std_phrases(standards)
        names = {
            "provider": provider.name_zh,
            "provider_en": provider.name_en,
            "title": row.title_zh,
            "title_en": row.title_en,
            "std_zh": std_zh,
            "std_en": std_en,
        }
        service, _ = Service.objects.update_or_create(
            provider=provider,
            slug=row.slug,
            defaults={
                "category": category,
                "field": fields[row.field],
                "title_zh": row.title_zh,
                "title_en": row.title_en,
                "summary_zh": sum_zh.format(**names),
                "summary_en": sum_en.format(**names),
                "description_zh": desc_zh.format(**names),
                "description_en": desc_en.format(**names),
                "standards": standards,
                "sample_requirements_zh": sample_zh,
                "sample_requirements_en": sample_en,
                "pricing_mode": row.mode,
                "price": Decimal(row.price) if row.price is not None else None,
                "price_unit": row.unit if row.mode in ("per_unit", "per_hour") else "",
                "turnaround_days": row.days,
                "status": Service.Status.PUBLISHED,
                "published_at": now,
            },
        )
        service.equipment.set([equipment[row.provider][i] for i in row.equipment])
