"""Neutral replies → Graph API payloads, degrading buttons to lists and numbered menus."""

from __future__ import annotations

from typing import Any

import pytest

from bot.engine.messages import Button, Reply, Template
from bot.i18n import Catalog
from integrations.whatsapp.render import (
    choice_style,
    render_reply,
    split_text,
    template_payload,
    truncate,
)
from tests.integrations.whatsapp.conftest import CITIZEN, PUBLIC_URL
from tests.standins.graph_api import validate_message

KECAMATAN = [
    "Batuceper",
    "Benda",
    "Cibodas",
    "Ciledug",
    "Cipondoh",
    "Jatiuwung",
    "Karang Tengah",
    "Karawaci",
    "Larangan",
    "Neglasari",
    "Periuk",
    "Pinang",
    "Tangerang",
]


def _buttons(labels: list[str]) -> tuple[Button, ...]:
    return tuple(Button(f"opt:{n}", label) for n, label in enumerate(labels))


def _render(reply: Reply, catalog: Catalog, public_url: str | None = PUBLIC_URL) -> list[Any]:
    payloads = render_reply(reply, CITIZEN, catalog=catalog, public_url=public_url)
    for payload in payloads:
        validate_message(payload)  # every payload must pass the stand-in's strict checks
    return payloads


def test_plain_text(catalog: Catalog) -> None:
    [payload] = _render(Reply("Selamat datang di Asisten Tangerang LIVE"), catalog)
    assert payload == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": CITIZEN,
        "type": "text",
        "text": {"preview_url": False, "body": "Selamat datang di Asisten Tangerang LIVE"},
    }


def test_long_text_is_split_at_paragraphs(catalog: Catalog) -> None:
    paragraphs = [f"Paragraf {n}. " + "kata " * 150 for n in range(8)]
    text = "\n\n".join(paragraphs)
    assert len(text) > 4096
    payloads = _render(Reply(text), catalog)
    assert len(payloads) == 2
    bodies = [p["text"]["body"] for p in payloads]
    assert all(len(b) <= 4096 for b in bodies)
    assert bodies[1].startswith("Paragraf ")
    assert " ".join(" ".join(bodies).split()) == " ".join(text.split())


def test_split_without_breaks_cuts_hard() -> None:
    chunks = split_text("x" * 9000, 4096)
    assert [len(c) for c in chunks] == [4096, 4096, 808]


def test_three_choices_become_reply_buttons(catalog: Catalog) -> None:
    buttons = (
        Button("consent:yes", "Ya, saya setuju"),
        Button("consent:no", "Tidak setuju"),
        Button("consent:info", "Baca kebijakan privasi lengkap"),
    )
    [payload] = _render(Reply("Apakah Anda setuju?", buttons), catalog)
    interactive = payload["interactive"]
    assert payload["type"] == "interactive"
    assert interactive["type"] == "button"
    assert interactive["body"] == {"text": "Apakah Anda setuju?"}
    replies = [b["reply"] for b in interactive["action"]["buttons"]]
    assert [r["id"] for r in replies] == ["consent:yes", "consent:no", "consent:info"]
    assert replies[0]["title"] == "Ya, saya setuju"
    assert replies[2]["title"] == "Baca kebijakan…"
    assert all(len(r["title"]) <= 20 for r in replies)


@pytest.mark.parametrize("count", [4, 10])
def test_four_to_ten_choices_become_a_list(catalog: Catalog, count: int) -> None:
    labels = KECAMATAN[:count]
    [payload] = _render(Reply("Pilih kecamatan Anda", _buttons(labels)), catalog)
    interactive = payload["interactive"]
    assert interactive["type"] == "list"
    assert interactive["action"]["button"] == "Pilih"
    [section] = interactive["action"]["sections"]
    assert [r["title"] for r in section["rows"]] == labels
    assert [r["id"] for r in section["rows"]] == [f"opt:{n}" for n in range(count)]


def test_long_list_labels_keep_full_text_in_description(catalog: Catalog) -> None:
    labels = [
        "Kelurahan Karang Tengah Kecamatan Karang Tengah",
        "Pondok Bahar",
        "Pedurenan",
        "Karang Mulya",
    ]
    [payload] = _render(Reply("Pilih kelurahan", _buttons(labels)), catalog)
    row = payload["interactive"]["action"]["sections"][0]["rows"][0]
    assert len(row["title"]) <= 24
    assert row["title"].endswith("…")
    assert row["description"] == labels[0]
    assert "description" not in payload["interactive"]["action"]["sections"][0]["rows"][1]


def test_eleven_choices_become_a_numbered_menu(catalog: Catalog) -> None:
    [payload] = _render(Reply("Pilih kecamatan Anda:", _buttons(KECAMATAN)), catalog)
    assert payload["type"] == "text"
    body = payload["text"]["body"]
    assert body.startswith("Pilih kecamatan Anda:")
    assert catalog.text("whatsapp-menu-intro") in body
    assert "1. Batuceper" in body
    assert "13. Tangerang" in body
    assert body.index("1. Batuceper") < body.index("2. Benda") < body.index("13. Tangerang")


def test_colliding_button_titles_become_a_list(catalog: Catalog) -> None:
    labels = ["Kirim ulang foto KTP asli", "Kirim ulang foto KTP dengan resi"]
    assert choice_style(_buttons(labels)) == "list"
    [payload] = _render(Reply("Foto mana?", _buttons(labels)), catalog)
    assert payload["interactive"]["type"] == "list"


def test_long_ids_fall_back_to_numbered_text(catalog: Catalog) -> None:
    buttons = (Button("x" * 300, "Ya"), Button("y", "Tidak"))
    [payload] = _render(Reply("Lanjut?", buttons), catalog)
    assert payload["type"] == "text"
    assert "1. Ya" in payload["text"]["body"]


def test_long_body_with_buttons_sends_text_then_interactive(catalog: Catalog) -> None:
    explanation = "Data Anda dilindungi UU PDP. " * 50
    question = "Apakah Anda setuju data Anda diproses?"
    reply = Reply(f"{explanation}\n\n{question}", (Button("y", "Setuju"), Button("n", "Tidak")))
    text, interactive = _render(reply, catalog)
    assert text["type"] == "text"
    assert text["text"]["body"] == explanation.strip()
    assert interactive["interactive"]["body"]["text"] == question


def test_long_body_without_breaks_uses_the_short_prompt(catalog: Catalog) -> None:
    reply = Reply("a " * 700, (Button("y", "Ya"), Button("n", "Tidak")))
    text, interactive = _render(reply, catalog)
    assert text["type"] == "text"
    assert interactive["interactive"]["body"]["text"] == catalog.text("whatsapp-choose-prompt")


def test_empty_text_with_buttons_uses_the_prompt(catalog: Catalog) -> None:
    [payload] = _render(Reply("", (Button("y", "Ya"),)), catalog)
    assert payload["interactive"]["body"]["text"] == catalog.text("whatsapp-choose-prompt")


def test_image_with_short_text_is_one_captioned_image(catalog: Catalog) -> None:
    reply = Reply("Contoh foto KTP yang jelas", image_url="/static/contoh-ktp.jpg")
    [payload] = _render(reply, catalog)
    assert payload["type"] == "image"
    assert payload["image"] == {
        "link": f"{PUBLIC_URL}/static/contoh-ktp.jpg",
        "caption": "Contoh foto KTP yang jelas",
    }


def test_image_with_buttons_is_sent_before_them(catalog: Catalog) -> None:
    reply = Reply("Sudah siap?", (Button("y", "Siap"),), image_url="/static/contoh-ktp.jpg")
    image, interactive = _render(reply, catalog)
    assert image["image"] == {"link": f"{PUBLIC_URL}/static/contoh-ktp.jpg"}
    assert interactive["interactive"]["type"] == "button"


def test_image_is_skipped_without_public_url(catalog: Catalog) -> None:
    reply = Reply("Contoh foto KTP", image_url="/static/contoh-ktp.jpg")
    [payload] = _render(reply, catalog, public_url=None)
    assert payload["type"] == "text"
    absolute = Reply("Contoh", image_url="https://cdn.example.go.id/ktp.jpg")
    [payload] = _render(absolute, catalog, public_url=None)
    assert payload["image"]["link"] == "https://cdn.example.go.id/ktp.jpg"


def test_ask_contact_renders_just_the_buttons(catalog: Catalog) -> None:
    reply = Reply("Apakah nomor ini benar?", (Button("phone:yes", "Ya, benar"),), ask_contact=True)
    [payload] = _render(reply, catalog)
    assert payload["interactive"]["type"] == "button"


def test_template_payload_cleans_parameters() -> None:
    template = Template(
        "verifikasi_ditolak", ("TL-2024-000123", "Foto KTP\nburam\t  sekali     ya")
    )
    payload = template_payload(CITIZEN, template, "id")
    validate_message(payload)
    assert payload["template"] == {
        "name": "verifikasi_ditolak",
        "language": {"code": "id"},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": "TL-2024-000123"},
                    {"type": "text", "text": "Foto KTP buram sekali ya"},
                ],
            }
        ],
    }
    bare = template_payload(CITIZEN, Template("balasan_petugas"), "id")
    assert "components" not in bare["template"]


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Kecamatan Karang Tengah", 20, "Kecamatan Karang…"),
        ("Daftar", 20, "Daftar"),
        ("Supercalifragilisticexpialidocious", 20, "Supercalifragilisti…"),
        ("Ya,\nlanjutkan   pendaftaran", 24, "Ya, lanjutkan…"),
    ],
)
def test_truncate(text: str, limit: int, expected: str) -> None:
    assert truncate(text, limit) == expected
    assert len(truncate(text, limit)) <= limit
