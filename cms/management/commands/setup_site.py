"""Create the site's skeleton on a new database: home page, bulletin index, editor groups and workflow."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cms.setup import ensure_site, set_site_address


class Command(BaseCommand):
    help = (
        "Create the home page (as the default Site's root), the bulletin index, the Editors and Moderators "
        "groups and the moderation workflow. Idempotent; --hostname sets the public address used in "
        "sitemaps, feeds, Open Graph tags and moderation e-mails (default: the host of WAGTAILADMIN_BASE_URL)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hostname", help="public host name of the site, e.g. services.example.cn")
        parser.add_argument("--port", type=int, default=443, help="public port (443 gives https URLs)")

    def handle(self, *args: Any, hostname: str | None, port: int, **options: Any) -> None:
        home, index = ensure_site()
        if hostname:
            site = set_site_address(hostname, port)
            self.stdout.write(f"Site address: {site.root_url}")
        self.stdout.write(self.style.SUCCESS(f"Home page {home.url_path}, bulletins {index.url_path}: ready."))
