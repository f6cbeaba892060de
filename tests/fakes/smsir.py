"""Fake SMS.ir REST v1 API (sms-providers.md §2.6): `python -m tests.fakes.smsir --help`.

`X-API-KEY` header (name case-insensitive), JSON bodies with case-insensitive keys and a
strictly numeric `lineNumber`, the envelope `{status, message, data}` with status 1 for
success. Implemented: POST send/bulk, POST send/verify, GET send/{id}, GET receive/latest,
GET credit, GET line. A message's deliveryState goes null → 5 → 1, one step per report
pull. receive/latest returns each message once (then marks it read).

In `fail_with`, a code of 200 or more is an HTTP status (401 → status 10, 429 → 20, 5xx → 0)
and a smaller one an envelope status sent with its usual HTTP status (10-15 → 401, 20 → 429,
0 → 500, others → 400).
"""

import re
import time
import uuid
from typing import Any

from tests.fakes import FakeError, FakeProvider, RecordedRequest, Reply, parts_of


MESSAGES = {
    0: "مشکلی در سامانه رخ داده است",
    1: "موفق",
    10: "کلید وب سرویس نامعتبر است",
    11: "کلید وب سرویس غیرفعال است",
    12: "کلید وب‌سرویس محدود به آی‌پی‌های تعریف شده می‌باشد",
    13: "حساب کاربری غیر فعال است",
    14: "حساب کاربری در حالت تعلیق قرار دارد",
    16: "مقدار پارامتر نامعتبر است",
    20: "تعداد درخواست بیشتر از حد مجاز است",
    101: "شماره خط نامعتبر میباشد",
    102: "اعتبار کافی نمی‌باشد",
    103: "درخواست شما دارای متن (های) خالی است",
    104: "درخواست شما دارای موبایل (های) اشتباه است",
    105: "تعداد موبایل ها بیشتر از حد مجاز (100 عدد) میباشد",
    107: "لیست موبایل ها خالی می باشد",
    109: "زمان ارسال نامعتبر است",
    111: "ارسالی با این شناسه وجود ندارد",
    113: "قالب یافت نشد",
}
HTTP_FOR_STATUS = {0: 500, 10: 401, 11: 401, 12: 401, 13: 401, 14: 401, 15: 401, 20: 429}
STATUS_FOR_HTTP = {401: 10, 403: 12, 429: 20}
LIFECYCLE: list[int | None] = [None, 5, 1]

_MOBILE = re.compile(r"(?:0|98|\+98|0098)?(9[0-9]{9})")
MAX_MOBILES = 100
MAX_TEXT = 900


class FakeSmsir(FakeProvider):
    name = "smsir"
    first_message_id = 86_522_023
    first_inbound_id = 555
    extra_config = {
        "blacklist": [],  # numbers answered with message id 0
        "templates": {"123456": "کد تایید شما: #CODE#"},
    }

    def error_reply(self, code: int) -> Reply:
        if code == 404:
            return Reply(404, b"", "text/plain")
        if code == 405:
            return Reply(405, b"", "text/plain")
        if code >= 200:
            status = STATUS_FOR_HTTP.get(code, 0)
            return Reply.json(
                code, {"status": status, "message": MESSAGES.get(status, ""), "data": None}
            )
        http = HTTP_FOR_STATUS.get(code, 400)
        return Reply.json(
            http, {"status": code, "message": MESSAGES.get(code, "خطا"), "data": None}
        )

    def ok(self, data: Any) -> Reply:
        return Reply.json(200, {"status": 1, "message": MESSAGES[1], "data": data})

    def handle_api(self, request: RecordedRequest) -> Reply:
        path = request.url_path.lower().rstrip("/")
        routes = {
            "/v1/send/bulk": ("POST", self._bulk),
            "/v1/send/verify": ("POST", self._verify),
            "/v1/receive/latest": ("GET", self._receive_latest),
            "/v1/credit": ("GET", self._credit),
            "/v1/line": ("GET", self._line),
        }
        report = re.fullmatch(r"/v1/send/([0-9]+)", path)
        if report:
            route = ("GET", lambda r: self._report(int(report[1])))
        elif path in routes:
            route = routes[path]
        else:
            raise FakeError(404)
        if request.header("X-API-KEY") != self.api_key:
            raise FakeError(10)
        if self.config["disabled"]:
            raise FakeError(11)
        if request.method != route[0]:
            raise FakeError(405)
        return route[1](request)

    # --- sending -------------------------------------------------------------------

    def _bulk(self, request: RecordedRequest) -> Reply:
        body = _json_object(request)
        line = body.get("linenumber")
        if type(line) is not int:  # SMS.ir fails on "30001152" (a string) at send time
            raise FakeError(16)
        if str(line) != self.line:
            raise FakeError(101)
        text = body.get("messagetext")
        if not isinstance(text, str) or not text.strip():
            raise FakeError(103)
        mobiles = body.get("mobiles")
        if not isinstance(mobiles, list) or not mobiles:
            raise FakeError(107)
        if len(mobiles) > MAX_MOBILES:
            raise FakeError(105)
        send_at = body.get("senddatetime")
        if send_at is not None and (type(send_at) is not int or send_at < time.time() + 3600):
            raise FakeError(109)
        parts = parts_of(text)
        accepted = [m for m in mobiles if self._verdict(m, text) == "ok"]
        if not self.charge(parts * len(accepted)):
            raise FakeError(102)
        ids: list[int | None] = []
        for mobile in mobiles:
            verdict = self._verdict(mobile, text)
            if verdict != "ok":
                ids.append(0 if verdict == "blacklisted" else None)
                continue
            ids.append(self._record(_national(mobile), text, parts).id)
        pack_id = str(uuid.UUID(int=self._random.getrandbits(128), version=4))
        cost = float(parts * len(accepted) * self.config["price_per_part"])
        return self.ok({"packId": pack_id, "messageIds": ids, "cost": cost})

    def _verify(self, request: RecordedRequest) -> Reply:
        body = _json_object(request)
        mobile, template_id, parameters = (
            body.get("mobile"),
            body.get("templateid"),
            body.get("parameters"),
        )
        if type(template_id) is not int or not isinstance(parameters, list):
            raise FakeError(16)
        template = self.config["templates"].get(str(template_id))
        if template is None:
            raise FakeError(113)
        if not isinstance(mobile, str) or self._verdict(mobile, template) != "ok":
            raise FakeError(104)
        text = template
        for parameter in parameters:
            name, value = str(parameter.get("name", "")), str(parameter.get("value", ""))
            if not name or "#" in name:
                raise FakeError(16)
            text = text.replace(f"#{name}#", value)
        if not self.charge(parts_of(text)):
            raise FakeError(102)
        message = self._record(_national(mobile), text, parts_of(text))
        return self.ok({"messageId": message.id, "cost": message.cost})

    def _verdict(self, mobile: Any, text: str) -> str:
        if not isinstance(mobile, str) or not _MOBILE.fullmatch(mobile) or len(text) > MAX_TEXT:
            return "invalid"
        national = _national(mobile)
        if national in {_national(m) for m in self.config["invalid_receptors"]}:
            return "invalid"
        if national in {_national(m) for m in self.config["blacklist"]}:
            return "blacklisted"
        return "ok"

    def _record(self, mobile: str, text: str, parts: int) -> Any:
        return self.new_message(
            receptor=mobile,
            text=text,
            sender=self.line,
            date=int(time.time()),
            cost=float(parts * self.config["price_per_part"]),
            parts=parts,
            lifecycle=list(LIFECYCLE),
        )

    # --- reading -------------------------------------------------------------------

    def _report(self, message_id: int) -> Reply:
        message = self.message(message_id)
        if message is None:
            raise FakeError(111)
        state = message.report()
        return self.ok(
            {
                "messageId": message.id,
                "mobile": int(message.receptor),
                "messageText": message.text,
                "sendDateTime": message.date,
                "lineNumber": int(self.line),
                "cost": message.cost,
                "deliveryState": state,
                "deliveryDateTime": int(time.time()) if state == 1 else None,
            }
        )

    def _receive_latest(self, request: RecordedRequest) -> Reply:
        count = request.query.get("count", "100")
        if not (count.isascii() and count.isdigit()) or not 1 <= int(count) <= 100:
            raise FakeError(16)
        chosen = [m for m in self._inbound if not m.read][: int(count)]
        for message in chosen:
            message.read = True
        return self.ok(
            [
                {
                    "receiveReturnId": m.id,
                    "messageText": m.text,
                    "number": int(m.receptor),
                    "mobile": int(re.sub(r"[^0-9]", "", _national(m.sender)) or 0),
                    "receivedDateTime": m.date,
                }
                for m in chosen
            ]
        )

    def _credit(self, request: RecordedRequest) -> Reply:
        credit = self.config["credit"]
        return self.ok(1_000_000.0 if credit is None else float(credit))

    def _line(self, request: RecordedRequest) -> Reply:
        return self.ok([int(self.line)])


def _json_object(request: RecordedRequest) -> dict[str, Any]:
    """The JSON body with its keys lower-cased (SMS.ir matches names case-insensitively)."""
    try:
        body = request.json()
    except ValueError:
        raise FakeError(16) from None
    if not isinstance(body, dict):
        raise FakeError(16)
    return {str(key).lower(): value for key, value in body.items()}


def _national(mobile: str) -> str:
    match = _MOBILE.fullmatch(mobile)
    return "0" + match[1] if match else mobile


if __name__ == "__main__":
    FakeSmsir.main()
