"""What the browser tests share: the live site, the SMS it sent, the form a visitor fills, axe."""

import re
import time
import urllib.parse
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from persian.text import to_ascii_digits, to_persian_digits
from tests.fakes.kavenegar import FakeKavenegar


ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CAMPAIGN_SLUG = "nehzat"
PERSIAN_LETTERS = re.compile(r"[\u0600-\u06ff]")


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:80] or "step"


def persian(text: str) -> str:
    return to_persian_digits(text)


def mobile_for(name: str) -> str:
    """A stable Iranian mobile (national form, ASCII digits) for one test or scenario."""
    return f"0912{zlib.crc32(name.encode()) % 10**7:07d}"


def national_code(first_nine: str) -> str:
    """A valid 10-digit national code: the nine digits and their check digit."""
    total = sum(int(digit) * (10 - i) for i, digit in enumerate(first_nine)) % 11
    return first_nine + str(total if total < 2 else 11 - total)


def wrong_national_code(first_nine: str) -> str:
    good = national_code(first_nine)
    return good[:9] + str((int(good[9]) + 1) % 10)


@dataclass
class LiveSite:
    url: str
    fake: FakeKavenegar
    webhook_secret: str

    def path(self, path: str) -> str:
        return urllib.parse.urljoin(self.url + "/", path.lstrip("/"))

    @property
    def inbound_webhook(self) -> str:
        return self.path(f"/sms/kavenegar/inbound/{self.webhook_secret}/")

    def sms_to(self, mobile: str) -> list[str]:
        """Texts the provider was asked to deliver to this mobile, oldest first."""
        local = "0" + to_ascii_digits(mobile)[-10:]
        return [m["text"] for m in self.fake.messages if "0" + m["receptor"][-10:] == local]

    def wait_for_sms(self, mobile: str, *, after: int = 0, timeout: float = 10) -> str:
        """The first text to `mobile` beyond the `after` already seen."""
        deadline = time.monotonic() + timeout
        while True:
            texts = self.sms_to(mobile)
            if len(texts) > after:
                return texts[after]
            if time.monotonic() > deadline:
                raise AssertionError(f"no SMS reached {mobile} within {timeout}s: {texts}")
            time.sleep(0.1)

    def text_from_phone(self, mobile: str, text: str) -> dict:
        """A person texts the campaign line; the provider pushes it to the inbound webhook."""
        return self.fake.add_inbound(
            sender=mobile, text=text, receptor="30001152", push_url=self.inbound_webhook
        )


def code_in(sms: str) -> str:
    match = re.search(r"[0-9۰-۹]{6}", sms)
    assert match, f"no 6-digit code in {sms!r}"
    return to_ascii_digits(match.group())


def link_in(sms: str) -> str:
    match = re.search(r"https?://\S+", sms)
    assert match, f"no link in {sms!r}"
    return match.group()


@dataclass
class Applicant:
    """What a visitor types into the registration form (digits as they type them)."""

    mobile: str
    organisation_name: str = "گروه مردمی همیاران محله"
    city: str = "مشهد"
    province: str = "khorasan_razavi"
    kind: str = "popular_group"
    activities: list[str] = field(default_factory=lambda: ["social_interaction", "education"])
    representative_name: str = "زهرا احمدی"
    national_code: str = ""
    years_active: str = ""


def fill_registration(page, applicant: Applicant, *, mobile_locked: bool = False) -> None:
    page.locator(f"input[name=kind][value={applicant.kind}]").check()
    page.locator("#id_organisation_name").fill(applicant.organisation_name)
    page.locator("#id_province").select_option(applicant.province)
    page.locator("#id_city").fill(applicant.city)
    for activity in applicant.activities:
        page.locator(f"input[name=fields_of_activity][value={activity}]").check()
    if applicant.years_active:
        page.locator("#id_years_active").fill(applicant.years_active)
    page.locator("#id_representative_name").fill(applicant.representative_name)
    if not mobile_locked:
        page.locator("#id_mobile").fill(applicant.mobile)
    if applicant.national_code:
        page.locator("#id_national_code").fill(applicant.national_code)
    page.locator("#id_consent").check()


def axe_violations(page, axe_js: Path, impacts=("serious", "critical")) -> list[str]:
    """axe-core's violations of the given impacts on the page as it is, one line each.

    axe is evaluated through the DevTools protocol, not added as a <script>: the site's
    Content-Security-Policy (rightly) refuses inline scripts, and the test must not weaken it.
    """
    page.evaluate(axe_js.read_text(encoding="utf-8"))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    lines = []
    for violation in results["violations"]:
        if violation["impact"] not in impacts:
            continue
        for node in violation["nodes"]:
            lines.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} at "
                f"{' '.join(node['target'])}: {node.get('failureSummary', '').strip()}"
            )
    return lines
