"""Normalise Indonesian as citizens type it on phones, and reduce it to stemmed content terms.

Pipeline (``normalize``): Unicode NFKC + lowercase → drop emoji/punctuation → split "orang2" into
"orang orang" → collapse letters repeated three or more times ("lamaaaa" → "lama") → map the
project's own slang/abbreviation table (single words and a few word pairs) → tokens.
``content_terms`` then drops the stopwords (polite openings, fillers, particles) and stems each
word with PySastrawi, plus a few colloquial (Jakarta) affixes Sastrawi does not know
("daftarin", "ngecek", "ktpku"). Stems are cached in a bounded LRU cache because Sastrawi is slow.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

# Written for this project (not copied from a third-party lexicon): informal spellings,
# abbreviations and synonyms seen in registration/verification chats, mapped to one standard
# form. A value may hold several words ("gabisa" → "tidak bisa").
SLANG: dict[str, str] = {
    # pronouns
    "sy": "saya",
    "sya": "saya",
    "aku": "saya",
    "aq": "saya",
    "gw": "saya",
    "gue": "saya",
    "gua": "saya",
    "ane": "saya",
    "ku": "saya",
    "km": "kamu",
    "lu": "kamu",
    "lo": "kamu",
    "elu": "kamu",
    # negation and short answers
    "ga": "tidak",
    "gak": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "engga": "tidak",
    "tdk": "tidak",
    "gk": "tidak",
    "g": "tidak",
    "kagak": "tidak",
    "ndak": "tidak",
    "nda": "tidak",
    "tak": "tidak",
    "gabisa": "tidak bisa",
    "gbs": "tidak bisa",
    "gaada": "tidak ada",
    "gatau": "tidak tahu",
    "gpp": "tidak apa",
    "gapapa": "tidak apa",
    "bkn": "bukan",
    # time and aspect
    "udh": "sudah",
    "udah": "sudah",
    "sdh": "sudah",
    "dah": "sudah",
    "uda": "sudah",
    "blm": "belum",
    "belom": "belum",
    "blom": "belum",
    "lom": "belum",
    "msh": "masih",
    "lg": "lagi",
    "skrg": "sekarang",
    "skrng": "sekarang",
    "td": "tadi",
    "kmrn": "kemarin",
    "kemaren": "kemarin",
    "bsk": "besok",
    "ntar": "nanti",
    "nnti": "nanti",
    "entar": "nanti",
    "sblm": "sebelum",
    "stlh": "setelah",
    "abis": "habis",
    "hbs": "habis",
    "kelar": "selesai",
    "hr": "hari",
    "jm": "jam",
    "thn": "tahun",
    "mgg": "minggu",
    # question words
    "gmn": "bagaimana",
    "gimana": "bagaimana",
    "bgmn": "bagaimana",
    "gmna": "bagaimana",
    "gmana": "bagaimana",
    "gimna": "bagaimana",
    "bgaimana": "bagaimana",
    "knp": "kenapa",
    "napa": "kenapa",
    "knapa": "kenapa",
    "ngapa": "kenapa",
    "kok": "kenapa",
    "brp": "berapa",
    "brapa": "berapa",
    "kpn": "kapan",
    "dmn": "di mana",
    "dimana": "di mana",
    "dmana": "di mana",
    "apaan": "apa",
    "sapa": "siapa",
    "spa": "siapa",
    # conjunctions and prepositions
    "yg": "yang",
    "dgn": "dengan",
    "dg": "dengan",
    "krn": "karena",
    "karna": "karena",
    "krna": "karena",
    "tp": "tapi",
    "tpi": "tapi",
    "dr": "dari",
    "dri": "dari",
    "utk": "untuk",
    "untk": "untuk",
    "kalo": "kalau",
    "klo": "kalau",
    "kl": "kalau",
    "klau": "kalau",
    "jg": "juga",
    "sm": "sama",
    "trs": "terus",
    "trus": "terus",
    "pdhl": "padahal",
    "aja": "saja",
    "aj": "saja",
    "doang": "saja",
    "sja": "saja",
    "ni": "ini",
    "tu": "itu",
    "gt": "begitu",
    "gitu": "begitu",
    "gini": "begini",
    "emg": "memang",
    "emang": "memang",
    "bgt": "banget",
    "bngt": "banget",
    "bnyk": "banyak",
    "lbh": "lebih",
    "krg": "kurang",
    "tlg": "tolong",
    "tolongin": "tolong",
    # verbs, colloquial forms
    "bs": "bisa",
    "bsa": "bisa",
    "bikin": "buat",
    "bkin": "buat",
    "pake": "pakai",
    "pk": "pakai",
    "make": "pakai",
    "liat": "lihat",
    "ngeliat": "lihat",
    "nyari": "cari",
    "ngecek": "cek",
    "ngcek": "cek",
    "check": "cek",
    "dateng": "datang",
    "dtg": "datang",
    "nyampe": "sampai",
    "sampe": "sampai",
    "nunggu": "tunggu",
    "ngurus": "urus",
    "ngisi": "isi",
    "ngirim": "kirim",
    "kekirim": "terkirim",
    "dapet": "dapat",
    "dpt": "dapat",
    "nanya": "tanya",
    "pengen": "ingin",
    "pgn": "ingin",
    "pingin": "ingin",
    "ilang": "hilang",
    "ngilang": "hilang",
    "kasi": "kasih",
    "bener": "benar",
    "bnr": "benar",
    "msk": "masuk",
    "ngomong": "bicara",
    "ngobrol": "bicara",
    "donlod": "unduh",
    "download": "unduh",
    "dl": "dulu",
    "dlu": "dulu",
    "install": "pasang",
    "instal": "pasang",
    "upload": "unggah",
    "aplod": "unggah",
    "apload": "unggah",
    "moto": "foto",
    "motoin": "foto",
    "poto": "foto",
    "photo": "foto",
    # registration and verification vocabulary
    "regis": "daftar",
    "registrasi": "daftar",
    "register": "daftar",
    "signup": "daftar",
    "dftr": "daftar",
    "daptar": "daftar",
    "verif": "verifikasi",
    "verifkasi": "verifikasi",
    "acc": "setuju",
    "diacc": "setuju",
    "approve": "setuju",
    "approved": "setuju",
    "reject": "tolak",
    "direject": "tolak",
    "ektp": "ktp",
    "ktpel": "ktp",
    "ktpe": "ktp",
    "kk": "kartu keluarga",
    "kia": "kartu identitas anak",
    "selfi": "swafoto",
    "selpi": "swafoto",
    "selfie": "swafoto",
    "swafotonya": "swafoto",
    "password": "sandi",
    "pasword": "sandi",
    "passwod": "sandi",
    "passwd": "sandi",
    "pw": "sandi",
    "pass": "sandi",
    "hp": "ponsel",
    "handphone": "ponsel",
    "hape": "ponsel",
    "smartphone": "ponsel",
    "no": "nomor",
    "nmr": "nomor",
    "nomer": "nomor",
    "telp": "telepon",
    "tlp": "telepon",
    "telpon": "telepon",
    "wa": "whatsapp",
    "whatsap": "whatsapp",
    "apk": "aplikasi",
    "app": "aplikasi",
    "apps": "aplikasi",
    "aplikasinya": "aplikasi",
    "cs": "petugas",
    "admin": "petugas",
    "operator": "petugas",
    "duit": "uang",
    "ortu": "orang tua",
    "org": "orang",
    "sodara": "saudara",
    "tmn": "teman",
    "tanggerang": "tangerang",
    "tgr": "tangerang",
    "tng": "tangerang",
    "pemkot": "pemerintah kota",
    "dukcapil": "disdukcapil",
    "capil": "disdukcapil",
    "ol": "online",
    "sinyalnya": "sinyal",
    "maf": "maaf",
    "mksh": "terima kasih",
    "makasih": "terima kasih",
    "trims": "terima kasih",
    "thx": "terima kasih",
    "ok": "oke",
    "okey": "oke",
    "okay": "oke",
}

# Word pairs folded into one standard form before the single-word table is applied.
PHRASES: dict[tuple[str, str], str] = {
    ("e", "ktp"): "ktp",
    ("ktp", "el"): "ktp",
    ("ktp", "elektronik"): "ktp",
    ("kata", "sandi"): "sandi",
    ("play", "store"): "playstore",
    ("aplikasi", "store"): "appstore",
    ("customer", "service"): "petugas",
    ("log", "in"): "login",
    ("sign", "in"): "login",
    ("se", "hari"): "sehari",
    ("terima", "kasih"): "",
}

# Polite openings, address terms, particles and fillers that say nothing about the question.
STOPWORDS: frozenset[str] = frozenset(
    [
        "permisi",
        "mau",
        "tanya",
        "nanya",
        "ingin",
        "tolong",
        "mohon",
        "bantu",
        "bantuin",
        "dong",
        "deh",
        "sih",
        "ya",
        "yaa",
        "yah",
        "kah",
        "lah",
        "nih",
        "tuh",
        "kan",
        "pak",
        "bu",
        "ibu2",
        "mas",
        "mbak",
        "mba",
        "bang",
        "kak",
        "ka",
        "kakak",
        "min",
        "mimin",
        "gan",
        "sis",
        "halo",
        "hallo",
        "hai",
        "hay",
        "hi",
        "hello",
        "pagi",
        "siang",
        "sore",
        "malam",
        "selamat",
        "assalamualaikum",
        "salam",
        "punten",
        "maaf",
        "oke",
        "sip",
        "saya",
        "kamu",
        "anda",
        "kami",
        "kita",
        "dia",
        "yang",
        "di",
        "ke",
        "dari",
        "dan",
        "atau",
        "itu",
        "ini",
        "untuk",
        "dengan",
        "pada",
        "oleh",
        "juga",
        "saja",
        "aja",
        "banget",
        "sekali",
        "nya",
        "si",
        "sang",
        "para",
        "tadi",
        "nah",
        "wah",
        "eh",
        "kira",
    ]
)

# Domain roots Sastrawi's dictionary lacks; never stem or strip these.
DOMAIN_ROOTS: frozenset[str] = frozenset(
    [
        "ktp",
        "nik",
        "otp",
        "kia",
        "login",
        "logout",
        "helpdesk",
        "swafoto",
        "ponsel",
        "whatsapp",
        "telegram",
        "email",
        "wifi",
        "playstore",
        "appstore",
        "android",
        "iphone",
        "online",
        "sms",
        "disdukcapil",
        "tangerang",
        "live",
        "pemkot",
    ]
)

# Near-synonyms in this domain, on stems: each maps to one canonical stem so that "ktp patah"
# finds "ktp rusak" and "dicuri" finds "hilang". Written for this project.
SYNONYMS: dict[str, str] = {
    # lost, damaged, blurred
    "raib": "hilang",
    "curi": "hilang",
    "copet": "hilang",
    "lenyap": "hilang",
    "patah": "rusak",
    "pecah": "rusak",
    "retak": "rusak",
    "lecek": "rusak",
    "pudar": "rusak",
    "luntur": "rusak",
    "blur": "buram",
    "burem": "buram",
    "kabur": "buram",
    "ngeblur": "buram",
    # benefit / features
    "manfaat": "guna",
    "untung": "guna",
    "fungsi": "guna",
    "fitur": "layan",
    "fasilitas": "layan",
    # money
    "tarif": "biaya",
    "ongkos": "biaya",
    "pungut": "biaya",
    "bayar": "biaya",
    "uang": "biaya",
    # speed
    "lambat": "lama",
    "molor": "lama",
    "telat": "lama",
    "kelamaan": "lama",
    # fraud
    "penipu": "tipu",
    "hoax": "tipu",
    "hoaks": "tipu",
    "scam": "tipu",
    "palsu": "tipu",
    # change / fix
    "edit": "ubah",
    "ganti": "ubah",
    "koreksi": "ubah",
    "perbaiki": "ubah",
    "benar": "benar",
    # download / install
    "pasang": "unduh",
    # approve
    "acc": "tuju",
    "setuju": "tuju",
    # helpdesk staff
    "tugas": "tugas",
    "operator": "tugas",
    "admin": "tugas",
}

_STANDARD_FORMS: frozenset[str] = frozenset(
    w for value in (*SLANG.values(), *PHRASES.values()) for w in value.split()
)
_REDUPLICATION = re.compile(r"\b([^\W\d_]{2,})2\b")
_DOUBLES = re.compile(r"([^\W\d_])\1")
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
_NON_WORD = re.compile(r"[\W_]+")
_HYPHEN_PAIR = re.compile(r"([^\W\d_]+)-\1\b")
_MAX_WORD = 40


def normalize(text: str) -> list[str]:
    """Return the normalised tokens of a message (slang mapped, stopwords kept)."""
    if not text:
        return []
    text = unicodedata.normalize("NFKC", text).lower()
    text = _HYPHEN_PAIR.sub(r"\1 \1", text)
    text = _NON_WORD.sub(" ", text)
    text = _REDUPLICATION.sub(r"\1 \1", text)
    text = _REPEATS.sub(r"\1", text)
    mapped = [t for w in text.split() for t in _map_slang(w[:_MAX_WORD]).split()]
    tokens: list[str] = []
    i = 0
    while i < len(mapped):
        pair = PHRASES.get((mapped[i], mapped[i + 1])) if i + 1 < len(mapped) else None
        if pair is not None:
            tokens.extend(pair.split())
            i += 2
        else:
            tokens.append(mapped[i])
            i += 1
    return tokens


def _map_slang(word: str) -> str:
    """Map a word through the slang table, also when it carries a clitic ("hpnya", "ktpku")."""
    mapped = SLANG.get(word)
    if mapped is not None:
        return mapped
    single = _DOUBLES.sub(r"\1", word)
    if single != word and single in SLANG:
        return SLANG[single]  # "ilaang", "udahh", "gakk"
    for clitic in ("nya", "ku"):
        if word.endswith(clitic) and len(word) > len(clitic) + 1:
            base = SLANG.get(word[: -len(clitic)])
            if base is not None and " " not in base:
                return base
    return word


def normalize_text(text: str) -> str:
    """Return the normalised message as one space-separated string."""
    return " ".join(normalize(text))


def content_words(tokens: list[str]) -> list[str]:
    """Drop stopwords from normalised tokens."""
    return [t for t in tokens if t not in STOPWORDS]


def content_terms(text: str) -> list[str]:
    """Return the stemmed content terms of a message."""
    return [stem(t) for t in content_words(normalize(text))]


def is_known_word(word: str) -> bool:
    """Tell whether a normalised word is standard Indonesian (a root, or stems to one)."""
    if word in STOPWORDS or word in _STANDARD_FORMS:
        return True
    roots = _stemmer()[1]
    return word in roots or _stem(word) in roots


@lru_cache(maxsize=1)
def _stemmer() -> tuple[Stemmer, frozenset[str]]:
    """Build the Sastrawi stemmer (uncached inside) and its root dictionary once."""
    words = StemmerFactory().get_words()
    return Stemmer(ArrayDictionary(words)), frozenset(words) | DOMAIN_ROOTS


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem one normalised word, handling colloquial Jakarta affixes Sastrawi misses."""
    root = _stem(word)
    return SYNONYMS.get(root, root)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """Stem one word to its root (before synonyms)."""
    if word in DOMAIN_ROOTS or len(word) <= 3 or not word.isalpha():
        return word
    stemmer, roots = _stemmer()
    base = stemmer.stem_word(word)
    if base in roots:
        return base
    for candidate in _colloquial_variants(word):
        if candidate in roots:
            return candidate
        result = stemmer.stem_word(candidate)
        if result in roots:
            return result
    for clitic in ("nya", "ku", "mu"):
        # An unknown (often borrowed) word still takes the clitic: "fiturnya", "verifnya".
        if base == word and word.endswith(clitic) and len(word) - len(clitic) >= 4:
            return word[: -len(clitic)]
    return base


def _colloquial_variants(word: str) -> list[str]:
    """Propose standard spellings for colloquial affixes (-in, nge-, ny-, -ku/-nya on loans)."""
    out: list[str] = []
    for clitic in ("nya", "ku", "mu"):
        if word.endswith(clitic) and len(word) - len(clitic) >= 3:
            out.append(word[: -len(clitic)])
    if word.endswith("in") and len(word) > 5:
        out.extend([word[:-2], word[:-2] + "kan", word[:-2] + "i"])
        if word.startswith("di"):
            out.append(word[2:-2])
    if word.startswith("nge") and len(word) > 5:
        out.append(word[3:])
    if word.startswith("ng") and len(word) > 4 and word[2] in "aiueo":
        out.extend(["meng" + word[2:], "k" + word[2:]])
    if word.startswith("ny") and len(word) > 4:
        out.extend(["meny" + word[2:], "s" + word[2:], "c" + word[2:]])
    if word[0] in "mn" and not word.startswith(("me", "di")) and len(word) > 4:
        out.append("me" + word)
    if word.startswith("me") and len(word) > 4 and word[2] not in "mnaiueo":
        out.append("me" + word)
    return out
