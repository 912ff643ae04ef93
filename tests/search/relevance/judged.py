"""Judged queries over `corpus.py`: query -> {service key: grade}. 3 is what the query asks for, 2 closely
related, 1 still useful; services not listed are not relevant. The set used while tuning; `heldout.py`
checks the result on queries written separately and not looked at while tuning."""

METALS_TENSILE = {"tensile_metal_a": 3, "tensile_metal_b": 3, "tensile_metal_c": 3, "tensile_hot": 2}
ALL_TENSILE = {**METALS_TENSILE, "tensile_plastic": 2, "tensile_rubber": 2}
HARDNESS = {"brinell": 3, "vickers": 3, "rockwell": 3}
SALT = {"salt_a": 3, "salt_b": 3, "salt_c": 3}
EMC = {"esd": 3, "radiated": 3, "eft": 3, "surge": 3, "emission": 3}
IMMUNITY = {"esd": 3, "radiated": 3, "eft": 3, "surge": 3}
GBT_2423 = {"salt_c": 3, "damp_heat": 3, "cold": 3, "dry_heat": 3, "vibration": 3, "thermal_shock": 3}
METALLIC = {
    k: 2
    for k in (
        "tensile_metal_a",
        "tensile_metal_b",
        "tensile_hot",
        "charpy_a",
        "brinell",
        "fatigue",
        "bend",
        "grain_size",
    )
} | {"tensile_metal_c": 1, "chem_steel": 1}

JUDGED: list[tuple[str, dict[str, int]]] = [
    # Chinese
    ("拉伸试验", ALL_TENSILE),
    ("金属拉伸", METALS_TENSILE),
    ("塑料拉伸试验", {"tensile_plastic": 3}),
    (
        "拉伸性能",
        {
            "tensile_plastic": 3,
            "tensile_metal_c": 3,
            "tensile_rubber": 2,
            "tensile_metal_a": 2,
            "tensile_metal_b": 2,
            "tensile_hot": 2,
        },
    ),
    ("高温拉伸", {"tensile_hot": 3}),
    ("冲击试验", {"charpy_a": 3, "charpy_b": 3, "thermal_shock": 1, "surge": 1}),
    ("夏比冲击", {"charpy_a": 3, "charpy_b": 3}),
    ("硬度检测", HARDNESS),
    ("布氏硬度", {"brinell": 3, "vickers": 1, "rockwell": 1}),
    ("疲劳试验", {"fatigue": 3, "bearing": 1}),
    ("弯曲试验", {"bend": 3}),
    ("盐雾试验", SALT),
    ("中性盐雾", {"salt_b": 3, "salt_a": 2, "salt_c": 2}),
    ("湿热试验", {"damp_heat": 3}),
    ("振动试验", {"vibration": 3}),
    ("温度冲击", {"thermal_shock": 3}),
    ("外壳防护等级", {"ip_code": 3}),
    ("静电放电", {"esd": 3}),
    ("浪涌抗扰度", {"surge": 3, "esd": 1, "eft": 1, "radiated": 1}),
    ("电磁兼容测试", EMC),
    ("气缸寿命", {"cylinder_life": 3, "valve_life": 1}),
    ("电磁阀耐久试验", {"valve_life": 3, "cylinder_life": 1}),
    ("阀门泄漏", {"valve_leak": 3}),
    ("化学成分分析", {"chem_steel": 3, "rohs": 1}),
    ("晶粒度", {"grain_size": 3}),
    ("固废检测", {"solid_waste": 3}),
    ("挥发性有机物", {"voc": 3}),
    ("座椅耐久", {"seat": 3}),
    ("技术评价", {"tech_eval": 3, "trl": 2}),
    ("中试", {"pilot_scale": 3, "pilot_batch": 3}),
    ("专利分析", {"patent_search": 3, "patent_nav": 2, "fto": 2}),
    ("知识产权贯标", {"ip_system": 3}),
    ("无损检测", {"ndt_ut": 3, "ndt_rt": 3}),
    ("电池安全测试", {"battery": 3}),
    ("跌落试验", {"drop": 3}),
    ("金属材料", METALLIC),
    ("可靠性试验", {"bearing": 3, "vibration": 1, "damp_heat": 1, "thermal_shock": 1, "cold": 1, "dry_heat": 1}),
    ("汽车内饰", {"voc": 3, "flammability": 3}),
    ("气动元件测试", {"flow": 3, "noise": 3, "salt_c": 2, "valve_leak": 2, "cylinder_life": 2, "valve_life": 2}),
    # English
    ("tensile test", ALL_TENSILE),
    ("tensile properties of plastics", {"tensile_plastic": 3}),
    ("salt spray", SALT),
    ("hardness testing", HARDNESS),
    ("charpy impact", {"charpy_a": 3, "charpy_b": 3}),
    ("electrostatic discharge", {"esd": 3}),
    ("fatigue test", {"fatigue": 3, "bearing": 1}),
    ("damp heat", {"damp_heat": 3}),
    ("patent search", {"patent_search": 3, "fto": 1, "patent_nav": 1}),
    ("technology readiness", {"trl": 3, "tech_eval": 1}),
    ("cylinder endurance", {"cylinder_life": 3}),
    ("valve life test", {"valve_life": 3, "cylinder_life": 1}),
    ("grain size determination", {"grain_size": 3}),
    ("surge immunity", {"surge": 3, "esd": 1, "eft": 1, "radiated": 1}),
    ("EMC testing", EMC),
    ("metallic materials", METALLIC),
    # Standard codes
    ("GB/T 228.1", {"tensile_metal_a": 3, "tensile_metal_b": 3, "tensile_metal_c": 3}),
    ("gb/t228.1-2021", {"tensile_metal_a": 3, "tensile_metal_c": 3, "tensile_metal_b": 2}),
    ("ISO 6892", {"tensile_metal_a": 3, "tensile_hot": 3}),
    ("GB/T 2423", GBT_2423),
    ("IEC 61000-4-2:2008", {"esd": 3}),
    ("ASTM B117-11", {"salt_b": 3}),
    ("ASTM E8/E8M", {"tensile_metal_c": 3}),
    ("GB/T 17626", IMMUNITY),
    ("GB/T 229", {"charpy_a": 3, "charpy_b": 3}),
    # Mixed
    ("GB/T 228.1 拉伸", {"tensile_metal_a": 3, "tensile_metal_b": 3, "tensile_metal_c": 3}),
]
