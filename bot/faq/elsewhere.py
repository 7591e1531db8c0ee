"""Names of other services and apps: a message about them is not a question for this FAQ.

"kode OTP DANA ga masuk", "cara daftar bpjs", "lupa password gmail" share most of their words
with real entries (OTP, daftar, password) and differ only by the name of the service they are
about. The matcher lowers its score for a message that names one of these and not Tangerang
LIVE. A name the FAQ's own texts use (an entry about BPJS added by the city, say) is not
foreign to that FAQ: ``foreign_names`` leaves it out. Written from general knowledge of
Indonesian public services and popular apps, in their normalised (lowercase) spellings.
"""

from __future__ import annotations

from collections.abc import Iterable

# Phone carriers are left out on purpose: "kode OTP dari Telkomsel ga masuk" is about this app.
OTHER_SERVICES: frozenset[str] = frozenset(
    {
        # national and city public services, documents and programmes
        "bpjs",
        "bpjstk",
        "jkn",
        "kis",
        "kip",
        "kks",
        "pkh",
        "bansos",
        "blt",
        "dtks",
        "bpnt",
        "akta",
        "akte",
        "skck",
        "paspor",
        "passport",
        "imigrasi",
        "stnk",
        "bpkb",
        "samsat",
        "sim",
        "tilang",
        "etle",
        "pajak",
        "pbb",
        "pbg",
        "imb",
        "nib",
        "oss",
        "npwp",
        "siup",
        "cpns",
        "pppk",
        "sscasn",
        "bkn",
        "ppdb",
        "spmb",
        "kjp",
        "kua",
        "nikah",
        "prakerja",
        "puskesmas",
        "posyandu",
        "rsud",
        "vaksin",
        "imunisasi",
        "pln",
        "pdam",
        "listrik",
        "lowongan",
        "loker",
        "ojk",
        "pemilu",
        "kpu",
        "dpt",
        "zakat",
        "umroh",
        "haji",
        "ikd",
        "satusehat",
        "pedulilindungi",
        "sapawarga",
        "jaki",
        "jmo",
        "mpaspor",
        # marketplaces, ride-hailing, wallets, banks, lenders and social media
        "shopee",
        "tokopedia",
        "tokped",
        "lazada",
        "bukalapak",
        "blibli",
        "tiktok",
        "gojek",
        "grab",
        "maxim",
        "dana",
        "ovo",
        "gopay",
        "linkaja",
        "shopeepay",
        "paylater",
        "kredivo",
        "akulaku",
        "pinjol",
        "bri",
        "brimo",
        "bca",
        "mandiri",
        "livin",
        "bni",
        "bsi",
        "btn",
        "jenius",
        "seabank",
        "instagram",
        "facebook",
        "fb",
        "ig",
        "twitter",
        "gmail",
        "yahoo",
        "youtube",
        "netflix",
        "spotify",
        "mobile legend",
        "ml",
        "pubg",
        "freefire",
    }
)
# The app this FAQ is about: naming it keeps a message in scope whatever else it names.
OWN_NAMES: frozenset[str] = frozenset({"tlive", "tangerang live", "tangeranglive"})


def foreign_names(faq_words: Iterable[str]) -> frozenset[str]:
    """Return the other services' names that the FAQ's own words never use."""
    return OTHER_SERVICES - set(faq_words)


def names_elsewhere(tokens: list[str], foreign: frozenset[str]) -> bool:
    """Tell whether normalised tokens name another service and not this one."""
    text = " ".join(tokens)
    if any(name in text for name in OWN_NAMES if " " in name) or OWN_NAMES & set(tokens):
        return False
    if foreign & set(tokens):
        return True
    return any(f" {name} " in f" {text} " for name in foreign if " " in name)
