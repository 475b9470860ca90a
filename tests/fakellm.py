"""A fake OpenAI-compatible chat server on 127.0.0.1 that records requests and answers with scripted text.

    with FakeLLM() as llm:
        llm.script = [Reply("Op 23 mei 2018 [1]."), Reply(status=500)]
        settings = settings.replace(llm_base_url=llm.base_url, llm_model="fake")

``POST /v1/chat/completions`` answers with JSON, or with server-sent events when the body asks for
``stream: true``. Each request body is kept in ``llm.requests``. A reply is taken from ``script`` in
order (the last one repeats), or chosen by ``route(body)`` when that is set.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["FakeLLM", "Reply"]


@dataclass
class Reply:
    text: str = ""
    status: int = 200
    delay: float = 0.0  # seconds before the first byte: longer than llm_timeout makes a timeout
    malformed: bool = False  # a 200 whose body is not a chat completion
    pieces: int = 4  # how many SSE chunks a streamed text is cut into
    pause: float = 0.0  # seconds between two SSE chunks (a model writing slowly)


class FakeLLM:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.script: list[Reply] = [Reply("")]
        self.route: Callable[[dict[str, Any]], Reply] | None = None
        self.released = threading.Event()  # set at exit so that delayed handlers end at once
        self.abandoned = threading.Event()  # set when a client went away in the middle of a streamed answer
        self._lock = threading.Lock()
        self._served = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeLLM:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()

    def next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            if self.route is not None:
                return self.route(body)
            reply = self.script[min(self._served, len(self.script) - 1)]
            self._served += 1
            return reply

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, {"error": {"message": "not found"}})
                    return
                reply = fake.next_reply(body)
                if reply.delay:
                    fake.released.wait(reply.delay)
                if reply.status != 200:
                    self._send(reply.status, {"error": {"message": "scripted failure", "type": "server_error"}})
                elif reply.malformed:
                    self._send_raw(200, b"{not json", "application/json")
                elif body.get("stream"):
                    self._stream(body, reply)
                else:
                    self._send(200, _completion(body, reply.text))

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                self._send_raw(status, json.dumps(payload).encode(), "application/json")

            def _send_raw(self, status: int, data: bytes, kind: str) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (a timeout test): nothing to answer

            def _stream(self, body: dict[str, Any], reply: Reply) -> None:
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    for piece in _split(reply.text, reply.pieces):
                        self.wfile.write(_event(_chunk(body, {"content": piece}, None)))
                        self.wfile.flush()
                        if reply.pause:
                            fake.released.wait(reply.pause)
                    self.wfile.write(_event(_chunk(body, {}, "stop")))
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except OSError:
                    fake.abandoned.set()
                self.close_connection = True

        return Handler


def _split(text: str, pieces: int) -> list[str]:
    size = max(1, -(-len(text) // max(1, pieces)))
    return [text[i : i + size] for i in range(0, len(text), size)]


def _completion(body: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(body: dict[str, Any], delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", "fake"),
        "choices": [{"index": 0, "delta": {"role": "assistant", **delta}, "finish_reason": finish}],
    }


def _event(payload: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(payload)}\n\n".encode()
