"""Content-Security-Policy and Permissions-Policy on every response.

The public site runs no inline script and no inline style: every script and stylesheet is a static file,
htmx is configured not to inject its indicator styles and never evaluates attribute code. Stripe.js (or
localstripe's fake of it, in development and tests) is the only script from another origin. The Django and
Wagtail admin interfaces ship inline scripts and styles of their own, so their paths get a policy that allows
them while still confining every resource to our own origin.

A response that already carries a policy (documents served by Wagtail, uploads served by the console) keeps it.
"""

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

ADMIN_PREFIXES = ("/admin/", "/cms-admin/")

PERMISSIONS_POLICY = (
    ", ".join(
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "autoplay",
            "camera",
            "display-capture",
            "geolocation",
            "gyroscope",
            "magnetometer",
            "microphone",
            "midi",
            "usb",
            "xr-spatial-tracking",
        )
    )
    + ', payment=(self "https://js.stripe.com")'
)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@lru_cache(maxsize=8)
def _policies(stripe_api_base: str, media_url: str, static_url: str) -> tuple[str, str]:
    """(public policy, admin policy) for these settings; cached because settings rarely change."""
    if stripe_api_base:  # localstripe serves the fake Stripe.js and the API from one origin
        stripe_script = stripe_connect = stripe_frame = _origin(stripe_api_base)
    else:
        stripe_script = "https://js.stripe.com"
        stripe_connect = "https://api.stripe.com"
        stripe_frame = "https://js.stripe.com https://hooks.stripe.com"
    # Uploads and static files may live on another host (S3-compatible storage, a CDN of our own).
    assets = " ".join(sorted({o for o in (_origin(media_url), _origin(static_url)) if o}))
    own = f"'self' {assets}".strip()
    public = "; ".join(
        (
            "default-src 'self'",
            f"script-src {own} {stripe_script}",
            f"style-src {own}",
            f"img-src {own} data:",
            f"font-src {own}",
            f"connect-src 'self' {stripe_connect}",
            f"frame-src 'self' {stripe_frame}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )
    admin = "; ".join(
        (
            "default-src 'self'",
            f"script-src {own} 'unsafe-inline' 'unsafe-eval'",
            f"style-src {own} 'unsafe-inline'",
            f"img-src {own} data: blob:",
            f"font-src {own} data:",
            "connect-src 'self'",
            "frame-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        )
    )
    return public, admin


def content_security_policy(path: str) -> str:
    """The policy for a request path: strict on the public site, relaxed for the two admin interfaces."""
    public, admin = _policies(settings.STRIPE_API_BASE, settings.MEDIA_URL, settings.STATIC_URL)
    return admin if path.startswith(ADMIN_PREFIXES) else public


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy(request.path)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
