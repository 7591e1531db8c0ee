"""Benchmark the FAQ matcher: quality and latency at 100 / 1,000 / 10,000 entries.

Run: ``.venv/bin/python bench/faq.py`` (add ``--calibrate`` for the threshold grid search,
``--variants`` to also compare ablations of the engine, ``--sizes 100 1000`` to choose sizes).

- Quality is measured on ``tests/faq/eval_set.yaml``: top-1 accuracy on answerable questions
  (a refusal counts as a miss) and the share of off-topic messages correctly refused.
- Thresholds are calibrated on the FAQ itself, never on the evaluation set: leave-one-out over
  every question/paraphrase (each removed from its entry and asked) plus CALIBRATION_NEGATIVES
  below (off-topic messages written for calibration only). Rule: among thresholds refusing
  ≥ 90% of the calibration negatives, the one with the most leave-one-out correct − wrong.
- Larger sizes pad the default FAQ with synthetic distractor entries: real Indonesian question
  frames ("bagaimana cara …", "kenapa … tidak bisa …") around invented content words, some of
  them also carrying a real word of the FAQ's vocabulary, so they compete with real entries
  on frames and shared words without being a correct answer to anything.
- The baseline is plain TF-IDF (lowercased word unigrams, no slang/stemming/char n-grams,
  cosine), with the same max-over-documents entry score and the same calibrated threshold +
  margin rule.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.faq.matcher import FaqIndex, MatcherConfig  # noqa: E402
from bot.faq.model import FaqEntry, load_default_faq  # noqa: E402
from bot.faq.vectors import SparseSpace  # noqa: E402

EVAL_SET = ROOT / "tests" / "faq" / "eval_set.yaml"
# Share of off-topic calibration messages the thresholds must refuse (the product target).
REFUSAL_TARGET = 0.90

# Off-topic messages used ONLY to calibrate thresholds (disjoint from the evaluation set).
CALIBRATION_NEGATIVES: tuple[str, ...] = (
    "selamat malam min",
    "hai bot",
    "met siang",
    "makasih ya infonya",
    "siap pak",
    "oke deh",
    "hmm",
    "test",
    "p",
    "info loker pabrik di jatiuwung",
    "vaksin booster dimana ya",
    "cara urus surat pindah domisili",
    "pengajuan kartu keluarga baru syaratnya apa",
    "jadwal samsat keliling minggu ini",
    "parkir liar di depan ruko gmn laporinnya",
    "pohon tumbang di jalan",
    "banjir setinggi lutut di periuk",
    "kapan ada pasar murah",
    "harga cabe naik terus",
    "siapa walikota tangerang sekarang",
    "tim bola favorit kamu apa",
    "nonton bioskop dimana yang murah",
    "ada rekomendasi bakso enak",
    "kamu pinter ga",
    "nikah di kua syaratnya apa",
    "cara bayar listrik pakai pulsa",
    "pulsa saya kesedot terus",
    "kuota internet murah provider apa",
    "beli token listrik gagal",
    "rumah sakit umum daerah alamatnya dimana",
    "ambulans gratis nomornya berapa",
    "pemadam kebakaran telepon berapa",
    "jadwal posyandu bulan ini",
    "sekolah gratis untuk smp ada ga",
    "beasiswa kuliah dari pemkot",
    "info pelatihan kerja gratis",
    "cara daftar kartu prakerja",
    "daftar ulang sekolah kapan",
    "tilang elektronik cek dimana",
    "mau sewa gedung pertemuan",
    "car free day minggu ini ada ga",
    "jam buka perpustakaan daerah",
    "kebersihan sungai cisadane",
    "anjing tetangga menggonggong terus",
    "jalan berlubang di karawaci",
    "ada gempa ga barusan",
    "suhu hari ini panas banget",
    "kapan libur lebaran",
    "jadwal imsakiyah ramadhan",
    "arah kiblat di tangerang",
    "cara membuat kue nastar",
    "lagu dangdut terbaru",
    "kamu tinggal dimana",
    "boleh kenalan ga",
    "saya bosen",
    "cerita horor dong",
    "zzzz",
    "1234567",
    "🙏🙏🙏",
    "...",
)

_SYLLABLES = tuple(c + v for c in "bdgjklmnprstwy" for v in "aiueo")
_FRAMES = (
    "bagaimana cara {v} {n}",
    "gmn cara {v} {n} {m}",
    "apakah {n} bisa {v}",
    "berapa lama proses {v} {n}",
    "kenapa {n} saya tidak bisa {v}",
    "di mana tempat {v} {n} {m}",
    "{n} {m} harus bagaimana",
    "syarat {v} {n} apa saja",
    "mau tanya soal {n} {m}",
    "knp {v} {n} gagal terus",
    "brp biaya {v} {n}",
    "kapan {n} {m} bisa {v}",
)
_SHARED_WORDS = ("aplikasi", "data", "akun", "warga", "layanan", "foto", "nomor", "surat")


def synthetic_entries(count: int, seed: int = 7) -> list[FaqEntry]:
    """Generate distractor entries that share question frames but no real topic."""
    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))

    out: list[FaqEntry] = []
    for i in range(count):
        v, n, m = word(), word(), word()
        if rng.random() < 0.3:
            m = rng.choice(_SHARED_WORDS)
        frames = rng.sample(_FRAMES, 7)
        texts = [f.format(v=v, n=n, m=m) for f in frames]
        out.append(
            FaqEntry(
                id=f"synthetic-{i:05d}",
                category="synthetic",
                question=texts[0],
                paraphrases=tuple(texts[1:]),
                answer="(synthetic distractor)",
            )
        )
    return out


# ---------------------------------------------------------------- engines


class Scorer:
    """Anything that returns one score per entry, aligned with the entry list it was built on."""

    ids: list[str]

    def scores(self, text: str) -> np.ndarray:  # pragma: no cover - interface
        """Return one score per entry."""
        raise NotImplementedError


class EngineScorer(Scorer):
    """The project's FaqIndex."""

    def __init__(self, entries: Sequence[FaqEntry], config: MatcherConfig) -> None:
        """Build the index."""
        self.index = FaqIndex.build(entries, config)
        self.ids = [e.id for e in self.index.entries]

    def scores(self, text: str) -> np.ndarray:
        """Return one score per entry."""
        return self.index.scores(text)


_WORD = re.compile(r"\w+")


class BaselineScorer(Scorer):
    """Plain TF-IDF: lowercased word unigrams, cosine, entry score = best document."""

    def __init__(self, entries: Sequence[FaqEntry]) -> None:
        """Build the index."""
        self.ids = [e.id for e in entries]
        docs: list[list[str]] = []
        starts: list[int] = []
        for e in entries:
            starts.append(len(docs))
            docs.extend(_WORD.findall(t.lower()) for t in e.documents())
        self.space = SparseSpace(docs, "tfidf")
        self.starts = np.asarray(starts)

    def scores(self, text: str) -> np.ndarray:
        """Return one score per entry."""
        return np.maximum.reduceat(self.space.score(_WORD.findall(text.lower())), self.starts)


Factory = Callable[[Sequence[FaqEntry]], Scorer]


def engine_factory(config: MatcherConfig) -> Factory:
    """Return a factory for the engine with a configuration."""
    return lambda entries: EngineScorer(entries, config)


# ---------------------------------------------------------------- decisions and metrics


@dataclass(frozen=True)
class Verdict:
    """Top-1 id, its score and the runner-up's score for one query."""

    top: str | None
    score: float
    runner_up: float


def verdict(scorer: Scorer, text: str) -> Verdict:
    """Rank entries for a query."""
    s = scorer.scores(text)
    if not s.size:
        return Verdict(None, 0.0, 0.0)
    order = np.argsort(-s, kind="stable")[:2]
    second = float(s[order[1]]) if len(order) > 1 else 0.0
    return Verdict(scorer.ids[order[0]], float(s[order[0]]), second)


def decide(v: Verdict, min_score: float, min_margin: float) -> str | None:
    """Apply the threshold + margin rule."""
    if v.top is not None and v.score >= min_score and v.score - v.runner_up >= min_margin:
        return v.top
    return None


def quality(
    pos: Sequence[tuple[Verdict, str]], neg: Sequence[Verdict], t: float, m: float
) -> tuple[float, float, float]:
    """Return (top-1 accuracy, wrong-answer rate, correct-refusal rate)."""
    answers = [decide(v, t, m) for v, _ in pos]
    correct = sum(a == exp for a, (_, exp) in zip(answers, pos, strict=True))
    wrong = sum(a is not None and a != exp for a, (_, exp) in zip(answers, pos, strict=True))
    refused = sum(decide(v, t, m) is None for v in neg)
    return correct / max(len(pos), 1), wrong / max(len(pos), 1), refused / max(len(neg), 1)


def calibrate(
    pos: Sequence[tuple[Verdict, str]], neg: Sequence[Verdict], target: float = REFUSAL_TARGET
) -> tuple[float, float]:
    """Grid-search (min_score, min_margin): best correct − wrong among those refusing ≥ target."""
    best = (-math.inf, 1.0, 0.0)
    for t in np.arange(0.10, 0.90, 0.01):
        for m in np.arange(0.0, 0.21, 0.01):
            acc, wrong, refused = quality(pos, neg, t, m)
            if refused + 1e-9 < target:
                continue
            if acc - wrong > best[0] + 1e-9:
                best = (acc - wrong, round(float(t), 2), round(float(m), 2))
    return best[1], best[2]


def leave_one_out(factory: Factory, entries: Sequence[FaqEntry]) -> list[tuple[Verdict, str]]:
    """Ask every question/paraphrase against an index built without it."""
    out: list[tuple[Verdict, str]] = []
    for i, entry in enumerate(entries):
        docs = entry.documents()
        for j, held_out in enumerate(docs):
            rest = docs[:j] + docs[j + 1 :]
            reduced = replace(entry, question=rest[0], paraphrases=tuple(rest[1:]))
            scorer = factory([*entries[:i], reduced, *entries[i + 1 :]])
            out.append((verdict(scorer, held_out), entry.id))
    return out


def load_eval() -> tuple[list[tuple[str, str]], list[str]]:
    """Return (answerable (text, id) pairs, off-topic texts) of the evaluation set."""
    data = yaml.safe_load(EVAL_SET.read_text(encoding="utf-8"))
    pos = [(d["text"], d["expected"]) for d in data if d["expected"] is not None]
    neg = [d["text"] for d in data if d["expected"] is None]
    return pos, neg


def percentile(values: Sequence[float], q: float) -> float:
    """Return the q-th percentile (0-100) of values."""
    return float(np.percentile(np.asarray(values), q))


# ---------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000])
    parser.add_argument("--calibrate", action="store_true", help="print calibration details")
    parser.add_argument("--variants", action="store_true", help="also compare engine ablations")
    args = parser.parse_args(argv)

    faq = load_default_faq()
    eval_pos, eval_neg = load_eval()
    shipped = MatcherConfig()
    engines: dict[str, tuple[Factory, MatcherConfig | None]] = {
        "tlive": (engine_factory(shipped), shipped),
        "tfidf-baseline": (BaselineScorer, None),
    }
    if args.variants:
        for name, changes in (
            ("doc level bm25", {"word_weighting": "bm25", "char_weighting": "bm25"}),
            ("best doc only", {"doc_weight": 1.0}),
            ("entry level only", {"doc_weight": 0.0}),
            ("words only", {"word_weight": 1.0}),
            ("chars only", {"word_weight": 0.0}),
            ("no fuzzy", {"fuzzy": False}),
            ("doc-level idf", {"entry_idf": False}),
            ("no core weight", {"core_power": 0.0}),
            ("entry cosine", {"entry_weighting": "tfidf", "core_power": 0.0}),
        ):
            engines[f"tlive {name}"] = (engine_factory(replace(shipped, **changes)), None)

    print(
        f"default FAQ: {len(faq)} entries, {sum(len(e.documents()) for e in faq)} documents; "
        f"eval: {len(eval_pos)} answerable, {len(eval_neg)} off-topic; "
        f"calibration negatives: {len(CALIBRATION_NEGATIVES)}"
    )
    print()
    header = (
        f"{'engine':<22} {'thr':>5} {'margin':>6} | {'LOO top1':>8} {'LOO acc':>7} "
        f"{'LOO wrong':>9} {'cal refuse':>10} | {'eval top1':>9} {'eval acc':>8} "
        f"{'eval wrong':>10} {'eval refuse':>11}"
    )
    print(
        "quality on the default FAQ alone: leave-one-out (LOO) + calibration negatives "
        "(cal), and the evaluation set; top1 = best-ranked entry right, ignoring thresholds"
    )
    print(header)
    print("-" * len(header))
    thresholds: dict[str, tuple[float, float]] = {}
    for name, (factory, config) in engines.items():
        loo = leave_one_out(factory, faq)
        scorer = factory(faq)
        cal_neg = [verdict(scorer, t) for t in CALIBRATION_NEGATIVES]
        t, m = calibrate(loo, cal_neg)
        if config is not None and not args.calibrate:
            t, m = config.min_score, config.min_margin
        thresholds[name] = (t, m)
        loo_acc, loo_wrong, cal_ref = quality(loo, cal_neg, t, m)
        ev_pos = [(verdict(scorer, q), exp) for q, exp in eval_pos]
        ev_neg = [verdict(scorer, q) for q in eval_neg]
        acc, wrong, refused = quality(ev_pos, ev_neg, t, m)
        loo_top = sum(v.top == e for v, e in loo) / len(loo)
        ev_top = sum(v.top == e for v, e in ev_pos) / len(ev_pos)
        print(
            f"{name:<22} {t:>5.2f} {m:>6.2f} | {loo_top:>8.1%} {loo_acc:>7.1%} "
            f"{loo_wrong:>9.1%} {cal_ref:>10.1%} | {ev_top:>9.1%} {acc:>8.1%} {wrong:>10.1%} "
            f"{refused:>11.1%}"
        )
    if args.calibrate:
        print(
            "\n(--calibrate: thresholds above are the grid-search optimum for each engine; "
            "the shipped ones are in bot/faq/matcher.py)"
        )

    print()
    header = (
        f"{'entries':>7} {'engine':<22} | {'eval acc':>8} {'refuse':>7} | "
        f"{'build s':>7} {'median ms':>9} {'p95 ms':>7}"
    )
    print("scale: default FAQ padded with synthetic distractors, thresholds as above")
    print(header)
    print("-" * len(header))
    queries = [q for q, _ in eval_pos] + eval_neg
    for size in args.sizes:
        entries = faq + synthetic_entries(max(size - len(faq), 0))
        for name, (factory, _) in engines.items():
            t, m = thresholds[name]
            start = time.perf_counter()
            scorer = factory(entries)
            build = time.perf_counter() - start
            scorer.scores("pemanasan cache stem")
            latencies: list[float] = []
            verdicts: dict[str, Verdict] = {}
            for _ in range(3):
                for q in queries:
                    start = time.perf_counter()
                    verdicts[q] = verdict(scorer, q)
                    latencies.append((time.perf_counter() - start) * 1000)
            acc, _, refused = quality(
                [(verdicts[q], exp) for q, exp in eval_pos], [verdicts[q] for q in eval_neg], t, m
            )
            print(
                f"{size:>7} {name:<22} | {acc:>8.1%} {refused:>7.1%} | {build:>7.2f} "
                f"{statistics.median(latencies):>9.2f} {percentile(latencies, 95):>7.2f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
