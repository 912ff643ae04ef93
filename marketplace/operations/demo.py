"""Demo applications in the operator's review queue: one waiting for six days, one resubmitted yesterday."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from catalog.models import IndustryField
from marketplace.accounts.models import User
from marketplace.organizations.demo import org_by_key

from . import services
from .models import ApplicationDocument, ProviderApplication

PLATFORM_OPERATOR = "operator@demo.cn"


def _pdf(title: str) -> bytes:
    """A one-page PDF with a line of text (enough for the console's document viewer)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@dataclass(frozen=True)
class DemoApplication:
    org: str
    user: str
    days_waiting: int
    data: dict[str, str]
    fields: tuple[str, ...]
    certificate: tuple[str, str, int]  # scheme, number, days of validity left
    resubmit: bool


APPLICATIONS = (
    DemoApplication(
        org="applicant-robot",
        user="robot@demo.cn",
        days_waiting=6,
        data={
            "level": "municipal",
            "approving_authority": "苏州市工业和信息化局",
            "approval_number": "苏工信〔2026〕18号",
            "lead_organization": "苏州智能装备研究院有限公司",
            "lead_organization_en": "Suzhou Intelligent Equipment Research Institute",
            "contact_name": "周工",
            "contact_phone": "0512-6655-1200",
            "contact_email": "apply@robot-center.example.cn",
        },
        fields=("intelligent-manufacturing",),
        certificate=("CNAS", "CNAS L21876", 20),
        resubmit=False,
    ),
    DemoApplication(
        org="applicant-materials",
        user="materials@demo.cn",
        days_waiting=1,
        data={
            "level": "provincial",
            "approving_authority": "安徽省经济和信息化厅",
            "approval_number": "皖经信〔2026〕42号",
            "lead_organization": "合肥新材料产业研究院",
            "lead_organization_en": "Hefei Advanced Materials Institute",
            "contact_name": "王老师",
            "contact_phone": "0551-6388-0900",
            "contact_email": "center@materials.example.cn",
        },
        fields=("new-materials",),
        certificate=("CMA", "CMA 250012340567", 400),
        resubmit=True,
    ),
)


@transaction.atomic
def load() -> None:
    operator = User.objects.get(email=PLATFORM_OPERATOR)
    for spec in APPLICATIONS:
        organization = org_by_key(spec.org)
        if ProviderApplication.objects.filter(organization=organization).exists():
            continue
        user = User.objects.get(email=spec.user)
        data: dict[str, Any] = {**spec.data, "fields": list(IndustryField.objects.filter(slug__in=spec.fields))}
        application = services.application_start(actor=user, organization=organization, data=data)
        add = services.application_add_document
        add(
            actor=user,
            application_id=application.pk,
            kind=ApplicationDocument.Kind.BUSINESS_LICENCE,
            upload=SimpleUploadedFile("business-licence.pdf", _pdf("Business licence (demo)")),
        )
        scheme, number, days = spec.certificate
        add(
            actor=user,
            application_id=application.pk,
            kind=ApplicationDocument.Kind.ACCREDITATION,
            upload=SimpleUploadedFile("certificate.pdf", _pdf(f"{scheme} certificate (demo)")),
            scheme=scheme,
            number=number,
            valid_until=timezone.localdate() + dt.timedelta(days=days),
        )
        services.application_submit(actor=user, application_id=application.pk)
        if spec.resubmit:
            services.application_request_changes(
                actor=operator,
                application_id=application.pk,
                reason="请补充省级主管部门的认定文件扫描件。",
            )
            add(
                actor=user,
                application_id=application.pk,
                kind=ApplicationDocument.Kind.APPROVAL,
                upload=SimpleUploadedFile("approval.pdf", _pdf("Approval document (demo)")),
            )
            services.application_submit(actor=user, application_id=application.pk)
        waited = timezone.now() - dt.timedelta(days=spec.days_waiting)
        ProviderApplication.objects.filter(pk=application.pk).update(submitted_at=waited)
