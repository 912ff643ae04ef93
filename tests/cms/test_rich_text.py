"""Bodies are reduced to the restricted feature set whatever path they arrive by."""

from cms.models import BulletinPage
from cms.rich_text import sanitize_body

MALICIOUS = (
    '<h2 onclick="steal()">标题</h2><p>正文<script>alert("xss")</script>'
    '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">坏链接</a>'
    '<a href="https://example.cn/" onmouseover="alert(3)">好链接</a></p><iframe src="https://evil.example"></iframe>'
    "<style>body{display:none}</style><h4>四级标题</h4>"
)


def test_sanitizer_keeps_allowed_markup_and_drops_the_rest():
    clean = sanitize_body(MALICIOUS)
    assert "<h2>标题</h2>" in clean
    assert '<a href="https://example.cn/">好链接</a>' in clean
    document_link = sanitize_body('<a linktype="document" id="7" onclick="x()">附件</a>')
    assert 'linktype="document"' in document_link
    assert 'id="7"' in document_link
    assert "onclick" not in document_link
    for forbidden in (
        "<script",
        "alert(",
        "onerror",
        "onclick",
        "onmouseover",
        "javascript:",
        "<iframe",
        "<style",
        "<h4",
    ):
        assert forbidden not in clean, forbidden


def test_bulletin_with_injected_script_renders_without_it(client, make_bulletin):
    bulletin = make_bulletin(body=MALICIOUS, body_en=MALICIOUS)
    stored = BulletinPage.objects.get(pk=bulletin.pk)
    assert "<script" not in stored.body
    assert "onerror" not in stored.body_en

    for url in (bulletin.url, f"/en{bulletin.url}"):
        html = client.get(url).content.decode()
        assert "好链接" in html
        for forbidden in ('alert("xss")', "onerror=", "onclick=", "onmouseover=", "javascript:alert", "evil.example"):
            assert forbidden not in html, (url, forbidden)
