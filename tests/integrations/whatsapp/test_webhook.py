"""The webhook endpoint: handshake, signatures, batches, statuses and failure answers."""

from __future__ import annotations

import json
import logging

import pytest

from bot.engine.messages import InboundKind
from integrations.whatsapp.webhook import check_signature, signature_for
from tests.integrations.whatsapp.conftest import (
    APP_SECRET,
    CITIZEN,
    VERIFY_TOKEN,
    Service,
    jpeg_bytes,
)
from tests.standins.graph_api import GraphApiStandIn, WebhookBuilder, post_webhook, sign

OTHER = "6285711112222"
THIRD = "6289933334444"


async def _post(service: Service, payload: dict | bytes, **kwargs: object) -> tuple[int, str]:
    return await post_webhook(
        service.session, service.url, payload, app_secret=APP_SECRET, **kwargs
    )


# --------------------------------------------------------------------------- handshake


async def test_handshake_echoes_challenge_for_right_token(service: Service) -> None:
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    async with service.session.get(service.url, params=params) as response:
        assert response.status == 200
        assert response.content_type == "text/plain"
        assert await response.text() == "1158201444"


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "42"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "42"},
        {"hub.challenge": "42"},
    ],
)
async def test_handshake_refuses_wrong_token_or_mode(
    service: Service, params: dict[str, str]
) -> None:
    async with service.session.get(service.url, params=params) as response:
        assert response.status == 403
        assert "42" not in await response.text()


# --------------------------------------------------------------------------- signatures


async def test_signed_text_is_handled(service: Service, webhooks: WebhookBuilder) -> None:
    message = webhooks.text(CITIZEN, "Halo, saya mau daftar")
    status, _ = await _post(service, webhooks.messages(message))
    assert status == 200
    [inbound] = service.core.inbounds
    assert inbound.channel == "whatsapp"
    assert inbound.kind is InboundKind.TEXT
    assert inbound.text == "Halo, saya mau daftar"
    assert inbound.chat_id == CITIZEN
    assert inbound.message_id == message["id"]
    assert inbound.channel_phone == "+" + CITIZEN
    assert inbound.display_name == "Budi Santoso"


async def test_missing_signature_is_401_and_nothing_processed(
    service: Service, webhooks: WebhookBuilder
) -> None:
    status, _ = await _post(service, webhooks.messages(webhooks.text(CITIZEN, "x")), signature=None)
    assert status == 401
    assert service.core.inbounds == []


@pytest.mark.parametrize(
    "signature",
    ["sha256=" + "0" * 64, "sha256=", "md5=abc", "garbage", sign(b"{}", APP_SECRET)],
)
async def test_wrong_signature_is_403_and_nothing_processed(
    service: Service, webhooks: WebhookBuilder, signature: str
) -> None:
    payload = webhooks.messages(webhooks.text(CITIZEN, "x"))
    status, _ = await _post(service, payload, signature=signature)
    assert status == 403
    assert service.core.inbounds == []


async def test_signature_with_another_secret_is_refused(
    service: Service, webhooks: WebhookBuilder
) -> None:
    body = json.dumps(webhooks.messages(webhooks.text(CITIZEN, "x"))).encode()
    status, _ = await _post(service, body, signature=sign(body, "not-the-app-secret"))
    assert status == 403
    assert service.core.inbounds == []


async def test_body_altered_after_signing_is_refused(
    service: Service, webhooks: WebhookBuilder
) -> None:
    body = json.dumps(webhooks.messages(webhooks.text(CITIZEN, "setuju"))).encode()
    header = sign(body, APP_SECRET)
    forged = body.replace(b"setuju", b"tolak!")
    status, _ = await _post(service, forged, signature=header)
    assert status == 403
    assert service.core.inbounds == []
    # The untouched body with the same header goes through: the signature covers raw bytes.
    status, _ = await _post(service, body, signature=header)
    assert status == 200
    assert len(service.core.inbounds) == 1


def test_signature_is_checked_on_raw_bytes_and_accepts_uppercase_hex() -> None:
    body = b'{"object": "whatsapp_business_account",  "entry": []}'
    good = signature_for(APP_SECRET, body)
    assert check_signature(APP_SECRET, body, good) is None
    assert check_signature(APP_SECRET, body, "sha256=" + good[7:].upper()) is None
    reencoded = json.dumps(json.loads(body)).encode()
    assert check_signature(APP_SECRET, reencoded, good) == 403
    assert check_signature(APP_SECRET, body, None) == 401
    assert check_signature(APP_SECRET, body, "") == 401


# --------------------------------------------------------------------------- bodies


async def test_malformed_json_gets_200_and_a_warning(
    service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    status, _ = await _post(service, b'{"object": "whatsapp_business_account", "entry": [')
    assert status == 200
    assert service.core.inbounds == []
    assert any("not JSON" in r.getMessage() for r in caplog.records)


async def test_other_objects_and_fields_are_acknowledged_and_ignored(
    service: Service, webhooks: WebhookBuilder
) -> None:
    assert (await _post(service, {"object": "page", "entry": []}))[0] == 200
    assert (await _post(service, b"[1, 2, 3]"))[0] == 200
    template_update = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": webhooks.waba_id,
                "changes": [
                    {
                        "field": "message_template_status_update",
                        "value": {
                            "event": "APPROVED",
                            "message_template_id": 1234,
                            "message_template_name": "verifikasi_disetujui",
                            "message_template_language": "id",
                            "reason": "NONE",
                        },
                    }
                ],
            }
        ],
    }
    assert (await _post(service, template_update))[0] == 200
    assert service.core.inbounds == []
    assert service.core.deliveries == []


async def test_unsupported_message_gets_200(service: Service, webhooks: WebhookBuilder) -> None:
    status, _ = await _post(service, webhooks.messages(webhooks.unsupported(CITIZEN)))
    assert status == 200
    assert [i.kind for i in service.core.inbounds] == [InboundKind.UNSUPPORTED]


async def test_reaction_is_ignored(service: Service, webhooks: WebhookBuilder) -> None:
    reaction = webhooks.reaction(CITIZEN, webhooks.wamid())
    status, _ = await _post(service, webhooks.messages(reaction))
    assert status == 200
    assert service.core.inbounds == []


async def test_notification_for_another_number_is_skipped(
    service: Service, graph: GraphApiStandIn
) -> None:
    foreign = WebhookBuilder(phone_number_id="999999999999999")
    status, _ = await _post(service, foreign.messages(foreign.text(CITIZEN, "halo")))
    assert status == 200
    assert service.core.inbounds == []


async def test_batch_with_several_entries_changes_and_messages_is_processed_completely(
    service: Service, webhooks: WebhookBuilder, graph: GraphApiStandIn
) -> None:
    media_id = graph.add_media(jpeg_bytes())
    first = [webhooks.text(CITIZEN, "1"), webhooks.text(CITIZEN, "2")]
    second = [webhooks.text(OTHER, "ya"), webhooks.image(CITIZEN, media_id)]
    third = [webhooks.button_reply(THIRD, "menu:daftar", "Daftar")]
    statuses = [webhooks.status("wamid.sent1", "delivered", OTHER)]
    payload = webhooks.notification(
        webhooks.entry(webhooks.value(messages=first), webhooks.value(statuses=statuses)),
        webhooks.entry(webhooks.value(messages=second)),
        webhooks.entry(webhooks.value(messages=third)),
    )
    status, _ = await _post(service, payload)
    assert status == 200
    inbounds = service.core.inbounds
    assert len(inbounds) == 5
    citizen = [i for i in inbounds if i.chat_id == CITIZEN]
    assert [i.kind for i in citizen] == [InboundKind.TEXT, InboundKind.TEXT, InboundKind.PHOTO]
    assert [i.text for i in citizen[:2]] == ["1", "2"]
    assert {i.chat_id for i in inbounds} == {CITIZEN, OTHER, THIRD}
    assert service.core.deliveries == [("whatsapp", "wamid.sent1", "delivered", None)]


async def test_duplicate_delivery_is_answered_200_and_deduplicated(
    service: Service, webhooks: WebhookBuilder
) -> None:
    payload = webhooks.messages(webhooks.text(CITIZEN, "halo"))
    assert (await _post(service, payload))[0] == 200
    assert (await _post(service, payload))[0] == 200
    assert len(service.core.inbounds) == 1
    assert service.core.duplicates == 1


async def test_statuses_are_recorded_with_error_codes(
    service: Service, webhooks: WebhookBuilder
) -> None:
    payload = webhooks.statuses(
        webhooks.status("wamid.A", "sent", CITIZEN),
        webhooks.status("wamid.A", "delivered", CITIZEN),
        webhooks.status("wamid.A", "read", CITIZEN),
        webhooks.failed_status("wamid.B", CITIZEN, 131047),
        webhooks.failed_status("wamid.C", CITIZEN, 131026),
    )
    status, _ = await _post(service, payload)
    assert status == 200
    assert service.core.deliveries == [
        ("whatsapp", "wamid.A", "sent", None),
        ("whatsapp", "wamid.A", "delivered", None),
        ("whatsapp", "wamid.A", "read", None),
        ("whatsapp", "wamid.B", "failed", "131047 Re-engagement message"),
        ("whatsapp", "wamid.C", "failed", "131026 Message Undeliverable"),
    ]


async def test_store_failure_answers_500_and_retry_completes(
    service: Service, webhooks: WebhookBuilder
) -> None:
    first, broken, later = (
        webhooks.text(CITIZEN, "a"),
        webhooks.text(CITIZEN, "b"),
        webhooks.text(CITIZEN, "c"),
    )
    other = webhooks.text(OTHER, "d")
    payload = webhooks.messages(first, broken, later, other)
    service.core.fail_ids.add(broken["id"])
    status, _ = await _post(service, payload)
    assert status == 500
    # The failing chat stops at the failure (order is kept); other chats are processed.
    assert [i.text for i in service.core.inbounds] == ["a", "d"] or [
        i.text for i in service.core.inbounds
    ] == ["d", "a"]
    service.core.fail_ids.clear()
    status, _ = await _post(service, payload)
    assert status == 200
    assert sorted(i.text for i in service.core.inbounds) == ["a", "b", "c", "d"]
    assert service.core.duplicates == 2


async def test_media_fetch_failure_answers_500(
    service: Service, webhooks: WebhookBuilder, graph: GraphApiStandIn
) -> None:
    media_id = graph.add_media(jpeg_bytes())
    payload = webhooks.messages(webhooks.image(CITIZEN, media_id))
    graph.fail_next(500, 131000, endpoint="media")
    assert (await _post(service, payload))[0] == 500
    assert service.core.inbounds == []
    assert (await _post(service, payload))[0] == 200
    assert service.core.inbounds[0].photo == jpeg_bytes()


async def test_logs_carry_no_phone_numbers_or_text(
    service: Service,
    webhooks: WebhookBuilder,
    graph: GraphApiStandIn,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    secret_text = "NIK saya 3671012345670001"
    failing = webhooks.text(CITIZEN, secret_text)
    service.core.fail_ids.add(failing["id"])
    assert (await _post(service, webhooks.messages(failing)))[0] == 500
    payload = webhooks.notification(
        webhooks.entry(
            webhooks.value(
                messages=[
                    webhooks.text(CITIZEN, secret_text),
                    webhooks.document(CITIZEN, graph.add_media(b"%PDF", "application/pdf")),
                    webhooks.reaction(CITIZEN, webhooks.wamid()),
                    webhooks.unsupported(CITIZEN),
                    webhooks.contacts(CITIZEN),
                ],
                statuses=[webhooks.failed_status("wamid.X", CITIZEN, 131047)],
            )
        )
    )
    await _post(service, payload)
    await _post(service, b"not json")
    await _post(service, payload, signature="sha256=00")
    logged = caplog.text  # formatted records, tracebacks included
    assert "could not store" in logged
    assert CITIZEN not in logged
    assert "3671012345670001" not in logged
    assert "81234567890" not in logged


async def test_username_user_without_phone_is_handled(
    service: Service, webhooks: WebhookBuilder
) -> None:
    bsuid = "ID.1502576394655843"
    webhooks.names[bsuid] = "Siti"
    message = webhooks.hide_phone(webhooks.text(CITIZEN, "halo"), bsuid)
    payload = webhooks.messages(message)
    assert "wa_id" not in payload["entry"][0]["changes"][0]["value"]["contacts"][0]
    assert (await _post(service, payload))[0] == 200
    [inbound] = service.core.inbounds
    assert (inbound.chat_id, inbound.channel_phone, inbound.display_name) == (bsuid, None, "Siti")
