"""Search speed on generated libraries: build, size, cold open, query latency, updates, RSS.

    .venv/bin/python bench/search_bench.py                    # 1,000 and 10,000 items
    .venv/bin/python bench/search_bench.py --sizes 1000,10000,50000 --keep /tmp/fl-bench

For each size a library of realistic sales items is generated (bodies of 300-15,000 words,
median ~1,300, mean ~2,000, split into pages; Zipf-distributed vocabulary with sales phrases,
product and competitor names; personas, stages, products, industries, regions, competitors,
tags; 85 % approved, some expired or drafts). Then, through the app's own `search` API:
  build     open_index() on a library without an index = full rebuild (items/s), index size
  cold open open_index() + first query in a new process (page cache dropped when permitted)
  queries   p50/p95 over a mix (single word, several words, phrase, prefix, fuzzy,
            facet-filtered), top 10 + total + facet counts, without and with snippets
  update    edit an item (commit + outbox) -> drain() -> visible in search, p50/max
  RSS       peak resident memory of the query process
SQLite FTS5 on the same corpus (title + body, bm25, snippet()) is measured beside it as a
reference. Figures, not pass/fail. Goals at 10k: p95 <= 50 ms with snippets + facets,
p50 <= 15 ms, build >= 150 items/s, update visible <= 200 ms, cold open <= 300 ms.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import BulkItem, bulk_insert, dir_size_mb, peak_rss_mb, percentile

FUNCTION_WORDS = [
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "for",
    "is",
    "on",
    "that",
    "with",
    "as",
    "by",
    "this",
    "be",
    "are",
    "it",
    "at",
    "from",
    "or",
    "an",
    "we",
    "your",
    "our",
    "can",
    "will",
    "you",
    "their",
    "more",
    "not",
    "has",
    "have",
    "which",
    "all",
    "its",
    "into",
    "than",
    "also",
    "when",
    "how",
    "they",
    "these",
    "each",
    "new",
    "most",
    "other",
    "such",
    "only",
    "over",
    "any",
    "up",
    "one",
    "about",
    "who",
    "what",
    "but",
    "so",
]
DOMAIN_WORDS = [
    "platform",
    "customer",
    "revenue",
    "pipeline",
    "security",
    "compliance",
    "integration",
    "analytics",
    "dashboard",
    "workflow",
    "automation",
    "onboarding",
    "renewal",
    "expansion",
    "pricing",
    "discount",
    "contract",
    "procurement",
    "budget",
    "forecast",
    "quota",
    "territory",
    "account",
    "opportunity",
    "prospect",
    "lead",
    "funnel",
    "conversion",
    "retention",
    "churn",
    "adoption",
    "deployment",
    "migration",
    "implementation",
    "architecture",
    "scalability",
    "performance",
    "reliability",
    "availability",
    "encryption",
    "authentication",
    "authorization",
    "audit",
    "governance",
    "privacy",
    "regulation",
    "gdpr",
    "hipaa",
    "soc",
    "certification",
    "vendor",
    "partner",
    "reseller",
    "channel",
    "marketplace",
    "ecosystem",
    "api",
    "connector",
    "data",
    "warehouse",
    "lake",
    "pipeline",
    "latency",
    "throughput",
    "benchmark",
    "savings",
    "efficiency",
    "productivity",
    "visibility",
    "insight",
    "report",
    "metric",
    "kpi",
    "roi",
    "tco",
    "payback",
    "value",
    "outcome",
    "challenge",
    "solution",
    "result",
    "objection",
    "champion",
    "buyer",
    "executive",
    "stakeholder",
    "committee",
    "evaluation",
    "demo",
    "trial",
    "pilot",
    "proof",
    "concept",
    "rollout",
    "training",
    "support",
    "service",
    "level",
    "agreement",
    "uptime",
    "incident",
    "response",
    "monitoring",
    "alerting",
    "cloud",
    "hybrid",
    "premises",
    "kubernetes",
    "container",
    "infrastructure",
    "network",
    "storage",
    "backup",
    "recovery",
    "disaster",
    "continuity",
    "risk",
    "threat",
    "vulnerability",
    "patch",
    "identity",
    "access",
    "single",
    "sign",
    "federation",
    "mobile",
    "desktop",
    "offline",
    "synchronization",
    "collaboration",
    "document",
    "content",
    "library",
    "search",
    "template",
    "brochure",
    "datasheet",
    "whitepaper",
    "case",
    "study",
    "battle",
    "card",
    "quote",
    "testimonial",
    "reference",
    "logo",
    "brand",
    "campaign",
    "webinar",
    "event",
    "conference",
    "survey",
    "research",
    "analyst",
    "gartner",
    "forrester",
    "quadrant",
    "wave",
    "leader",
    "challenger",
    "visionary",
    "niche",
    "strategy",
    "roadmap",
    "release",
    "feature",
    "capability",
    "module",
    "edition",
    "license",
    "subscription",
    "seat",
    "tier",
    "enterprise",
    "midmarket",
    "smb",
    "startup",
    "healthcare",
    "finance",
    "banking",
    "insurance",
    "retail",
    "manufacturing",
    "logistics",
    "education",
    "government",
    "energy",
    "telecom",
    "media",
    "pharmaceutical",
]
PHRASES = (
    "return on investment",
    "total cost of ownership",
    "single sign on",
    "service level agreement",
    "time to value",
    "proof of concept",
    "disaster recovery",
    "customer success",
    "data residency",
    "zero trust",
)
PERSONAS = [
    "CFO",
    "CTO",
    "CIO",
    "CISO",
    "VP Sales",
    "Head of Operations",
    "IT Manager",
    "Procurement Lead",
]
STAGES = [
    "Prospecting",
    "Discovery",
    "Evaluation",
    "Proposal",
    "Negotiation",
    "Closed won",
    "Onboarding",
    "Expansion/Renewal",
]
PRODUCTS = ["Northwind Cloud", "Northwind Edge", "Northwind Insight", "Northwind Vault"]
INDUSTRIES = [
    "Healthcare",
    "Financial services",
    "Retail",
    "Manufacturing",
    "Public sector",
    "Education",
    "Energy",
    "Telecom",
    "Logistics",
    "Media",
]
REGIONS = ["EMEA", "North America", "LATAM", "APAC", "DACH", "Nordics"]
COMPETITORS = ["Acme Corp", "Globex", "Initech", "Umbrella Systems", "Contoso"]
TAGS = [f"tag{i:02d}" for i in range(40)]
FORMATS = [
    ("collateral", "data-sheet"),
    ("collateral", "one-pager"),
    ("collateral", "white-paper"),
    ("collateral", "pitch-deck"),
    ("collateral", "email-template"),
    ("collateral", "pricing-sheet"),
    ("case-study", "case-study"),
    ("case-study", "customer-reference"),
    ("competitor-insight", "battle-card"),
    ("competitor-insight", "competitive-update"),
]


class Corpus:
    """Deterministic generator of sales-like items."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        syll = [
            "ba",
            "be",
            "bi",
            "bo",
            "ca",
            "co",
            "da",
            "de",
            "di",
            "do",
            "fa",
            "fe",
            "ga",
            "go",
            "ka",
            "ke",
            "ki",
            "ko",
            "la",
            "le",
            "li",
            "lo",
            "ma",
            "me",
            "mi",
            "mo",
            "na",
            "ne",
            "ni",
            "no",
            "pa",
            "pe",
            "po",
            "ra",
            "re",
            "ri",
            "ro",
            "sa",
            "se",
            "si",
            "so",
            "ta",
            "te",
            "ti",
            "to",
            "va",
            "ve",
            "vi",
            "vo",
            "za",
            "zo",
        ]
        tail = {
            "".join(self.rng.choice(syll) for _ in range(self.rng.randint(2, 4)))
            for _ in range(30000)
        }
        words = (
            FUNCTION_WORDS
            + DOMAIN_WORDS
            + [w.lower() for n in PRODUCTS + COMPETITORS for w in n.split()]
            + sorted(tail)
        )
        # Zipf-like weights: function words dominate, domain words next, a long tail of jargon.
        self.words = words
        weights = [1.0 / (i + 1) ** 1.0 for i in range(len(words))]
        acc = 0.0
        self.cum = []
        for w in weights:
            acc += w
            self.cum.append(acc)

    def text(self, n: int) -> str:
        rng = self.rng
        toks = rng.choices(self.words, cum_weights=self.cum, k=n)
        out: list[str] = []
        i = 0
        while i < len(toks):
            k = rng.randint(8, 22)
            sentence = toks[i : i + k]
            if rng.random() < 0.15:
                sentence.insert(rng.randint(0, len(sentence)), rng.choice(PHRASES))
            out.append(" ".join(sentence).capitalize() + ".")
            i += k
        return " ".join(out)

    def item(self, i: int, today: date) -> BulkItem:
        rng = self.rng
        n = int(min(15000, max(300, rng.lognormvariate(math.log(1300), 0.9))))
        body = self.text(n)
        words = body.split(" ")
        pages = [" ".join(words[j : j + 450]) for j in range(0, len(words), 450)]
        kind, fmt = rng.choice(FORMATS)
        status = rng.choices(["approved", "draft", "in-review", "retired"], [85, 8, 4, 3])[0]
        expires = today + timedelta(days=rng.randint(-200, 600)) if rng.random() < 0.3 else None
        verify = today + timedelta(days=rng.randint(-90, 180)) if rng.random() < 0.5 else None
        product = rng.choice(PRODUCTS)
        title = f"{product} {fmt.replace('-', ' ')}: {self.text(rng.randint(3, 7)).rstrip('.')}"
        terms = {
            "persona": rng.sample(PERSONAS, rng.randint(1, 3)),
            "stage": rng.sample(STAGES, rng.randint(1, 2)),
            "product": [product],
            "industry": rng.sample(INDUSTRIES, rng.randint(0, 2)),
            "region": rng.sample(REGIONS, rng.randint(0, 2)),
            "tag": rng.sample(TAGS, rng.randint(0, 4)),
        }
        if kind == "competitor-insight" or rng.random() < 0.1:
            terms["competitor"] = rng.sample(COMPETITORS, rng.randint(1, 2))
        return BulkItem(
            title=title[:300],
            body="\f".join(pages),
            summary=self.text(rng.randint(20, 60)),
            kind=kind,
            format=fmt,
            status=status,
            audience=rng.choice(["internal", "customer", "partner"]),
            language=rng.choices(["en", "de", "fr"], [90, 6, 4])[0],
            updated_at=datetime(2025, 1, 1) + timedelta(minutes=i),
            expires_on=expires,
            verify_by=verify,
            page_count=len(pages),
            terms=terms,
        )


def query_mix(rng: random.Random) -> list[tuple[str, str, dict[str, list[str]]]]:
    """(class, text, filters) — the same mix for every size."""
    mid = DOMAIN_WORDS[20:140]
    out: list[tuple[str, str, dict[str, list[str]]]] = []
    for _ in range(40):
        out.append(("single", rng.choice(mid), {}))
        out.append(("multi", " ".join(rng.sample(mid, rng.randint(2, 4))), {}))
        out.append(("phrase", f'"{rng.choice(PHRASES)}"', {}))
        w = rng.choice([x for x in mid if len(x) >= 6])
        out.append(("prefix", w[: rng.randint(3, 5)] + "*", {}))
        w = rng.choice([x for x in mid if len(x) >= 6])
        j = rng.randint(1, len(w) - 2)
        out.append(("fuzzy", w[:j] + w[j + 1] + w[j] + w[j + 2 :] + "~", {}))
        out.append(
            (
                "facet",
                " ".join(rng.sample(mid, rng.randint(1, 2))),
                {"persona": [rng.choice(PERSONAS)], "stage": rng.sample(STAGES, 2)},
            )
        )
    rng.shuffle(out)
    return out


# -- phases (each in its own process, so RSS and cold-open figures are its own) ---------------
def phase_build(root: Path, size: int) -> dict[str, float]:
    from library.core import Library
    from search import open_index

    lib = Library.open(root / "lib")
    corpus = Corpus(seed=size)
    today = date.today()
    t0 = time.perf_counter()
    bulk_insert(lib, (corpus.item(i, today) for i in range(size)))
    # Real libraries have a version row per item; bulk-inserted ones get theirs now (untimed),
    # or the first open in `phase_open` would measure this one-time backfill, not an open.
    from library.governance import ensure_versions

    ensure_versions(lib)
    t1 = time.perf_counter()
    idx = open_index(lib)
    t2 = time.perf_counter()
    docs = idx.documents()
    idx.close()
    lib.close()
    return {
        "generate_s": t1 - t0,  # includes the version backfill
        "build_s": t2 - t1,
        "items_per_s": size / (t2 - t1),
        "documents": docs,
        "index_mb": dir_size_mb(root / "lib" / "index"),
        "db_mb": (root / "lib" / "library.db").stat().st_size / 1e6,
        "build_rss_mb": peak_rss_mb(),
    }


def _drop_caches() -> bool:
    try:
        subprocess.run(["sync"], check=False)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def phase_open(root: Path) -> dict[str, float]:
    from library.core import Library
    from search import SearchRequest, open_index

    t0 = time.perf_counter()
    lib = Library.open(root / "lib")
    idx = open_index(lib)
    t1 = time.perf_counter()
    idx.search(SearchRequest("security compliance", limit=10))
    t2 = time.perf_counter()
    idx.close()
    lib.close()
    return {"open_ms": (t1 - t0) * 1000, "first_query_ms": (t2 - t1) * 1000}


def phase_query(root: Path) -> dict[str, float]:
    from library.core import Library
    from search import SearchRequest, open_index
    from search.testing import edit_item

    lib = Library.open(root / "lib")
    idx = open_index(lib)
    # warm-up: the first query builds the cached facet masks
    idx.search(SearchRequest("warm up", limit=10))
    res: dict[str, float] = {}
    by_class: dict[str, list[float]] = {}
    for snippets in (False, True):
        lat: list[float] = []
        # another sample for each pass, so the second does not just hit the first one's caches
        for cls, text, filters in query_mix(random.Random(12 if snippets else 11)):
            t0 = time.perf_counter()
            r = idx.search(SearchRequest(text, filters=filters, limit=10))
            if snippets and r.hits:
                idx.snippets(r.query_id, [h.key for h in r.hits])
            dt = (time.perf_counter() - t0) * 1000
            lat.append(dt)
            by_class.setdefault(f"{cls}{'+snip' if snippets else ''}", []).append(dt)
        tag = "snip" if snippets else "plain"
        res[f"{tag}_p50"] = percentile(lat, 50)
        res[f"{tag}_p95"] = percentile(lat, 95)
        res[f"{tag}_max"] = max(lat)
    for cls, lat in by_class.items():
        res[f"class:{cls}:p50"] = percentile(lat, 50)
        res[f"class:{cls}:p95"] = percentile(lat, 95)
    # incremental update: edit -> drain -> visible
    hits = idx.search(SearchRequest("security", limit=20)).hits
    upd: list[float] = []
    for n, h in enumerate(hits[:15]):
        marker = f"zqx{os.getpid()}m{n}"
        t0 = time.perf_counter()
        edit_item(lib, h.key, title=f"{h.title[:80]} {marker}")
        idx.drain()
        found = idx.search(SearchRequest(marker, limit=1, include_all=True)).hits
        upd.append((time.perf_counter() - t0) * 1000)
        assert found and found[0].key == h.key, "edited item not found"
    res["update_p50"] = percentile(upd, 50)
    res["update_max"] = max(upd)
    res["query_rss_mb"] = peak_rss_mb()
    idx.close()
    lib.close()
    return res


def phase_fts5(root: Path) -> dict[str, float]:
    """SQLite FTS5 over the same items (title + body text), as a reference."""
    src = sqlite3.connect(root / "lib" / "library.db")
    path = root / "fts5.db"
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61 remove_diacritics 2')"
    )
    t0 = time.perf_counter()
    n = 0
    cur = src.execute(
        "SELECT i.title, a.text FROM items i JOIN assets a ON a.item_id = i.id ORDER BY i.id"
    )
    while rows := cur.fetchmany(500):
        db.executemany("INSERT INTO docs(title, body) VALUES (?, ?)", rows)
        n += len(rows)
    db.commit()
    build = time.perf_counter() - t0
    mix = query_mix(random.Random(11))
    res: dict[str, float] = {"items_per_s": n / build, "index_mb": path.stat().st_size / 1e6}
    for snippets in (False, True):
        lat: list[float] = []
        for cls, text, _filters in mix:
            if cls == "phrase" or cls == "prefix":
                q = text
            elif cls == "fuzzy":  # FTS5 has no fuzzy terms: plain word
                q = text.rstrip("~")
            else:
                q = " OR ".join(text.split())
            cols = "rowid, snippet(docs, 1, '<b>', '</b>', '…', 24)" if snippets else "rowid"
            t1 = time.perf_counter()
            db.execute(
                f"SELECT {cols} FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 2.0, 1.0) LIMIT 10",
                (q,),
            ).fetchall()
            db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (q,)).fetchone()
            lat.append((time.perf_counter() - t1) * 1000)
        tag = "snip" if snippets else "plain"
        res[f"{tag}_p50"] = percentile(lat, 50)
        res[f"{tag}_p95"] = percentile(lat, 95)
    db.close()
    src.close()
    path.unlink(missing_ok=True)
    return res


def _run_phase(phase: str, root: Path, size: int = 0) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--root", str(root), "--size", str(size)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated library sizes")
    ap.add_argument("--keep", type=Path, help="build libraries under this folder and keep them")
    ap.add_argument("--no-fts5", action="store_true", help="skip the SQLite FTS5 reference")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.phase:
        fn = {
            "build": lambda: phase_build(args.root, args.size),
            "open": lambda: phase_open(args.root),
            "query": lambda: phase_query(args.root),
            "fts5": lambda: phase_fts5(args.root),
        }[args.phase]
        print(json.dumps(fn()))
        return 0
    base = args.keep or Path(tempfile.mkdtemp(prefix="frontline-bench-"))
    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        root = base / f"lib-{size}"
        root.mkdir(parents=True, exist_ok=True)
        print(f"\n== {size:,} items ({root})", flush=True)
        b = _run_phase("build", root, size)
        print(
            f"build     {b['items_per_s']:.0f} items/s ({b['build_s']:.1f} s; generating took "
            f"{b['generate_s']:.1f} s), index {b['index_mb']:.0f} MB, db {b['db_mb']:.0f} MB, "
            f"build RSS {b['build_rss_mb']:.0f} MB",
            flush=True,
        )
        dropped = _drop_caches()
        o = _run_phase("open", root)
        print(
            f"cold open {o['open_ms']:.0f} ms + first query {o['first_query_ms']:.0f} ms"
            f" ({'page cache dropped' if dropped else 'page cache NOT dropped: no permission'})",
            flush=True,
        )
        q = _run_phase("query", root)
        print(
            f"queries   top 10 + total + facets: p50 {q['plain_p50']:.1f} ms, p95 {q['plain_p95']:.1f} ms, max {q['plain_max']:.0f} ms"
        )
        print(
            f"          + snippets for the top 10: p50 {q['snip_p50']:.1f} ms, p95 {q['snip_p95']:.1f} ms, max {q['snip_max']:.0f} ms"
        )
        classes = sorted({k.split(":")[1] for k in q if k.startswith("class:")})
        for cls in classes:
            print(
                f"          {cls:<12} p50 {q[f'class:{cls}:p50']:6.1f}  p95 {q[f'class:{cls}:p95']:6.1f} ms"
            )
        print(
            f"update    edit -> drain -> visible: p50 {q['update_p50']:.0f} ms, max {q['update_max']:.0f} ms"
        )
        print(f"RSS       query process peak {q['query_rss_mb']:.0f} MB", flush=True)
        if not args.no_fts5:
            f = _run_phase("fts5", root)
            print(
                f"FTS5      build {f['items_per_s']:.0f} items/s ({f['index_mb']:.0f} MB); "
                f"p50/p95 {f['plain_p50']:.1f}/{f['plain_p95']:.1f} ms, with snippet() "
                f"{f['snip_p50']:.1f}/{f['snip_p95']:.1f} ms (no facets, no fuzzy)"
            )
            print(
                f"ratio     whoosh/FTS5 build {b['items_per_s'] / f['items_per_s']:.2f}x speed; "
                f"p95 with snippets {q['snip_p95'] / max(f['snip_p95'], 0.01):.1f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
