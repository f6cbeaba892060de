// html-validate over every public page, fa and en (tests/home/test_html_valid.py): the
// `recommended` preset, changed only where it disagrees with sound HTML that Django renders.
module.exports = {
  extends: ["html-validate:recommended"],
  rules: {
    // Template indentation leaves spaces at line ends: noise in the source, nothing a
    // reader, a browser or a screen reader meets.
    "no-trailing-whitespace": "off",
    // Django's CheckboxSelectMultiple and RadioSelect widgets put <label for="id"> around
    // their own <input id="id">: redundant, valid, and how Django's forms are rendered.
    "no-redundant-for": "off",
    // A multiple-choice field is a group of checkboxes under one name: that is how the
    // browser submits it and how Django reads it (request.POST.getlist).
    "form-dup-name": ["error", { shared: ["radio", "checkbox", "button", "reset", "submit"] }],
    // Form titles carry the step, the campaign and the site ("Confirm your mobile — <campaign>
    // | <site>"); search engines shorten long titles, they do not refuse them.
    "long-title": ["error", { maxlength: 110 }],
  },
};
