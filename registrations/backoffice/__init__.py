"""The staff back office in Wagtail's admin: listing, review, bulk actions, dashboard, exports.

Nothing imports it but registrations/wagtail_hooks.py, which registers it with Wagtail.
"""
