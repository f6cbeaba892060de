"""Fake Kavenegar REST API (sms-providers.md §1.9): `python -m tests.fakes.kavenegar --help`.

`/v1/{apikey}/{scope}/{method}.json`, GET query or POST form (the body wins), the HTTP status
equal to `return.status`. Implemented: sms/send, sms/sendarray, sms/status,
sms/statuslocalmessageid, sms/receive, account/info, utils/getdate. A message's status
moves 1 → 4 → 10 one step per status pull; `/__fake__/status` fixes it instead.
"""

import json
import re
import time
import urllib.parse
from typing import Any

from tests.fakes import FakeError, FakeProvider, Message, RecordedRequest, Reply, parts_of


MESSAGES = {
    200: "تایید شد",
    400: "پارامترها ناقص هستند",
    401: "حساب کاربری غیرفعال شده است",
    402: "عملیات ناموفق بود",
    403: "کد شناسائی API-Key معتبر نمی‌باشد",
    404: "متد نامشخص است",
    405: "متد Get/Post اشتباه است",
    406: "پارامترهای اجباری خالی ارسال شده اند",
    409: "سرور قادر به پاسخگوئی نیست بعدا تلاش کنید",
    411: "دریافت کننده نامعتبر است",
    412: "ارسال کننده نامعتبر است",
    413: "پیام خالی است و یا طول پیام بیش از حد مجاز می‌باشد. حداکثر طول کل متن پیامک 900 کاراکتر می باشد",
    414: "حجم درخواست بیشتر از حد مجاز است",
    417: "تاریخ معتبر نمی‌باشد",
    418: "اعتبار حساب شما کافی نیست",
    419: "طول آرایه متن و گیرنده و فرستنده هم اندازه نیست",
    429: "ارسال از IP شما محدود شده است",
    451: "فراخوانی بیش از حد در بازه زمانی مشخص IP محدود شده",
}
STATUS_TEXTS = {
    1: "در صف ارسال",
    2: "زمان بندی شده",
    4: "ارسال به مخابرات",
    5: "ارسال به مخابرات",
    6: "خطا در ارسال پیام",
    10: "رسیده به گیرنده",
    11: "نرسیده به گیرنده",
    13: "ارسال پیام از سمت کاربر لغو شده یا در ارسال آن مشکلی پیش آمده",
    14: "بلاک شده است، عدم تمایل گیرنده به دریافت پیامک از خطوط تبلیغاتی",
    100: "شناسه پیامک نامعتبر است",
}
LIFECYCLE = [1, 4, 10]

_PATH = re.compile(r"/v1/(?P<key>[^/]+)/(?P<scope>[a-z]+)/(?P<method>[a-z]+)\.json")
_RECEPTOR = re.compile(r"(?:0|0098|\+98)?9[0-9]{9}")
MAX_RECEPTORS = 200
MAX_STATUS_IDS = 500
MAX_TEXT = 900
RECEIVE_PAGE = 100


def _national(number: str) -> str:
    return "0" + number[-10:]


class FakeKavenegar(FakeProvider):
    name = "kavenegar"

    def reset(self) -> None:
        with self._lock:
            super().reset()
            self._by_localid: dict[str, Message] = {}

    def error_reply(self, code: int) -> Reply:
        return Reply.json(
            code,
            {"return": {"status": code, "message": MESSAGES.get(code, "خطا")}, "entries": None},
        )

    def fault_reply(self, code: int) -> Reply:
        if code >= 500:  # a proxy's page, not Kavenegar's JSON
            return Reply(code, f"<html><body><h1>{code}</h1></body></html>".encode(), "text/html")
        return self.error_reply(code)

    def ok(self, entries: Any) -> Reply:
        return Reply.json(
            200, {"return": {"status": 200, "message": MESSAGES[200]}, "entries": entries}
        )

    def handle_api(self, request: RecordedRequest) -> Reply:
        match = _PATH.fullmatch(request.url_path)
        handler = match and getattr(self, f"_{match['scope']}_{match['method']}", None)
        if not handler:
            raise FakeError(404)
        if (match["scope"], match["method"]) != ("utils", "getdate"):
            if match["key"] != self.api_key:
                raise FakeError(403)
            if self.config["disabled"]:
                raise FakeError(401)
        params = dict(
            urllib.parse.parse_qsl(
                urllib.parse.urlsplit(request.path).query, keep_blank_values=True
            )
        )
        content_type = request.header("Content-Type") or "application/x-www-form-urlencoded"
        if request.body and content_type.startswith("application/x-www-form-urlencoded"):
            params.update(urllib.parse.parse_qsl(request.body.decode(), keep_blank_values=True))
        return handler(request.method, params)

    # --- sms -----------------------------------------------------------------------

    def _sms_send(self, method: str, params: dict[str, str]) -> Reply:
        receptors = _required(params, "receptor").split(",")
        message = params.get("message")
        if message is None:
            raise FakeError(400)
        localids = params["localid"].split(",") if params.get("localid") else None
        if localids is not None and (
            len(localids) != len(receptors) or not all(_is_number(i.strip()) for i in localids)
        ):
            raise FakeError(400)
        date = params.get("date")
        if date and (not _is_number(date) or int(date) < time.time() - 60):
            raise FakeError(417)
        sender = params.get("sender") or self.line
        items = [
            (receptor, message, sender, localids[i].strip() if localids else None)
            for i, receptor in enumerate(receptors)
        ]
        return self.ok(self._accept(items))

    def _sms_sendarray(self, method: str, params: dict[str, str]) -> Reply:
        if method != "POST":
            raise FakeError(405)
        try:
            receptors = json.loads(_required(params, "receptor"))
            senders = json.loads(_required(params, "sender"))
            messages = json.loads(_required(params, "message"))
            localids = (
                json.loads(params["localmessageids"]) if params.get("localmessageids") else None
            )
        except ValueError:
            raise FakeError(400) from None
        lengths = {len(receptors), len(senders), len(messages)} | (
            {len(localids)} if localids else set()
        )
        if len(lengths) != 1:
            raise FakeError(419)
        items = [
            (str(r), str(m), str(s), str(localids[i]) if localids else None)
            for i, (r, s, m) in enumerate(zip(receptors, senders, messages, strict=True))
        ]
        return self.ok(self._accept(items))

    def _accept(self, items: list[tuple[str, str, str, str | None]]) -> list[dict[str, Any]]:
        """Validate every (receptor, message, sender, localid), then record the new ones."""
        if len(items) > MAX_RECEPTORS:
            raise FakeError(414)
        invalid = self._invalid()
        for receptor, message, sender, _ in items:
            receptor = receptor.strip()
            if not receptor:
                raise FakeError(406)
            if not _RECEPTOR.fullmatch(receptor) or _national(receptor) in invalid:
                raise FakeError(411)
            if re.sub(r"^(\+98|0098)", "", sender) != self.line:
                raise FakeError(412)
            if not message or len(message) > MAX_TEXT:
                raise FakeError(413)
        known = self._by_localid
        new = [item for item in items if item[3] is None or str(int(item[3])) not in known]
        if not self.charge(sum(parts_of(message) for _, message, _, _ in new)):
            raise FakeError(418)
        entries = []
        for receptor, message, _sender, localid in items:
            localid = None if localid is None else str(int(localid))
            record = known.get(localid) if localid is not None else None
            if record is None:
                parts = parts_of(message)
                record = self.new_message(
                    receptor=receptor.strip(),
                    text=message,
                    sender=self.line,
                    date=int(time.time()),
                    cost=parts * self.config["price_per_part"],
                    parts=parts,
                    localid=localid,
                    lifecycle=list(LIFECYCLE),
                )
                if localid is not None:
                    known[localid] = record
            entries.append(self._entry(record))
        return entries

    def _entry(self, message: Message) -> dict[str, Any]:
        return {
            "messageid": message.id,
            "message": message.text,
            "status": message.status,
            "statustext": STATUS_TEXTS.get(message.status, ""),
            "sender": message.sender,
            "receptor": message.receptor,
            "date": message.date,
            "cost": message.cost,
        }

    def _sms_status(self, method: str, params: dict[str, str]) -> Reply:
        ids = [i.strip() for i in _required(params, "messageid").split(",")]
        if len(ids) > MAX_STATUS_IDS:
            raise FakeError(414)
        entries = []
        for raw_id in ids:
            message = self.message(int(raw_id)) if _is_number(raw_id) else None
            status = message.report() if message else 100
            entries.append(
                {
                    "messageid": int(raw_id) if _is_number(raw_id) else raw_id,
                    "status": status,
                    "statustext": STATUS_TEXTS.get(status, ""),
                }
            )
        return self.ok(entries)

    def _sms_statuslocalmessageid(self, method: str, params: dict[str, str]) -> Reply:
        localids = [i.strip() for i in _required(params, "localid").split(",")]
        if len(localids) > MAX_STATUS_IDS:
            raise FakeError(414)
        entries = []
        for localid in localids:
            message = self._by_localid.get(str(int(localid))) if _is_number(localid) else None
            status = message.report() if message else 100
            entries.append(
                {
                    "messageid": message.id if message else 0,
                    "localid": localid,
                    "status": status,
                    "statustext": STATUS_TEXTS.get(status, ""),
                }
            )
        return self.ok(entries)

    def _sms_receive(self, method: str, params: dict[str, str]) -> Reply:
        line = re.sub(r"^(\+98|0098)", "", _required(params, "linenumber"))
        read = _required(params, "isread") == "1"
        chosen = [m for m in self._inbound if m.receptor == line and m.read == read][:RECEIVE_PAGE]
        for message in chosen:
            message.read = True
        return self.ok(
            [
                {
                    "messageid": m.id,
                    "message": m.text,
                    "sender": m.sender,
                    "receptor": m.receptor,
                    "date": m.date,
                }
                for m in chosen
            ]
        )

    # --- others --------------------------------------------------------------------

    def _account_info(self, method: str, params: dict[str, str]) -> Reply:
        credit = self.config["credit"]
        return self.ok(
            {
                "remaincredit": 10**9 if credit is None else credit,
                "expiredate": int(time.time()) + 365 * 86400,
                "type": "master",
            }
        )

    def _utils_getdate(self, method: str, params: dict[str, str]) -> Reply:
        now = int(time.time())
        return self.ok(
            {"datetime": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now)), "unixtime": now}
        )

    def _invalid(self) -> set[str]:
        return {_national(r) for r in self.config["invalid_receptors"]}


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _required(params: dict[str, str], name: str) -> str:
    if name not in params:
        raise FakeError(400)
    if not params[name].strip():
        raise FakeError(406)
    return params[name]


if __name__ == "__main__":
    FakeKavenegar.main()
