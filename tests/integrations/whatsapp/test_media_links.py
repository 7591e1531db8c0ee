"""WhatsApp media: only numeric ids are looked up, and the bearer token goes only to https links on
Meta's media hosts (or the hosts a test allows for its stand-in) (issue 15, finding 6)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.engine.messages import InboundKind
from integrations.whatsapp.adapter import to_inbound
from integrations.whatsapp.graph import GraphClient, MediaHosts, MediaLinkRefusedError
from tests.integrations.whatsapp.conftest import CITIZEN, jpeg_bytes
from tests.standins.graph_api import DEFAULT_PHONE_NUMBER_ID, GraphApiStandIn, WebhookBuilder

TOKEN = "EAAG-secret-token"


class Graph:
    """A Graph API that answers media lookups with any link, and records who sent the token."""

    def __init__(self) -> None:
        self.link = ""
        self.lookups: list[str] = []
        self.tokens_seen: list[str] = []
        self.server: TestServer | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/v21.0/{media_id}", self._info)
        app.router.add_get("/elsewhere", self._elsewhere)
        return app

    async def _info(self, request: web.Request) -> web.Response:
        self.lookups.append(request.match_info["media_id"])
        return web.json_response({"url": self.link, "mime_type": "image/jpeg", "file_size": 10})

    async def _elsewhere(self, request: web.Request) -> web.Response:
        self.tokens_seen.append(request.headers.get("Authorization", ""))
        return web.Response(body=jpeg_bytes(), content_type="image/jpeg")

    def url(self, path: str) -> str:
        assert self.server is not None
        return str(self.server.make_url(path))


@pytest.fixture
async def meta() -> AsyncIterator[Graph]:
    graph = Graph()
    async with TestServer(graph.app(), host="127.0.0.1") as server:
        graph.server = server
        yield graph


def _client(graph: Graph, session: aiohttp.ClientSession, hosts: MediaHosts) -> GraphClient:
    client = GraphClient(graph.url("/v21.0"), TOKEN, DEFAULT_PHONE_NUMBER_ID, media_hosts=hosts)
    client.bind(session)
    return client


async def test_a_link_off_metas_hosts_never_gets_the_token(meta: Graph) -> None:
    meta.link = meta.url("/elsewhere")  # a Graph answer pointing somewhere else
    async with aiohttp.ClientSession() as session:
        client = _client(meta, session, MediaHosts())
        with pytest.raises(MediaLinkRefusedError):
            await client.fetch_media("1013859600285442")
    assert meta.tokens_seen == []


async def test_plain_http_never_gets_the_token_even_on_an_allowed_host(meta: Graph) -> None:
    meta.link = meta.url("/elsewhere")
    async with aiohttp.ClientSession() as session:
        client = _client(meta, session, MediaHosts(hosts=("127.0.0.1",)))
        with pytest.raises(MediaLinkRefusedError):
            await client.fetch_media("1013859600285442")
    assert meta.tokens_seen == []


async def test_a_stand_in_allowed_by_the_test_gets_the_token(meta: Graph) -> None:
    meta.link = meta.url("/elsewhere")
    async with aiohttp.ClientSession() as session:
        client = _client(meta, session, MediaHosts(hosts=("127.0.0.1",), allow_http=True))
        media = await client.fetch_media("1013859600285442")
    assert media.data == jpeg_bytes()
    assert meta.tokens_seen == [f"Bearer {TOKEN}"]


@pytest.mark.parametrize("media_id", ["../me/accounts", "1013859600285442/owner", "12ab", "",
                                      "١٢٣", "1" * 40])  # fmt: skip
async def test_only_numeric_media_ids_are_looked_up(meta: Graph, media_id: str) -> None:
    async with aiohttp.ClientSession() as session:
        client = _client(meta, session, MediaHosts())
        with pytest.raises(MediaLinkRefusedError):
            await client.fetch_media(media_id)
    assert meta.lookups == []


async def test_a_photo_with_a_bad_media_id_is_unsupported_without_a_lookup(
    webhooks: WebhookBuilder, client: GraphClient, graph: GraphApiStandIn
) -> None:
    inbound = await to_inbound(webhooks.image(CITIZEN, "../../me"), {}, client)
    assert inbound is not None and inbound.kind is InboundKind.UNSUPPORTED
    assert graph.media_lookups == 0


@pytest.mark.parametrize(
    ("url", "permitted"),
    [
        ("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&ext=2", True),
        ("https://scontent.xx.fbcdn.net/v/t1/abc.jpg", True),
        ("http://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1", False),
        ("https://lookaside.fbsbx.com.evil.example/x", False),
        ("https://fbcdn.net.evil.example/x", False),
        ("https://evilfbcdn.net/x", False),
        ("https://user:pass@evil.example@lookaside.fbsbx.com/x", False),
        ("https://lookaside.fbsbx.com:8443/x", False),
        ("ftp://lookaside.fbsbx.com/x", False),
        ("not a url", False),
    ],
)
def test_metas_media_hosts_are_the_default(url: str, permitted: bool) -> None:
    assert MediaHosts().permits(url) is permitted
