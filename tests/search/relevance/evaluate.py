"""Loading the relevance corpus and scoring a backend on judged queries: nDCG@10 and recall@10."""

import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from search import api
from tests.factories import ProviderFactory, ServiceCategoryFactory, ServiceFactory

from .corpus import CATEGORIES, PROVIDERS, SERVICES

K = 10
Judgments = list[tuple[str, dict[str, int]]]


def load_corpus() -> dict[int, str]:
    """Create the corpus's providers and services and index them; returns service id -> corpus key."""
    now = timezone.now()
    providers = {
        key: ProviderFactory(name_zh=zh, name_en=en, level=level, province=province, city=city)
        for key, (zh, en, level, province, city) in PROVIDERS.items()
    }
    categories = {
        key: ServiceCategoryFactory(slug=f"rel-{key}", name_zh=zh, name_en=en) for key, (zh, en) in CATEGORIES.items()
    }
    keys = {}
    for n, (key, provider, category, title_zh, title_en, summary_zh, summary_en, standards) in enumerate(SERVICES):
        service = ServiceFactory(
            provider=providers[provider],
            category=categories[category],
            title_zh=title_zh,
            title_en=title_en,
            summary_zh=summary_zh,
            summary_en=summary_en,
            standards=standards,
            price=Decimal(200 + 10 * n),
            published_at=now - timedelta(hours=n),  # a fixed "newest" order that says nothing about relevance
        )
        keys[service.pk] = key
    api.rebuild_index()
    return keys


def dcg(grades: list[int]) -> float:
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def ndcg(ranked: list[str], judged: dict[str, int], k: int = K) -> float:
    ideal = dcg(sorted(judged.values(), reverse=True)[:k])
    return dcg([judged.get(key, 0) for key in ranked[:k]]) / ideal if ideal else 0.0


def recall(ranked: list[str], judged: dict[str, int], k: int = K) -> float:
    relevant = {key for key, grade in judged.items() if grade > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


@dataclass(frozen=True)
class QueryScore:
    query: str
    ndcg: float
    recall: float
    ranked: list[str]


@dataclass(frozen=True)
class Scores:
    per_query: list[QueryScore]

    @property
    def ndcg(self) -> float:
        return sum(q.ndcg for q in self.per_query) / len(self.per_query)

    @property
    def recall(self) -> float:
        return sum(q.recall for q in self.per_query) / len(self.per_query)


def ranked_keys(text: str, keys: dict[int, str]) -> list[str]:
    """The corpus keys of the first K hits of a search, in order."""
    result = api.search_services(api.SearchQuery(text=text, page_size=K))
    return [keys[hit.service_id] for hit in result.hits]


def evaluate(judgments: Judgments, keys: dict[int, str]) -> Scores:
    scores = []
    for text, judged in judgments:
        ranked = ranked_keys(text, keys)
        scores.append(QueryScore(text, ndcg(ranked, judged), recall(ranked, judged), ranked))
    return Scores(scores)
