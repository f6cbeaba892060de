"""The public web pages of registrations: the form, the code, the status lookup, the SMS link."""
