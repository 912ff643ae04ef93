"""Demo organizations and users, drawn from the seed news (Ningbo, Shandong, Harbin).

Idempotent: organizations are keyed by credit code, users by e-mail. Organizations that are
providers get their catalog profile from `catalog.demo`.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from marketplace.accounts.models import User

from .models import Membership, Organization
from .uscc import check_character

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - documented in the README, demo only


def demo_uscc(region: str, serial: int) -> str:
    """A valid code for a legal-person enterprise (91) in the given 6-digit region."""
    body = f"91{region}MA{serial:07d}"
    return body + check_character(body)


@dataclass(frozen=True)
class DemoOrg:
    key: str
    kind: str
    name: str
    region: str
    province: str
    city: str


ORGANIZATIONS: tuple[DemoOrg, ...] = (
    DemoOrg("platform", "platform", "创新服务平台运营中心", "330200", "浙江省", "宁波市"),
    # Ningbo: the national public service platform for industrialising innovations in key components.
    DemoOrg(
        "ningbo-platform",
        "provider",
        "国家关键零部件创新成果产业化公共服务平台",
        "330213",
        "浙江省",
        "宁波市",
    ),
    DemoOrg("ningbo-pneumatic", "provider", "国家气动产品质量监督检验中心", "330213", "浙江省", "宁波市"),
    # Shandong: two national centers and provincial centers on key industrial chains.
    DemoOrg("sd-dyeing", "provider", "国家先进印染技术创新中心", "370900", "山东省", "泰安市"),
    DemoOrg("sd-appliance", "provider", "国家高端智能化家用电器创新中心", "370200", "山东省", "青岛市"),
    DemoOrg("sd-yarn", "provider", "山东省新型纱线与面料制造业创新中心", "370700", "山东省", "潍坊市"),
    DemoOrg("sd-bearing", "provider", "山东省轴承制造业创新中心", "371500", "山东省", "聊城市"),
    DemoOrg("sd-marine", "provider", "山东省绿色海洋化工制造业创新中心", "370700", "山东省", "潍坊市"),
    # Harbin: municipal centers in the pilot sectors named by the 2024 plan.
    DemoOrg("hrb-power", "provider", "哈尔滨市电力装备制造业创新中心", "230100", "黑龙江省", "哈尔滨市"),
    DemoOrg("hrb-aero", "provider", "哈尔滨市航空航天制造业创新中心", "230100", "黑龙江省", "哈尔滨市"),
    DemoOrg("hrb-pharma", "provider", "哈尔滨市医药与食品制造业创新中心", "230100", "黑龙江省", "哈尔滨市"),
    # SMEs that buy services.
    DemoOrg("sme-valve", "enterprise", "宁波奉化精密气动元件有限公司", "330213", "浙江省", "宁波市"),
    DemoOrg("sme-textile", "enterprise", "潍坊锦程纺织科技有限公司", "370700", "山东省", "潍坊市"),
    DemoOrg("sme-motor", "enterprise", "哈尔滨北辰电机有限公司", "230100", "黑龙江省", "哈尔滨市"),
    # Centers that have applied and wait in the operator's review queue.
    DemoOrg("applicant-robot", "provider", "苏州市智能机器人制造业创新中心", "320500", "江苏省", "苏州市"),
    DemoOrg("applicant-materials", "provider", "安徽省先进结构材料制造业创新中心", "340100", "安徽省", "合肥市"),
)


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    org_key: str | None
    role: str = Membership.Role.OWNER
    is_staff: bool = False
    is_superuser: bool = False
    groups: tuple[str, ...] = ()


USERS: tuple[DemoUser, ...] = (
    DemoUser("admin@demo.cn", "平台管理员", "platform", is_staff=True, is_superuser=True),
    # Not a superuser: the "Platform operators" group gives the console and the admin pages operators need.
    DemoUser(
        "operator@demo.cn",
        "平台运营",
        "platform",
        role=Membership.Role.STAFF,
        is_staff=True,
        groups=("Platform operators",),
    ),
    DemoUser("provider@demo.cn", "宁波平台", "ningbo-platform"),
    DemoUser("inspector@demo.cn", "气动检验", "ningbo-pneumatic"),
    DemoUser("dyeing@demo.cn", "印染中心", "sd-dyeing"),
    DemoUser("harbin@demo.cn", "哈尔滨电力", "hrb-power"),
    DemoUser("sme@demo.cn", "张经理", "sme-valve"),
    DemoUser("textile@demo.cn", "李工", "sme-textile"),
    DemoUser("editor@demo.cn", "新闻编辑", None, groups=("Editors",)),
    DemoUser("moderator@demo.cn", "审核编辑", None, groups=("Moderators",)),
    DemoUser("newcomer@demo.cn", "新用户", None),
    DemoUser("robot@demo.cn", "机器人中心", "applicant-robot"),
    DemoUser("materials@demo.cn", "材料中心", "applicant-materials"),
)


def org_by_key(key: str) -> Organization:
    spec = next(o for o in ORGANIZATIONS if o.key == key)
    return Organization.objects.get(uscc=demo_uscc(spec.region, ORGANIZATIONS.index(spec) + 1))


@transaction.atomic
def load() -> None:
    now = timezone.now()
    for serial, spec in enumerate(ORGANIZATIONS, start=1):
        Organization.objects.update_or_create(
            uscc=demo_uscc(spec.region, serial),
            defaults={
                "kind": spec.kind,
                "name": spec.name,
                "province": spec.province,
                "city": spec.city,
                "verified_at": now,
            },
        )
    for spec_user in USERS:
        user = User.objects.filter(email=spec_user.email).first()
        if user is None:
            user = User.objects.create_user(spec_user.email, DEMO_PASSWORD)
        user.first_name = spec_user.first_name
        user.is_staff = spec_user.is_staff
        user.is_superuser = spec_user.is_superuser
        user.save()
        for group_name in spec_user.groups:
            group, _ = Group.objects.get_or_create(name=group_name)
            user.groups.add(group)
        if spec_user.org_key:
            Membership.objects.get_or_create(
                user=user, organization=org_by_key(spec_user.org_key), defaults={"role": spec_user.role}
            )
