"""The designer's forms (Flask-WTF): parse what staff typed; the rules live in services."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from surveys.designer import services
from surveys.fields import registry


class NewConsultationForm(FlaskForm):
    title = StringField(_l("Title"), description=_l("In the default language. You can reword it later."))
    slug = StringField(
        _l("Link name"),
        description=_l("The end of the public link: lower-case letters, digits and dashes, e.g. wps-2026."),
    )
    default_language = StringField(_l("Default language"), default="en",
                                   description=_l("A language code such as en, fr, es, ar."))
    languages = StringField(_l("Other languages"),
                            description=_l("Codes separated by commas, e.g. fr, es, ar. You can add more later."))


class SettingsForm(FlaskForm):
    title = StringField(_l("Title"))
    introduction = TextAreaField(_l("Introduction"), description=_l("Shown on the first page. A blank line starts "
                                                                    "a new paragraph."))
    consent_text = TextAreaField(_l("Consent text"), description=_l("Who runs the consultation, what happens to "
                                                                    "the answers and for how long."))
    slug = StringField(_l("Link name"), description=_l("Cannot change once the consultation is published."))
    languages = StringField(_l("Languages"), description=_l("Language codes separated by commas, e.g. en, fr, ar, "
                                                            "sw. Any language Babel knows is accepted."))
    default_language = StringField(_l("Default language"),
                                   description=_l("Shown when a text has no translation. Must be one of the "
                                                  "languages."))
    opens_on = DateField(_l("Opens on"), validators=[Optional()], description=_l("Optional. Year-month-day."))
    closes_on = DateField(_l("Closes on"), validators=[Optional()], description=_l("Optional. The last day "
                                                                                   "answers are accepted."))
    # Ranges are checked by the service, so every problem shows at once.
    retention_days = IntegerField(_l("Keep answers for (days)"), validators=[InputRequired()])
    k_threshold = IntegerField(
        _l("Smallest group shown in published figures (k)"),
        validators=[InputRequired()],
        description=_l("Never below 5. Groups smaller than this are hidden in results."),
    )
    invitation_required = BooleanField(
        _l("Answers need a single-use invitation code"),
        description=_l("Codes are generated on the sharing page. Nobody can tell which code was used for which "
                       "response."),
    )

    def to_settings(self) -> services.ConsultationSettings:
        """The settings as typed, for services.update_settings."""
        return services.ConsultationSettings(
            slug=self.slug.data or "",
            title=self.title.data or "",
            introduction=self.introduction.data or "",
            consent_text=self.consent_text.data or "",
            default_language=self.default_language.data or "",
            languages=services.parse_languages(self.languages.data or ""),
            opens_on=self.opens_on.data,
            closes_on=self.closes_on.data,
            retention_days=self.retention_days.data,
            k_threshold=self.k_threshold.data,
            invitation_required=bool(self.invitation_required.data),
        )

    @classmethod
    def of(cls, settings: services.ConsultationSettings) -> SettingsForm:
        """A form showing the stored settings."""
        return cls(
            data={
                **settings.__dict__,
                "languages": ", ".join(settings.languages),
            }
        )


class SectionForm(FlaskForm):
    title = StringField(_l("Section title"), description=_l("Optional."))
    description = TextAreaField(_l("Text under the title"), description=_l("Optional."))


def type_choices() -> list[tuple[str, str]]:
    """Every question type of the registry, with its name for staff."""
    return [(name, services.type_label(name)) for name in registry]


class QuestionForm(FlaskForm):
    type = SelectField(_l("Type"), validate_choice=False)
    key = StringField(_l("Key"), description=_l("A short stable name used in skip logic and exports, e.g. "
                                                "years_active. It cannot change once answers exist."))
    label = TextAreaField(_l("Question"))
    help = TextAreaField(_l("Help text"), description=_l("Optional, shown under the question."))
    required = BooleanField(_l("An answer is required"))
    demographic = BooleanField(
        _l("Demographic question (about who the respondent is)"),
        description=_l("Results are then grouped with disclosure control, so small groups stay hidden."),
    )
    choices = TextAreaField(
        _l("Choices"),
        description=_l("One per line, as key | text, e.g. often | Yes, often. A line without a key gets one. "
                       "Keys are stored in answers: they cannot change once chosen."),
    )
    rows = TextAreaField(_l("Rows"), description=_l("One per line, as key | text. Each row is answered on the "
                                                    "scale of the choices."))
    min = StringField(_l("Smallest value"))
    max = StringField(_l("Largest value"))
    integer = BooleanField(_l("Whole numbers only"), default=True)
    max_length = StringField(_l("Longest answer (characters)"), description=_l("Optional."))
    min_choices = StringField(_l("Fewest choices"), description=_l("Optional."))
    max_choices = StringField(_l("Most choices"), description=_l("Optional."))
    appearance = RadioField(
        _l("Shown as"),
        choices=[("radio", _l("Buttons, all visible")), ("list", _l("A drop-down list (long lists)"))],
        default="radio",
        validate_choice=False,
    )
    min_label = StringField(_l("Label of the lowest point"), description=_l("Optional."))
    max_label = StringField(_l("Label of the highest point"), description=_l("Optional."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = type_choices()

    def to_draft(self) -> services.QuestionDraft:
        """The question as typed, for the services."""
        options = {name: getattr(self, name).data for name in
                   ("min", "max", "integer", "max_length", "min_choices", "max_choices", "appearance",
                    "min_label", "max_label")}
        return services.QuestionDraft(
            key=self.key.data or "",
            type=self.type.data or "",
            label=self.label.data or "",
            help=self.help.data or "",
            required=bool(self.required.data),
            demographic=bool(self.demographic.data),
            choices=parse_items(self.choices.data or ""),
            rows=parse_items(self.rows.data or ""),
            options=options,
        )

    @classmethod
    def of(cls, draft: services.QuestionDraft) -> QuestionForm:
        """A form showing a stored question."""
        data = {
            "type": draft.type,
            "key": draft.key,
            "label": draft.label,
            "help": draft.help,
            "required": draft.required,
            "demographic": draft.demographic,
            "choices": format_items(draft.choices),
            "rows": format_items(draft.rows),
            "appearance": draft.options.get("appearance") or "radio",
            "integer": draft.options.get("integer", True),
        }
        for name in ("min", "max", "max_length", "min_choices", "max_choices", "min_label", "max_label"):
            value = draft.options.get(name)
            data[name] = "" if value is None else str(value)
        return cls(data=data)


def format_items(items: list[tuple[str, str]]) -> str:
    """Choices or rows as the textarea shows them: ``key | text`` per line."""
    return "\n".join(f"{key} | {label}" for key, label in items)


def parse_items(text: str) -> list[tuple[str, str]]:
    """Lines of ``key | text`` (or just ``text``: a key is made from it) into pairs.

    Malformed keys are passed on as typed, so the service names them in its error.
    """
    items: list[tuple[str, str]] = []
    taken: set[str] = set()
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    for line in filter(None, lines):
        if "|" in line:
            key, label = (part.strip() for part in line.split("|", 1))
        else:
            key, label = _key_from(line, taken, len(items) + 1), line
        taken.add(key)
        items.append((key, label))
    return items


def _key_from(label: str, taken: set[str], number: int) -> str:
    """A key made from a label's letters (accents dropped), or c<number> for other scripts."""
    ascii_ = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_.lower()).strip("_")[:40].strip("_") or f"c{number}"
    key, suffix = base, 2
    while key in taken:
        key, suffix = f"{base}_{suffix}", suffix + 1
    return key


class ConditionRowForm(Form):
    question = SelectField(_l("Question"), validate_choice=False)
    operator = SelectField(
        _l("Comparison"),
        choices=list(services.OPERATOR_LABELS.items()),
        validate_choice=False,
    )
    value = StringField(_l("Value"))


class LogicForm(FlaskForm):
    combine = RadioField(
        _l("Show it when"),
        choices=[("all", _l("all of these are true")), ("any", _l("any of these is true"))],
        default="all",
        validate_choice=False,
    )
    negate = BooleanField(_l("Reverse: show it when the conditions are NOT met"))
    rows = FieldList(FormField(ConditionRowForm), min_entries=1)

    def set_questions(self, options: list[tuple[str, str]], blank_rows: int = 2) -> None:
        """Offer `options` (key, label) in every row, with `blank_rows` empty rows to fill."""
        while len(self.rows) < len([r for r in self.rows if r.question.data]) + blank_rows:
            self.rows.append_entry()
        for row in self.rows:
            row.question.choices = [("", "—")] + options

    def to_draft(self) -> services.LogicDraft:
        return services.LogicDraft(
            combine=self.combine.data or "all",
            negate=bool(self.negate.data),
            rows=[
                services.ConditionRow(r.question.data or "", r.operator.data or "", r.value.data or "")
                for r in self.rows
            ],
        )

    @classmethod
    def of(cls, draft: services.LogicDraft) -> LogicForm:
        return cls(
            data={
                "combine": draft.combine,
                "negate": draft.negate,
                "rows": [{"question": r.question, "operator": r.operator, "value": r.value} for r in draft.rows],
            }
        )


class InvitationsForm(FlaskForm):
    count = IntegerField(
        _l("How many codes"),
        validators=[InputRequired(), NumberRange(min=1, max=services.MAX_INVITATIONS)],
        default=50,
    )


class UploadForm(FlaskForm):
    file = FileField(_l("XLSX file"), validators=[FileRequired()])


class XLSFormUploadForm(FlaskForm):
    file = FileField(_l("XLSForm file (.xlsx)"), validators=[FileRequired()])
    slug = StringField(_l("Link name"), description=_l("Optional: by default, from the form's settings or title."))
    skip_unsupported = BooleanField(
        _l("Import the rest even if some rows cannot be imported"),
        description=_l("Otherwise nothing is imported while anything is left out."),
    )
