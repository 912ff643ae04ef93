import os

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from marketplace.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# allauth's "Too many failed login attempts" in Chinese, the default language.
THROTTLED = "登录失败次数过多"


def test_ci_runs_on_postgresql():
    if os.environ.get("CI"):
        assert connection.vendor == "postgresql"


def test_sign_up_then_log_out_and_log_in_with_email(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "New.Buyer@Example.cn", "password1": "Gear-Testing-2026", "password2": "Gear-Testing-2026"},
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "new.buyer@example.cn"
    assert any("new.buyer@example.cn" in m.to for m in mail.outbox)  # confirmation e-mail

    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {"login": "new.buyer@example.cn", "password": "Gear-Testing-2026"})
    assert response.status_code == 302
    assert response.url == reverse("organizations:home")
    assert client.get(reverse("organizations:home")).url == reverse("organizations:start")


def test_sign_up_with_mismatched_passwords_shows_error_and_creates_nothing(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "a@example.cn", "password1": "Gear-Testing-2026", "password2": "other-Pass-99"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("prefix", "site_name", "too_short"),
    [
        ("", "创新服务", "密码长度太短。密码必须包含至少 8 个字符。"),
        ("/en", "Innovation Services", "at least 8 characters"),
    ],
)
def test_sign_up_speaks_the_page_language_and_names_the_public_site(client, settings, prefix, site_name, too_short):
    settings.WAGTAILADMIN_BASE_URL = "https://market.example.cn"
    weak = client.post(f"{prefix}/accounts/signup/", {"email": "a@example.cn", "password1": "1", "password2": "1"})
    assert too_short in weak.content.decode()  # Django's own message, in Chinese on Chinese pages too

    good = "Gear-Testing-2026"
    client.post(f"{prefix}/accounts/signup/", {"email": "b@example.cn", "password1": good, "password2": good})
    message = mail.outbox[-1]
    assert message.subject.startswith(f"[{site_name}] ")
    assert f"https://market.example.cn{prefix}/accounts/confirm-email/" in message.body
    assert "testserver" not in str(message.subject) + message.body and "127.0.0.1" not in message.body


def test_wrong_password_is_refused(client):
    UserFactory(email="buyer@example.cn")
    response = client.post(reverse("account_login"), {"login": "buyer@example.cn", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_throttled(client):
    UserFactory(email="target@example.cn")
    url = reverse("account_login")
    for i in range(5):
        response = client.post(url, {"login": "target@example.cn", "password": f"guess{i}"})
        assert THROTTLED not in response.content.decode()
        assert response.context["form"].errors  # wrong password
    # Now even the right password is refused, with a message saying why.
    response = client.post(url, {"login": "target@example.cn", "password": "correct-horse-battery"})
    assert "_auth_user_id" not in client.session
    assert THROTTLED in str(response.context["form"].errors)


def test_password_reset_link_is_on_the_public_address(client, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://market.example.cn"
    UserFactory(email="forgot@example.cn")
    client.post("/en/accounts/password/reset/", {"email": "forgot@example.cn"})
    assert "https://market.example.cn/en/accounts/password/reset/key/" in mail.outbox[-1].body


def test_password_reset_sends_email(client):
    UserFactory(email="forgot@example.cn")
    response = client.post(reverse("account_reset_password"), {"email": "forgot@example.cn"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["forgot@example.cn"]


def _fail_logins(client, email: str, forwarded_for: str, times: int = 5) -> str:
    url = reverse("account_login")
    for i in range(times):
        response = client.post(url, {"login": email, "password": f"guess{i}"}, HTTP_X_FORWARDED_FOR=forwarded_for)
    return str(response.context["form"].errors)


def test_behind_a_trusted_proxy_each_client_has_its_own_login_bucket(client, settings):
    """Behind one proxy every request connects from the proxy's address; the client comes from X-Forwarded-For."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        UserFactory(email=f"user{n}@example.cn")
    # One client fails on five different accounts: its address is throttled, whichever account it tries next.
    for n in range(5):
        _fail_logins(client, f"user{n}@example.cn", "203.0.113.7", times=1)
    assert THROTTLED in _fail_logins(client, "user0@example.cn", "203.0.113.7", times=1)
    # Another client behind the same proxy is not.
    assert THROTTLED not in _fail_logins(client, "user1@example.cn", "198.51.100.9", times=1)
    # A client cannot escape its bucket by sending an X-Forwarded-For of its own: the proxy appends the real one.
    assert THROTTLED in _fail_logins(client, "user2@example.cn", "192.0.2.55, 203.0.113.7", times=1)


def test_without_a_trusted_proxy_forwarded_for_is_ignored(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        UserFactory(email=f"user{n}@example.cn")
    for n in range(5):
        _fail_logins(client, f"user{n}@example.cn", f"203.0.113.{n}", times=1)  # spoofed, different each time
    assert THROTTLED in _fail_logins(client, "user0@example.cn", "198.51.100.9", times=1)


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/en/accounts/login/", "Sign In"),
        ("/en/accounts/signup/", "Signup"),
        ("/en/accounts/password/reset/", "Password Reset"),
        ("/accounts/login/", "登录"),
    ],
)
def test_account_pages_have_their_own_titles(client, url, title):
    html = client.get(url).content.decode()
    page_title = html[html.index("<title>") + 7 : html.index("</title>")].split()
    assert " ".join(page_title).startswith(f"{title} ·")
