"""Values cached under a version counter (marketplace.cache_versions.CacheVersion.cached)."""

from marketplace.cache_versions import CacheVersion


def test_a_value_is_computed_once_per_version_and_parts():
    version = CacheVersion("test:version")
    calls: list[str] = []

    def compute(value: str) -> str:
        calls.append(value)
        return value

    assert version.cached("a", 1, compute=lambda: compute("first")) == "first"
    assert version.cached("a", 1, compute=lambda: compute("again")) == "first"
    assert version.cached("a", 2, compute=lambda: compute("other parts")) == "other parts"
    version.bump()
    assert version.cached("a", 1, compute=lambda: compute("after a bump")) == "after a bump"
    assert calls == ["first", "other parts", "after a bump"]


def test_none_is_never_cached():
    version = CacheVersion("test:version")
    calls: list[int] = []
    version.cached("nothing", compute=lambda: calls.append(1))
    version.cached("nothing", compute=lambda: calls.append(1))
    assert calls == [1, 1]
