"""The SMS gateway: outbox, provider back-ends, inbound texts, delivery reports, opt-outs.

It knows no app that uses it: apps register keyword handlers (sms.inbound.register) and
attach their own meaning to messages on their side.
"""
