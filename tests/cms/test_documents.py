"""Editors' documents: only an allow-list of file types is accepted, and every document is a download.

Issue 16, item 8: an editor could upload evil.html and the site then served it inline, on the site's
own origin, where its scripts would run with a visitor's session.
"""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import Collection

HTML = b"<!doctype html><script>alert(document.cookie)</script>"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(client, name: str, content: bytes, content_type: str):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "collection": Collection.get_first_root_node().pk,
        },
    )


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("evil.html", "text/html"),
        ("evil.htm", "text/html"),
        ("evil.HTML", "text/html"),
        ("evil.xhtml", "application/xhtml+xml"),
        ("evil.svg", "image/svg+xml"),
        ("evil.js", "text/javascript"),
        ("evil.pdf.html", "text/html"),
    ],
)
def test_uploading_a_document_browsers_would_run_is_refused(client, editor, _media_root, name, content_type):
    client.force_login(editor)
    response = _upload(client, name, HTML, content_type)
    assert response.status_code == 200  # the form again, with the error
    assert "file" in response.context["form"].errors
    assert not Document.objects.exists()
    assert not any(path.is_file() for path in _media_root.rglob("*"))


def test_multiple_upload_refuses_html_too(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("evil.html", HTML, content_type="text/html")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.json()["success"] is False
    assert not Document.objects.exists()


@pytest.mark.parametrize("name", ["通知.pdf", "price-list.xlsx", "form.docx", "data.csv", "scan.jpg"])
def test_uploading_an_allowed_document_works(client, editor, name):
    client.force_login(editor)
    response = _upload(client, name, b"%PDF-1.4 test", "application/octet-stream")
    assert response.status_code == 302
    assert Document.objects.get().file_extension == name.rsplit(".", 1)[1]


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("notes.txt", "text/plain"), ("evil.html", "text/html"), ("table.csv", "text/csv")],
)
def test_documents_are_served_as_downloads_never_sniffed(db, client, name, content_type):
    # Created directly, as a document uploaded before the allow-list existed would be.
    document = Document.objects.create(title=name, file=ContentFile(HTML, name=name))
    assert document.url == f"/documents/{document.pk}/{name}"  # the serve view, never the raw /media/ URL

    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["Content-Type"].startswith(content_type)


def test_pdf_documents_open_in_the_browser(db, client):
    document = Document.objects.create(title="通知", file=ContentFile(b"%PDF-1.4", name="notice.pdf"))
    response = client.get(document.url)
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
