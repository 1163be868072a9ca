"""``{% include "includes/field.html" with field=form.name %}``'s one tag: a field's widget with
Bootstrap's classes, as crispy-forms gives it.

crispy-forms' ``as_crispy_field`` renders a field through a template of some sixty nodes (about
1.5 ms a field); the pages measured by ``make bench`` that show a few small forms beside their
content (the plan builder, the debrief) use this lighter include instead, with the same markup
for label, widget, errors and help text. Forms elsewhere keep crispy-forms.
"""

from django import forms, template

register = template.Library()


def widget_class(widget):
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.filter
def bootstrap_widget(field):
    """The widget of a bound field with Bootstrap's class, plus ``is-invalid`` when it has errors."""
    css = [field.field.widget.attrs.get("class", ""), widget_class(field.field.widget)]
    if field.errors:
        css.append("is-invalid")
    return field.as_widget(attrs={"class": " ".join(c for c in css if c)})
