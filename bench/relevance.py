"""Search relevance on BEIR SciFact through the app's own index and query pipeline.

    .venv/bin/python bench/relevance.py [--scifact ../shared/ir/scifact] [--keep DIR]

Each SciFact abstract becomes an item (title = paper title, one file whose text is the
abstract) in a temporary library; the real `open_index()` builds the index and the real
`SearchIndex.search()` answers the 300 test claims. Prints nDCG@10 and Recall@100 (binary
relevance, trec_eval conventions). Published BM25: 0.665 (BEIR), 0.6647 / 0.6789 (Anserini
multifield / flat).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import REPO, BulkItem, bulk_insert
from library.core import Library
from search import SearchRequest, open_index


def load(scifact: Path) -> tuple[list[dict[str, str]], dict[str, str], dict[str, set[str]]]:
    corpus = [json.loads(line) for line in (scifact / "corpus.jsonl").open(encoding="utf-8")]
    queries = {
        q["_id"]: q["text"]
        for q in (json.loads(line) for line in (scifact / "queries.jsonl").open(encoding="utf-8"))
    }
    qrels: dict[str, set[str]] = {}
    with (scifact / "qrels" / "test.tsv").open(encoding="utf-8") as f:
        next(f)
        for line in f:
            qid, did, score = line.rstrip("\n").split("\t")
            if int(score) > 0:
                qrels.setdefault(qid, set()).add(did)
    return corpus, queries, qrels


def ndcg_at(ranked: list[str], relevant: set[str], k: int = 10) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:k]) if d in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal if ideal else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--scifact", type=Path, default=REPO.parent / "shared" / "ir" / "scifact")
    ap.add_argument("--keep", type=Path, help="build the library here and keep it")
    args = ap.parse_args(argv)
    if not (args.scifact / "corpus.jsonl").is_file():
        print(f"SciFact not found at {args.scifact}", file=sys.stderr)
        return 2
    corpus, queries, qrels = load(args.scifact)
    root = args.keep or Path(tempfile.mkdtemp(prefix="frontline-scifact-"))
    lib = Library.open(root / "lib")
    t0 = time.perf_counter()
    items = [BulkItem(title=d.get("title", ""), body=d.get("text", ""), key="") for d in corpus]
    keys = bulk_insert(lib, items)
    doc_of = {k: d["_id"] for k, d in zip(keys, corpus, strict=True)}
    t1 = time.perf_counter()
    idx = open_index(lib)
    t2 = time.perf_counter()
    ndcgs: list[float] = []
    recalls: list[float] = []
    latencies: list[float] = []
    for qid, relevant in sorted(qrels.items(), key=lambda kv: int(kv[0])):
        q0 = time.perf_counter()
        res = idx.search(SearchRequest(queries[qid], limit=100, include_all=True))
        latencies.append(time.perf_counter() - q0)
        ranked = [doc_of[h.key] for h in res.hits]
        ndcgs.append(ndcg_at(ranked, relevant, 10))
        recalls.append(len(set(ranked[:100]) & relevant) / len(relevant))
    idx.close()
    lib.close()
    n = len(ndcgs)
    print(f"SciFact test: {n} queries, {len(corpus):,} documents")
    print(f"  load {t1 - t0:.1f} s, index {t2 - t1:.1f} s ({len(corpus) / (t2 - t1):.0f} docs/s)")
    print(f"  nDCG@10    {sum(ndcgs) / n:.4f}   (BM25 published: 0.665 BEIR, 0.6789 Anserini flat)")
    print(f"  Recall@100 {sum(recalls) / n:.4f}   (Anserini flat: 0.9253)")
    lat = sorted(latencies)
    print(
        f"  query p50 {lat[n // 2] * 1000:.1f} ms, p95 {lat[int(n * 0.95)] * 1000:.1f} ms (top 100)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
