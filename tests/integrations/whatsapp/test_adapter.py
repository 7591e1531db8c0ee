"""Webhook messages of every type → neutral inbound messages, with media from the stand-in."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from bot.config import Settings
from bot.engine.messages import InboundKind
from integrations.whatsapp.adapter import MalformedMessageError, normalise_phone, to_inbound
from integrations.whatsapp.graph import MAX_MEDIA_BYTES, GraphClient, GraphError
from tests.integrations.whatsapp.conftest import CITIZEN, jpeg_bytes
from tests.standins.graph_api import GraphApiStandIn, WebhookBuilder

NAMES = {CITIZEN: "Budi Santoso"}


async def _convert(message: dict[str, Any], client: GraphClient) -> Any:
    return await to_inbound(message, NAMES, client)


async def test_text(webhooks: WebhookBuilder, client: GraphClient) -> None:
    message = webhooks.text(CITIZEN, "3671014101900001")
    inbound = await _convert(message, client)
    assert inbound.kind is InboundKind.TEXT
    assert inbound.text == "3671014101900001"
    assert inbound.message_id == message["id"]
    assert inbound.chat_id == CITIZEN
    assert inbound.channel_phone == "+6281234567890"
    assert inbound.display_name == "Budi Santoso"


async def test_button_reply(webhooks: WebhookBuilder, client: GraphClient) -> None:
    inbound = await _convert(webhooks.button_reply(CITIZEN, "consent:yes", "Setuju"), client)
    assert inbound.kind is InboundKind.BUTTON
    assert inbound.button_id == "consent:yes"
    assert inbound.text == "Setuju"


async def test_list_reply(webhooks: WebhookBuilder, client: GraphClient) -> None:
    message = webhooks.list_reply(CITIZEN, "kec:karang_tengah", "Karang Tengah", "Kecamatan")
    inbound = await _convert(message, client)
    assert inbound.kind is InboundKind.BUTTON
    assert inbound.button_id == "kec:karang_tengah"
    assert inbound.text == "Karang Tengah"


async def test_template_quick_reply_with_and_without_payload(
    webhooks: WebhookBuilder, client: GraphClient
) -> None:
    inbound = await _convert(webhooks.template_button(CITIZEN, "Cek status", "status"), client)
    assert (inbound.kind, inbound.button_id, inbound.text) == (
        InboundKind.BUTTON,
        "status",
        "Cek status",
    )
    for payload in ("", "Menu utama"):
        bare = webhooks.template_button(CITIZEN, "Menu utama", payload)
        inbound = await _convert(bare, client)
        assert (inbound.kind, inbound.button_id, inbound.text) == (
            InboundKind.TEXT,
            None,
            "Menu utama",
        )


async def test_image_is_downloaded_with_bearer_token(
    webhooks: WebhookBuilder, client: GraphClient, graph: GraphApiStandIn
) -> None:
    data = jpeg_bytes()
    media_id = graph.add_media(data)
    inbound = await _convert(webhooks.image(CITIZEN, media_id, caption="KTP saya"), client)
    assert inbound.kind is InboundKind.PHOTO
    assert inbound.photo == data
    assert inbound.text == "KTP saya"
    assert not inbound.photo_too_large
    assert (graph.media_lookups, graph.media_downloads, graph.unauthorized) == (1, 1, 0)


@pytest.mark.parametrize("mime_type", ["image/jpeg", "image/png", "image/webp"])
async def test_image_document_is_a_photo(
    webhooks: WebhookBuilder, client: GraphClient, graph: GraphApiStandIn, mime_type: str
) -> None:
    media_id = graph.add_media(b"image-bytes", mime_type)
    message = webhooks.document(CITIZEN, media_id, mime_type=mime_type, filename="ktp.img")
    inbound = await _convert(message, client)
    assert inbound.kind is InboundKind.PHOTO
    assert inbound.photo == b"image-bytes"


async def test_pdf_document_is_unsupported_without_download(
    webhooks: WebhookBuilder, client: GraphClient, graph: GraphApiStandIn
) -> None:
    media_id = graph.add_media(b"%PDF-1.7", "application/pdf")
    inbound = await _convert(webhooks.document(CITIZEN, media_id), client)
    assert inbound.kind is InboundKind.UNSUPPORTED
    assert inbound.photo is None
    assert graph.media_lookups == 0


async def test_media_whose_real_type_is_not_an_image_is_unsupported(
    webhooks: WebhookBuilder, client: GraphClient, graph: GraphApiStandIn
) -> None:
    media_id = graph.add_media(b"GIF89a", "image/gif")
    inbound = await _convert(webhooks.image(CITIZEN, media_id, mime_type="image/jpeg"), client)
    assert inbound.kind is InboundKind.UNSUPPORTED


async def test_oversized_photo_is_flagged_without_download(
    webhooks: WebhookBuilder, client: GraphClient, graph: GraphApiStandIn
) -> None:
    media_id = graph.add_media(jpeg_bytes(), file_size=MAX_MEDIA_BYTES + 1)
    inbound = await _convert(webhooks.image(CITIZEN, media_id), client)
    assert inbound.kind is InboundKind.PHOTO
    assert inbound.photo_too_large
    assert inbound.photo is None
    assert graph.media_downloads == 0


async def test_download_is_capped_when_the_size_was_understated(
    client: GraphClient, graph: GraphApiStandIn
) -> None:
    media_id = graph.add_media(b"x" * 5000, file_size=10)
    media = await client.fetch_media(media_id, max_bytes=100)
    assert media.too_large
    assert media.data is None


async def test_media_needs_the_bearer_token(
    webhooks: WebhookBuilder, settings: Settings, graph: GraphApiStandIn
) -> None:
    media_id = graph.add_media(jpeg_bytes())
    async with aiohttp.ClientSession() as session:
        wrong = GraphClient(settings.whatsapp_api_base, "wrong-token", graph.phone_number_id)
        wrong.bind(session)
        with pytest.raises(GraphError) as caught:
            await to_inbound(webhooks.image(CITIZEN, media_id), NAMES, wrong)
        assert caught.value.code == 190
        # The download URL itself is refused without the token, too.
        right = GraphClient(settings.whatsapp_api_base, graph.token, graph.phone_number_id)
        right.bind(session)
        info = await right.media_info(media_id)
        async with session.get(info.url) as response:
            assert response.status == 401
        async with session.get(info.url, headers={"Authorization": "Bearer nope"}) as response:
            assert response.status == 401
    assert graph.media_downloads == 0


async def test_media_lookup_failure_raises(
    webhooks: WebhookBuilder, client: GraphClient, graph: GraphApiStandIn
) -> None:
    graph.fail_next(500, 131000, endpoint="media")
    with pytest.raises(GraphError):
        await _convert(webhooks.image(CITIZEN, graph.add_media(jpeg_bytes())), client)
    with pytest.raises(GraphError):
        await _convert(webhooks.image(CITIZEN, "4242424242"), client)


@pytest.mark.parametrize(
    ("build", "kind"),
    [
        (lambda w: w.audio(CITIZEN), InboundKind.VOICE),
        (lambda w: w.audio(CITIZEN, voice=False), InboundKind.VOICE),
        (lambda w: w.sticker(CITIZEN), InboundKind.STICKER),
        (lambda w: w.location(CITIZEN), InboundKind.LOCATION),
        (lambda w: w.contacts(CITIZEN), InboundKind.UNSUPPORTED),
        (lambda w: w.unsupported(CITIZEN), InboundKind.UNSUPPORTED),
    ],
)
async def test_other_types(
    webhooks: WebhookBuilder, client: GraphClient, graph: GraphApiStandIn, build: Any, kind: Any
) -> None:
    inbound = await _convert(build(webhooks), client)
    assert inbound.kind is kind
    assert inbound.photo is None
    assert inbound.contact_phone is None
    assert graph.media_lookups == 0


async def test_unknown_and_video_types_are_unsupported(
    webhooks: WebhookBuilder, client: GraphClient
) -> None:
    video = webhooks._message(CITIZEN, "video", {"id": "1", "mime_type": "video/mp4"}, None)
    assert (await _convert(video, client)).kind is InboundKind.UNSUPPORTED
    future = webhooks._message(CITIZEN, "hologram", {"x": 1}, None)
    assert (await _convert(future, client)).kind is InboundKind.UNSUPPORTED
    flow = webhooks._message(
        CITIZEN, "interactive", {"type": "nfm_reply", "nfm_reply": {"response_json": "{}"}}, None
    )
    assert (await _convert(flow, client)).kind is InboundKind.UNSUPPORTED


async def test_reaction_is_ignored(webhooks: WebhookBuilder, client: GraphClient) -> None:
    assert await _convert(webhooks.reaction(CITIZEN, webhooks.wamid()), client) is None


async def test_message_without_id_is_malformed(client: GraphClient) -> None:
    with pytest.raises(MalformedMessageError):
        await to_inbound({"from": CITIZEN, "type": "text", "text": {"body": "x"}}, {}, client)


def test_normalise_phone() -> None:
    assert normalise_phone("6281234567890") == "+6281234567890"
    assert normalise_phone("+62 812-3456-7890") == "+6281234567890"
    assert normalise_phone("") == ""


async def test_username_user_is_identified_by_bsuid(
    webhooks: WebhookBuilder, client: GraphClient
) -> None:
    bsuid = "ID.1502576394655843"
    message = webhooks.hide_phone(webhooks.text(CITIZEN, "halo"), bsuid)
    inbound = await to_inbound(message, {bsuid: "Siti"}, client)
    assert inbound.chat_id == bsuid
    assert inbound.channel_phone is None
    assert inbound.display_name == "Siti"
