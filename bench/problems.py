"""Problems register at scale: the public list and the duplicate lookup over 200,000 reports.

Run against a migrated PostgreSQL database of its own (it inserts 200,000 reports once):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nehzat_p_bench \
        .venv/bin/python manage.py shell < bench/problems.py
"""

import statistics
import time

from django.core.paginator import Paginator
from django.db import connection

from problems.models import Problem, Report
from problems.services import likely_duplicates, public


SEED = """
INSERT INTO problems_report (number, public_id, problem_id, title, description, province, city,
  neighbourhood, people_affected, since, tried, may_contact, status, source, language,
  reporter_mobile, show_group_name, rejection_reason, search_text, support_count,
  group_support_count, city_support_count, priority, created_at, updated_at, verified_at)
SELECT (1000000 + g)::text, md5(g::text)::uuid,
  (SELECT array_agg(id ORDER BY id) FROM problems_problem)[1 + g % (SELECT count(*) FROM problems_problem)],
  'مسئله شماره ' || g, 'شرح مسئله در محله ' || (g % 997) || ' با جوانان و خانواده ها ' || g,
  (ARRAY['tehran','fars','isfahan','qom','gilan','kerman'])[1 + g % 6], 'شهر' || (g % 300), '',
  '11-100', 'months', '', false,
  (ARRAY['new','verified','verified','resolved','rejected'])[1 + g % 5], 'web', 'fa',
  '+98912' || lpad((g % 9999999)::text, 7, '0'), false, '',
  'مسئله شماره ' || g || ' شرح مسئله در محله ' || (g % 997) || ' با جوانان و خانواده ها ' || g,
  g % 50, g % 7, g % 5, g % 50 + 3 * (g % 7) + 2 * (g % 5),
  now() - (g || ' minutes')::interval, now(), now() - (g || ' minutes')::interval
FROM generate_series(1, 200000) g
"""

if Report.objects.count() < 200_000:
    with connection.cursor() as cursor:
        cursor.execute(SEED)
        cursor.execute("ANALYZE problems_report")

problem = Problem.objects.order_by("pk").first()


def timed(fn, n=20):
    fn()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def listing():
    paginator = Paginator(public.public_reports(province="tehran", problem=problem.pk), 20)
    list(paginator.get_page(3).object_list)


def duplicates():
    likely_duplicates(problem=problem, city="شهر20", text="شرح مسئله در محله 20 با جوانان")


print("reports", Report.objects.count())
for name, fn in (("list (province + problem, page 3)", listing), ("duplicate lookup", duplicates)):
    median, worst = timed(fn)
    print(f"{name}: median {median:.1f} ms, max {worst:.1f} ms")
