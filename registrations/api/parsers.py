"""The JSON parser of the public API: only documents the site can store and walk."""

from django.utils.translation import gettext_lazy as _

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from ..textinput import first_problem


class SafeJSONParser(JSONParser):
    """DRF's JSON parser, refusing in the client's language (not with a server error):

    - malformed JSON (DRF's own message is English);
    - nesting deeper than a registration can be (Python's parser runs out of stack first);
    - text that is not valid Unicode or holds NUL characters, which PostgreSQL refuses.
    """

    messages = {
        "malformed": _("The request body is not valid JSON."),
        "depth": _("The request body is nested too deeply."),
        "text": _("The request holds characters that are not valid text (such as NUL)."),
    }

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(self.messages["depth"], code="too_deep") from None
        except ParseError:
            raise ParseError(self.messages["malformed"], code="parse_error") from None
        problem = first_problem(data)
        if problem == "depth":
            raise ParseError(self.messages["depth"], code="too_deep")
        if problem == "text":
            raise ParseError(self.messages["text"], code="invalid_text")
        return data
