# ruff: noqa: F403, F405 - the back-office fixtures come from tests.backoffice
"""Staff export exactly what they filtered, ready for a Persian spreadsheet and safe to open."""

import csv
import datetime
import io
import struct
import subprocess
import zipfile

from wagtail.models import ModelLogEntry

import openpyxl
import pytest

from campaigns.models import CampaignFormField
from registrations.backoffice import review
from tests.backoffice import *
from tests.tools import program


pytestmark = pytest.mark.django_db

INDEX = "/admin/registrations/"


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_sheet(response):
    body = b"".join(response.streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    return workbook.worksheets[0]


def xlsx_rows(response) -> list[list]:
    return [list(row) for row in xlsx_sheet(response).iter_rows(values_only=True)]


def column(rows, heading) -> list[str]:
    index = rows[0].index(heading)
    return [row[index] for row in rows[1:]]


def test_csv_contains_exactly_the_filtered_rows(manager_client, demo):
    wanted = {make_registration(demo, province="fars").tracking_code for _ in range(3)}
    make_registration(demo, province="tehran")

    response = manager_client.get(INDEX, {"province": "fars", "export": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert set(column(csv_rows(response), "کد پیگیری")) == wanted


def test_csv_respects_the_search_too(manager_client, demo):
    wanted = make_registration(demo, organisation_name="کانون مهر")
    make_registration(demo, organisation_name="انجمن امید")

    rows = csv_rows(manager_client.get(INDEX, {"q": "كانون", "export": "csv"}))

    assert column(rows, "کد پیگیری") == [wanted.tracking_code]


def test_csv_has_persian_headers_labels_and_jalali_beside_iso(manager_client, demo):
    make_registration(
        demo,
        kind="charity",
        province="isfahan",
        status="approved",
        fields_of_activity=["education", "health"],
        capacities=["venue"],
        created_at=tehran(2025, 3, 20, 10),
    )

    rows = csv_rows(manager_client.get(INDEX, {"export": "csv"}))

    assert column(rows, "استان") == ["اصفهان"]
    assert column(rows, "وضعیت") == ["پذیرفته‌شده"]
    assert "،" in column(rows, "زمینه‌های فعالیت")[0]
    iso = rows[0].index("زمان ثبت (ISO 8601، تهران)")
    assert rows[1][iso] == "2025-03-20T10:00:00+03:30"
    assert rows[1][iso + 1] == "۱۴۰۳/۱۲/۳۰ ۱۰:۰۰"


def test_csv_neutralises_formula_cells(manager_client, demo):
    hostile = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(1,1)", "\tcmd", "\rcmd"]
    for text in hostile:
        make_registration(demo, organisation_name=text)

    rows = csv_rows(manager_client.get(INDEX, {"export": "csv"}))

    names = column(rows, "نام سازمان")
    assert sorted(names) == sorted("'" + text for text in hostile)


def test_one_column_per_extra_question_with_its_label(manager_client, demo):
    question = CampaignFormField.objects.create(
        page=demo, label="چند داوطلب دارید؟", field_type="singleline", required=False
    )
    choice = CampaignFormField.objects.create(
        page=demo,
        label="روزهای آزاد",
        field_type="checkboxes",
        choices="شنبه\nیکشنبه\nدوشنبه",
        required=False,
    )
    make_registration(
        demo,
        extra_answers={question.clean_name: "=1+1", choice.clean_name: ["شنبه", "دوشنبه"]},
    )

    rows = csv_rows(manager_client.get(INDEX, {"export": "csv"}))

    assert column(rows, "چند داوطلب دارید؟") == ["'=1+1"]
    assert column(rows, "روزهای آزاد") == ["شنبه، دوشنبه"]


def test_mobile_is_exported_as_text_staff_recognise(manager_client, demo):
    make_registration(demo, mobile="+989123456789")

    rows = csv_rows(manager_client.get(INDEX, {"export": "csv"}))

    assert column(rows, "شمارهٔ همراه") == ["0912 345 6789"]


def test_national_codes_are_masked_in_exports(manager_client, demo):
    make_registration(demo, national_code="0499370899")

    rows = csv_rows(manager_client.get(INDEX, {"export": "csv"}))

    assert column(rows, "کد ملی") == ["049******9"]


def test_xlsx_is_right_to_left_filtered_and_has_no_live_formulas(manager_client, demo):
    wanted = make_registration(demo, province="gilan", organisation_name="=1+1")
    make_registration(demo, province="tehran")

    response = manager_client.get(INDEX, {"province": "gilan", "export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = xlsx_sheet(response)
    assert sheet.sheet_view.rightToLeft is True
    values = list(sheet.iter_rows(values_only=True))
    headings = list(values[0])
    assert "کد پیگیری" in headings and "زمان ثبت (شمسی)" in headings
    assert [row[headings.index("کد پیگیری")] for row in values[1:]] == [wanted.tracking_code]
    assert values[1][headings.index("نام سازمان")] == "'=1+1"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_has_labels_numbers_jalali_beside_iso_and_extra_questions(manager_client, demo):
    question = CampaignFormField.objects.create(
        page=demo, label="روزهای آزاد", field_type="checkboxes", choices="شنبه\nیکشنبه"
    )
    make_registration(
        demo,
        province="isfahan",
        years_active=12,
        created_at=tehran(2025, 3, 20, 10),
        extra_answers={question.clean_name: ["شنبه", "یکشنبه"]},
    )

    rows = xlsx_rows(manager_client.get(INDEX, {"export": "xlsx"}))

    assert column(rows, "استان") == ["اصفهان"]
    assert column(rows, "سال‌های فعالیت") == [12]
    assert column(rows, "روزهای آزاد") == ["شنبه، یکشنبه"]
    iso = rows[0].index("زمان ثبت (ISO 8601، تهران)")
    # A real date cell in Tehran time; the Jalali column beside it stays text.
    assert rows[1][iso : iso + 2] == [datetime.datetime(2025, 3, 20, 10), "۱۴۰۳/۱۲/۳۰ ۱۰:۰۰"]


def test_xlsx_reads_well_bold_frozen_filterable_header_widths_and_date_cells(manager_client, demo):
    make_registration(
        demo,
        organisation_name="انجمن " + "خیلی " * 30,  # longer than any column should grow
        city="رشت",
        created_at=tehran(2025, 3, 20, 10),
    )
    make_registration(demo, organisation_name="انجمن کوتاه", created_at=tehran(2025, 4, 1, 8))

    sheet = xlsx_sheet(manager_client.get(INDEX, {"export": "xlsx"}))

    headings = [cell.value for cell in sheet[1]]
    assert all(cell.font.b for cell in sheet[1])
    assert not any(cell.font.b for cell in sheet[2])
    assert sheet.freeze_panes == "A2"
    last = sheet.cell(1, len(headings)).column_letter
    assert sheet.auto_filter.ref == f"A1:{last}3"

    def width(heading):
        letter = sheet.cell(1, headings.index(heading) + 1).column_letter
        return sheet.column_dimensions[letter].width

    assert width("نام سازمان") == 50  # bounded
    assert 8 <= width("شهر") < width("نام سازمان")
    assert width("کد پیگیری") >= len(sheet.cell(2, 1).value)
    created = sheet.cell(2, headings.index("زمان ثبت (ISO 8601، تهران)") + 1)
    assert created.is_date and created.number_format == "yyyy-mm-dd hh:mm:ss"
    assert created.value in (datetime.datetime(2025, 3, 20, 10), datetime.datetime(2025, 4, 1, 8))
    jalali = sheet.cell(2, headings.index("زمان ثبت (شمسی)") + 1)
    assert jalali.data_type == "s"


def test_csv_keeps_times_as_iso_text(manager_client, demo):
    make_registration(demo, created_at=tehran(2025, 3, 20, 10))

    rows = csv_rows(manager_client.get(INDEX, {"export": "csv"}))

    assert column(rows, "زمان ثبت (ISO 8601، تهران)") == ["2025-03-20T10:00:00+03:30"]


def test_xlsx_keeps_hostile_text_as_plain_text(manager_client, demo):
    hostile = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(1,1)", "\tcmd", "\rcmd"]
    markup = ["<r><t>x</t></r>", "</t></is></c><c><f>1+1</f></c>", "A & B", " spaced "]
    for text in hostile + markup + ["bell\x07"]:
        make_registration(demo, organisation_name=text)

    response = manager_client.get(INDEX, {"export": "xlsx"})
    sheet = xlsx_sheet(response)

    names = column([list(row) for row in sheet.iter_rows(values_only=True)], "نام سازمان")
    # A character XML cannot carry is written as Excel's own escape, which Excel shows as
    # the character (openpyxl leaves it as written).
    assert sorted(names) == sorted(["'" + text for text in hostile] + markup + ["bell_x0007_"])
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_export_is_audit_logged_with_filters_and_row_count(
    manager, manager_client, demo, export_format
):
    make_registration(demo, province="fars")
    make_registration(demo, province="fars")
    make_registration(demo, province="tehran")

    response = manager_client.get(INDEX, {"province": "fars", "export": export_format})
    b"".join(response.streaming_content)

    entry = ModelLogEntry.objects.get(action=review.EXPORT)
    assert entry.user == manager
    assert entry.data == {"format": export_format, "filters": {"province": "fars"}, "rows": 2}


def test_export_with_bad_filters_is_refused_and_not_logged(manager_client, demo):
    make_registration(demo)

    response = manager_client.get(INDEX, {"created_from": "1404/99/99", "export": "csv"})

    assert response.status_code == 400
    assert "شمسی" in response.content.decode() or "Solar" in response.content.decode()
    assert not ModelLogEntry.objects.filter(action=review.EXPORT).exists()


def test_an_xlsx_larger_than_a_sheet_is_refused_with_a_way_out(manager_client, demo, monkeypatch):
    from registrations.backoffice import exports

    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)  # a real sheet's limit is 1,048,575
    for _ in range(3):
        make_registration(demo)

    response = manager_client.get(INDEX, {"export": "xlsx"})

    assert response.status_code == 400
    text = response.content.decode()
    assert "۳" in text and "CSV" in text
    assert not ModelLogEntry.objects.filter(action=review.EXPORT).exists()
    assert manager_client.get(INDEX, {"export": "csv"}).status_code == 200


def test_staff_without_export_permission_get_403(client, demo, manager):
    from django.contrib.auth.models import Permission

    manager.groups.clear()
    manager.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_registration"),
    )
    client.force_login(manager)

    assert client.get(INDEX).status_code == 200
    assert client.get(INDEX, {"export": "csv"}).status_code == 403
    assert "export=csv" not in client.get(INDEX).content.decode()


def test_a_large_selection_is_zipped_with_zip64_sizes_and_still_reads(
    manager_client, demo, monkeypatch
):
    from registrations.backoffice import exports

    monkeypatch.setattr(exports, "XLSX_ZIP64_FROM_ROWS", 2)
    for name in ("انجمن یکم", "انجمن دوم"):
        make_registration(demo, organisation_name=name)

    body = b"".join(manager_client.get(INDEX, {"export": "xlsx"}).streaming_content)

    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        offset = archive.getinfo("xl/worksheets/sheet1.xml").header_offset
    # The sheet's local header carries the Zip64 extra field (header id 0x0001).
    name_length, extra_length = struct.unpack("<HH", body[offset + 26 : offset + 30])
    extra = body[offset + 30 + name_length : offset + 30 + name_length + extra_length]
    assert extra[:2] == b"\x01\x00"
    rows = [list(r) for r in openpyxl.load_workbook(io.BytesIO(body)).worksheets[0].values]
    assert sorted(column(rows, "نام سازمان")) == ["انجمن دوم", "انجمن یکم"]


def test_libreoffice_reads_the_xlsx_with_persian_and_formatted_dates(
    manager_client, demo, tmp_path
):
    soffice = program("soffice", "apt-get install libreoffice-calc; .ci/run does")
    make_registration(
        demo, organisation_name="انجمن حامیان محیط زیست", created_at=tehran(2025, 3, 20, 10)
    )
    body = b"".join(manager_client.get(INDEX, {"export": "xlsx"}).streaming_content)
    (tmp_path / "export.xlsx").write_bytes(body)

    # A private profile: a second soffice (another test run) would otherwise refuse to start.
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",  # comma, quote, UTF-8
            "--outdir",
            str(tmp_path),
            str(tmp_path / "export.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    rows = list(csv.reader(io.StringIO((tmp_path / "export.csv").read_text("utf-8"))))

    assert column(rows, "نام سازمان") == ["انجمن حامیان محیط زیست"]
    # The date cell is shown with its format, not as a bare day number.
    assert column(rows, "زمان ثبت (ISO 8601، تهران)") == ["2025-03-20 10:00:00"]
    assert column(rows, "زمان ثبت (شمسی)") == ["۱۴۰۳/۱۲/۳۰ ۱۰:۰۰"]
