"""Held-out judged queries: written apart from `judged.py` and not used while tuning; they check that the
ranking improvements are general. Same grades as there."""

HELD_OUT: list[tuple[str, dict[str, int]]] = [
    ("橡胶拉伸试验", {"tensile_rubber": 3}),
    ("维氏硬度测试", {"vickers": 3}),
    ("低温检测", {"cold": 3}),
    ("正弦振动", {"vibration": 3}),
    ("辐射抗扰度", {"radiated": 3}),
    ("电磁阀寿命", {"valve_life": 3}),
    ("轴承耐久试验", {"bearing": 3}),
    ("流量特性测试", {"flow": 3}),
    ("噪声检测", {"noise": 3}),
    ("固体废物", {"solid_waste": 3}),
    ("涂层厚度检测", {"coating": 3}),
    ("专利检索", {"patent_search": 3, "fto": 1}),
    ("工艺放大", {"pilot_batch": 3, "pilot_scale": 2}),
    ("rubber tensile test", {"tensile_rubber": 3}),
    ("vickers hardness", {"vickers": 3}),
    ("salt mist testing", {"salt_a": 3, "salt_b": 3, "salt_c": 3}),
    ("neutral salt spray", {"salt_b": 3, "salt_a": 2, "salt_c": 1}),
    ("bearing endurance", {"bearing": 3}),
    ("radiated immunity testing", {"radiated": 3}),
    ("GB228.1", {"tensile_metal_a": 3, "tensile_metal_b": 3, "tensile_metal_c": 3}),
    ("GB/T 228.1—2010", {"tensile_metal_b": 3, "tensile_metal_a": 3, "tensile_metal_c": 3}),
    ("IEC 60068", {"damp_heat": 3, "cold": 3, "vibration": 3}),
    ("ISO 527 拉伸", {"tensile_plastic": 3}),
]
