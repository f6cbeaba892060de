"""The issue's "Done when" walk-through at 100,000 registrations, timed, as a manager would.

    DATABASE_URL=postgres://… python bench/walkthrough.py

Filter by a province and a capacity, search a mobile typed in Persian digits, open one,
approve it, open the dashboard, export the filtered set as CSV and XLSX and read both
back (Persian text, Jalali dates, no live formulas, right-to-left sheet).
"""

import csv
import io
import os
import sys
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django


django.setup()

from django.test.utils import setup_test_environment  # noqa: E402


setup_test_environment()  # so the test client exposes each response's template context

from django.contrib.auth.models import Group, User  # noqa: E402
from django.test import Client  # noqa: E402

import openpyxl  # noqa: E402

from persian.text import to_persian_digits  # noqa: E402
from registrations.models import Registration  # noqa: E402


def timed(label, func):
    start = time.perf_counter()
    result = func()
    print(f"{label:45} {time.perf_counter() - start:6.2f}s")
    return result


def main():
    user, _ = User.objects.get_or_create(username="walkthrough-manager")
    user.groups.add(Group.objects.get(name="Registration managers"))
    client = Client()
    client.force_login(user)
    print(f"registrations: {Registration.objects.count()}")

    timed("listing, first page", lambda: client.get("/admin/registrations/"))
    filters = {"province": "fars", "capacity": "venue"}
    response = timed("filter: Fars + venue", lambda: client.get("/admin/registrations/", filters))
    rows = response.context["table"].data
    print(f"  {response.context['items_count']} match; first: {rows[0].tracking_code}")
    target = next(r for r in Registration.objects.filter(province="fars", status="confirmed"))
    persian_mobile = to_persian_digits("0" + str(target.mobile)[3:])
    found = timed(
        "search mobile in Persian digits",
        lambda: client.get("/admin/registrations/", {"q": persian_mobile}),
    )
    assert target in list(found.context["table"].data)
    timed("open one (inspect)", lambda: client.get(f"/admin/registrations/inspect/{target.pk}/"))
    timed("approve it", lambda: client.post(f"/admin/registrations/approve/{target.pk}/"))
    target.refresh_from_db()
    print(f"  status now: {target.status}")
    timed("dashboard", lambda: client.get("/admin/registrations/dashboard/"))
    timed("admin home with the panel", lambda: client.get("/admin/"))

    csv_bytes = timed(
        "CSV export of the filtered set",
        lambda: b"".join(
            client.get("/admin/registrations/", {**filters, "export": "csv"}).streaming_content
        ),
    )
    table = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    has_bom = csv_bytes.startswith(b"\xef\xbb\xbf")
    print(f"  BOM: {has_bom}; rows: {len(table) - 1}")
    print(f"  headings: {' | '.join(table[0][:6])} …")
    print(f"  first row: {' | '.join(table[1][:6])} …")
    jalali = table[0].index("زمان ثبت (شمسی)")
    print(f"  Jalali created: {table[1][jalali]}; ISO: {table[1][jalali - 1]}")
    live = [cell for row in table[1:] for cell in row if cell and cell[0] in "=+-@\t\r"]
    print(f"  cells that would run as formulas: {len(live)}")

    xlsx_bytes = timed(
        "XLSX export of the filtered set",
        lambda: b"".join(
            client.get("/admin/registrations/", {**filters, "export": "xlsx"}).streaming_content
        ),
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes), read_only=False).worksheets[0]
    formulas = sum(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    print(
        f"  right-to-left: {sheet.sheet_view.rightToLeft}; rows: {sheet.max_row - 1}; formulas: {formulas}"
    )


if __name__ == "__main__":
    main()
