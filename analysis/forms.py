"""The analyst workspace's forms (the filters are plain GET parameters, see `analysis.dataset`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, HiddenField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes, one per choice (no JavaScript needed)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        """Unknown values are reported by the service with a clearer message."""


class ActionForm(FlaskForm):
    """A button that changes something (retrain, theme, delete, export): CSRF token only."""


class ReviewForm(FlaskForm):
    """An analyst's decision on one answer: its goals (several or none) and quotation."""

    goals = MultiCheckboxField(_l("Goals of this answer"), validators=[Optional()])
    approve = BooleanField(_l("Approve for quotation in briefs and exports"))
    back = HiddenField()


class ReferenceGroupForm(FlaskForm):
    """A new reference group: choices of one demographic question and their fair share."""

    question = HiddenField(validators=[InputRequired()])
    label = StringField(
        _l("Name of the group"),
        validators=[InputRequired(_l("Give the group a name.")), Length(max=120)],
        description=_l("For example: Global South"),
    )
    choices = MultiCheckboxField(_l("Answers that belong to the group"), validators=[Optional()])
    share = DecimalField(
        _l("Reference share, in %"),
        places=None,
        validators=[
            InputRequired(_l("Give the share the group would have in a fair sample, in %.")),
            NumberRange(min=0, max=100, message=_l("Give a percentage between 0 and 100.")),
        ],
        description=_l("The share of respondents this group would have in a fair sample, e.g. 60."),
    )
