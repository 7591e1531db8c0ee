"""The 13 kecamatan and 104 kelurahan of Kota Tangerang."""

from __future__ import annotations

KECAMATAN: dict[str, tuple[str, ...]] = {
    "Batuceper": (
        "Batuceper", "Batujaya", "Batusari", "Kebon Besar", "Poris Gaga", "Poris Gaga Baru",
        "Poris Jaya",
    ),
    "Benda": ("Belendung", "Benda", "Jurumudi", "Jurumudi Baru", "Pajang"),
    "Cibodas": (
        "Cibodas", "Cibodas Baru", "Cibodasari", "Jatiuwung", "Panunggangan Barat", "Uwung Jaya",
    ),
    "Ciledug": (
        "Paninggilan", "Paninggilan Utara", "Parung Serab", "Sudimara Barat", "Sudimara Jaya",
        "Sudimara Selatan", "Sudimara Timur", "Tajur",
    ),
    "Cipondoh": (
        "Cipondoh", "Cipondoh Indah", "Cipondoh Makmur", "Gondrong", "Kenanga", "Ketapang",
        "Petir", "Poris Plawad", "Poris Plawad Indah", "Poris Plawad Utara",
    ),
    "Jatiuwung": ("Alam Jaya", "Gandasari", "Jatake", "Keroncong", "Manis Jaya", "Pasir Jaya"),
    "Karang Tengah": (
        "Karang Mulya", "Karang Tengah", "Karang Timur", "Parung Jaya", "Pedurenan",
        "Pondok Bahar", "Pondok Pucung",
    ),
    "Karawaci": (
        "Bojong Jaya", "Bugel", "Cimone", "Cimone Jaya", "Gerendeng", "Karawaci", "Karawaci Baru",
        "Koang Jaya", "Margasari", "Nambo Jaya", "Nusa Jaya", "Pabuaran", "Pabuaran Tumpeng",
        "Pasar Baru", "Sukajadi", "Sumur Pacing",
    ),
    "Larangan": (
        "Cipadu", "Cipadu Jaya", "Gaga", "Kereo", "Kereo Selatan", "Larangan Indah",
        "Larangan Selatan", "Larangan Utara",
    ),
    "Neglasari": (
        "Karang Anyar", "Karang Sari", "Kedaung Baru", "Kedaung Wetan", "Mekarsari", "Neglasari",
        "Selapajang Jaya",
    ),
    "Periuk": ("Gebang Raya", "Gembor", "Periuk", "Periuk Jaya", "Sangiang Jaya"),
    "Pinang": (
        "Cipete", "Kunciran", "Kunciran Indah", "Kunciran Jaya", "Nerogtog", "Pakojan",
        "Panunggangan", "Panunggangan Timur", "Panunggangan Utara", "Pinang", "Sudimara Pinang",
    ),
    "Tangerang": (
        "Babakan", "Buaran Indah", "Cikokol", "Kelapa Indah", "Sukaasih", "Sukarasa", "Sukasari",
        "Tanah Tinggi",
    ),
}  # fmt: skip


def kelurahan_of(kecamatan: str) -> tuple[str, ...]:
    """Return the kelurahan of a kecamatan (empty for an unknown name)."""
    return KECAMATAN.get(kecamatan, ())


def slug(name: str) -> str:
    """Turn a place name into a stable button id fragment."""
    return name.lower().replace(" ", "-")


def find_by_slug(names: tuple[str, ...] | list[str], value: str) -> str | None:
    """Find the place whose slug or name matches ``value`` (case and spaces ignored)."""
    wanted = slug(" ".join(value.split()))
    return next((name for name in names if slug(name) == wanted), None)
