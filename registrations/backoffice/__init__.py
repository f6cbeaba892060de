"""The staff back office in Wagtail's admin: listing, review, bulk actions, dashboard, exports.

Nothing imports it but its entry points: registrations/wagtail_hooks.py, which registers it
with Wagtail, and registrations/tasks.py, where Celery finds its background export task.
"""
