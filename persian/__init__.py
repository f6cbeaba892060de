"""The one copy of Persian text rules: normalising, digits, Jalali dates, Iranian mobiles, ids.

It imports no app of this project, so every app (and every later one) can lean on it.
"""
