"""A small form-filling browser over Flask's test client.

It reads the page's form the way a browser would (hidden fields, typed values,
checked boxes, selected options, buttons owned through the ``form`` attribute),
lets a test fill fields by name, and submits with a chosen button. JavaScript is
not involved: this is the respondent's no-JavaScript path.
"""

from __future__ import annotations

from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict


class _FormParser(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.action = None
        self.fields: list[tuple[str, str]] = []
        self.buttons: list[tuple[str, str, str]] = []  # (name, value, text)
        self._textarea: tuple[str, list[str]] | None = None
        self._select: str | None = None
        self._option: tuple[str, bool, list[str]] | None = None
        self._select_values: list[tuple[str, bool]] = []
        self._button: tuple[str, str, list[str]] | None = None

    def _owned(self, attrs: dict) -> bool:
        return self.in_form or (self.form_id is not None and attrs.get("form") == self.form_id)

    def handle_starttag(self, tag, attrs_list):
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id) and self.action is None:
            self.in_form = True
            self.action = attrs.get("action")
            return
        if not self._owned(attrs) and not (self._select and tag == "option"):
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
            elif kind == "submit":
                self.buttons.append((name, attrs.get("value", ""), attrs.get("value", "")))
            else:
                self.fields.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select, self._select_values = name, []
        elif tag == "option" and self._select:
            self._option = (attrs.get("value", ""), "selected" in attrs, [])
        elif tag == "button" and attrs.get("type", "submit") == "submit" and name:
            self._button = (name, attrs.get("value", ""), [])

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1].append(data)
        if self._option:
            self._option[2].append(data)
        if self._button:
            self._button[2].append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea[0], "".join(self._textarea[1])))
            self._textarea = None
        elif tag == "option" and self._option:
            self._select_values.append((self._option[0], self._option[1]))
            self._option = None
        elif tag == "select" and self._select:
            chosen = [v for v, selected in self._select_values if selected] or [self._select_values[0][0]]
            self.fields.append((self._select, chosen[0]))
            self._select = None
        elif tag == "button" and self._button:
            self.buttons.append((self._button[0], self._button[1], "".join(self._button[2]).strip()))
            self._button = None


class FormPage:
    """One response from the server, with its form ready to fill and submit."""

    def __init__(self, client, response, form_id: str | None = None):
        self.client = client
        self.response = response
        self.status = response.status_code
        self.html = response.get_data(as_text=True)
        parser = _FormParser(form_id)
        parser.feed(self.html)
        self.action = parser.action
        self.fields = MultiDict(parser.fields)
        self.buttons = parser.buttons

    def __contains__(self, text: str) -> bool:
        return text in self.html

    def fill(self, **values) -> FormPage:
        """Set fields by name (underscores in names stay; use `q_` for `q-`)."""
        for name, value in values.items():
            name = "q-" + name[2:] if name.startswith("q_") else name
            if isinstance(value, list):
                self.fields.setlist(name, value)
            elif value is None:
                self.fields.poplist(name)
            else:
                self.fields[name] = value
        return self

    def press(self, name: str, value: str, **headers) -> FormPage:
        """Submit the form with the button `name=value`."""
        if not any(b[0] == name and b[1] == value for b in self.buttons):
            raise AssertionError(f"no button {name}={value} on the page; buttons: {self.buttons}")
        data = MultiDict(self.fields)
        data.add(name, value)
        response = self.client.post(self.action, data=data, headers=headers)
        return FormPage(self.client, response, form_id=self.form_id_hint(response))

    @staticmethod
    def form_id_hint(response) -> str | None:
        return "respond" if b'id="respond"' in response.get_data() else None


def open_form(client, url: str, **headers) -> FormPage:
    response = client.get(url, headers=headers)
    return FormPage(client, response, form_id=FormPage.form_id_hint(response))
