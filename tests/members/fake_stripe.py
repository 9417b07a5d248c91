"""A local stand-in for Stripe's API, for the tests: a small threaded HTTP server on 127.0.0.1
that Stripe's official library talks to over real HTTP (STRIPE_API_BASE points at it). It
implements what the members app uses, as Stripe documents it:

- POST /v1/checkout/sessions (form-encoded, nested keys such as line_items[0][quantity]),
- GET /v1/checkout/sessions/<id>,
- GET /pay/<id>: the "hosted page" a member is sent to; visiting it pays the session and
  answers with the redirect to the success URL, {CHECKOUT_SESSION_ID} filled in, as Stripe does,

and it builds webhook events signed the way Stripe signs them (`Stripe-Signature: t=...,v1=
HMAC-SHA256(secret, "t.payload")`), delivered to the app with `deliver`. This is a mock of the
outside world only; localstripe does not implement Checkout Sessions."""

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


def _nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding back into a structure: a[b][0][c]=1 -> {"a": {"b": [{"c": "1"}]}}."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node: Any = root
        for part, following in zip(parts, [*parts[1:], None], strict=True):
            if following is None:
                node[part] = value
                break
            child_type = list if following.isdigit() else dict
            if isinstance(node, list):
                index = int(part)
                while len(node) <= index:
                    node.append(child_type())
                node = node[index]
            else:
                node = node.setdefault(part, child_type())
    return _lists(root)


def _lists(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _lists(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_lists(v) for v in node]
    return node


class FakeStripe:
    def __init__(self, *, api_key: str, webhook_secret: str) -> None:
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        self.sessions: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, dict[str, Any]]] = []
        self.failing = False  # answer every API call with a 500, as an outage would
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeStripe":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- What a test does --------------------------------------------------------------------

    def pay(self, session_id: str) -> dict[str, Any]:
        """The member pays on the hosted page."""
        with self._lock:
            session = self.sessions[session_id]
            session.update(
                status="complete",
                payment_status="paid",
                payment_intent="pi_" + secrets.token_hex(12),
            )
            return dict(session)

    def expire(self, session_id: str) -> dict[str, Any]:
        with self._lock:
            self.sessions[session_id].update(status="expired", url=None)
            return dict(self.sessions[session_id])

    def signed_event(
        self, event_type: str, session_id: str, *, secret: str | None = None
    ) -> tuple[bytes, str]:
        """(payload, Stripe-Signature header) of an event about the session, signed as Stripe
        signs (with another `secret` to forge one)."""
        event = {
            "id": "evt_" + secrets.token_hex(12),
            "object": "event",
            "api_version": "2025-01-27.acacia",
            "created": int(time.time()),
            "livemode": False,
            "type": event_type,
            "data": {"object": dict(self.sessions[session_id])},
        }
        payload = json.dumps(event).encode()
        return payload, self.sign(payload, secret=secret)

    def sign(self, payload: bytes, *, secret: str | None = None, at: int | None = None) -> str:
        timestamp = int(time.time()) if at is None else at
        signed = f"{timestamp}.".encode() + payload
        digest = hmac.new(
            (secret or self.webhook_secret).encode(), signed, hashlib.sha256
        ).hexdigest()
        return f"t={timestamp},v1={digest}"

    def deliver(self, client: Any, event_type: str, session_id: str, **kwargs: Any) -> Any:
        """Send a signed event to the app's webhook, as Stripe would."""
        payload, signature = self.signed_event(event_type, session_id, **kwargs)
        return client.post(
            "/payments/stripe/webhook/",
            data=payload,
            content_type="application/json",
            headers={"Stripe-Signature": signature},
        )

    # --- The server --------------------------------------------------------------------------

    def _create_session(self, params: dict[str, Any]) -> dict[str, Any]:
        item = params["line_items"][0]
        quantity = int(item.get("quantity", 1))
        amount = int(item["price_data"]["unit_amount"]) * quantity
        session_id = "cs_test_" + secrets.token_hex(16)
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params.get("mode"),
            "amount_total": amount,
            "currency": item["price_data"]["currency"],
            "status": "open",
            "payment_status": "unpaid",
            "payment_intent": None,
            "client_reference_id": params.get("client_reference_id"),
            "customer_email": params.get("customer_email"),
            "metadata": params.get("metadata", {}),
            "success_url": params["success_url"],
            "cancel_url": params["cancel_url"],
            "url": f"{self.url}/pay/{session_id}",
            "livemode": False,
        }
        with self._lock:
            self.sessions[session_id] = session
        return dict(session)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", "req_" + secrets.token_hex(6))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, message: str, kind: str = "invalid_request_error"):
                self._json(status, {"error": {"type": kind, "message": message}})

            def _authorised(self) -> bool:
                if self.headers.get("Authorization") != f"Bearer {fake.api_key}":
                    self._error(401, "Invalid API Key provided.")
                    return False
                if fake.failing:
                    self._error(
                        500, "An error occurred with our connection to Stripe.", "api_error"
                    )
                    return False
                return True

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                params = _nest(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
                fake.requests.append(("POST", self.path, params))
                if not self._authorised():
                    return
                if urlsplit(self.path).path == "/v1/checkout/sessions":
                    self._json(200, fake._create_session(params))
                else:
                    self._error(404, f"Unrecognized request URL (POST: {self.path}).")

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                fake.requests.append(("GET", path, {}))
                hosted = re.fullmatch(r"/pay/(cs_test_\w+)", path)
                if hosted:
                    session = fake.pay(hosted.group(1))
                    self.send_response(303)
                    location = session["success_url"].replace(
                        "{CHECKOUT_SESSION_ID}", session["id"]
                    )
                    self.send_header("Location", location)
                    self.end_headers()
                    return
                if not self._authorised():
                    return
                match = re.fullmatch(r"/v1/checkout/sessions/(\w+)", path)
                if match and match.group(1) in fake.sessions:
                    self._json(200, dict(fake.sessions[match.group(1)]))
                else:
                    self._error(404, "No such checkout.session.")

        return Handler
