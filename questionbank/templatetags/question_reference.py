from django import template

from ..reference import reference_block

register = template.Library()


@register.filter
def reference_of(revision):
    """{% with r=revision|reference_of %}: the revision's reference solution and tests."""
    return reference_block(revision.reference_solution, revision.coding_tests)
