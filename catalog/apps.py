from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"

    def ready(self) -> None:
        from marketplace import page_cache

        from . import receivers

        receivers.connect()
        page_cache.connect()  # the catalog's public pages are what the anonymous page cache serves
