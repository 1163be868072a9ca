"""TemplateItems: for the records that long tables and charts render by the thousand."""


class TemplateItems:
    """Answers a Django template's item lookup with the attribute. A template tries
    ``row.mean.text`` as an item before the attribute; on an object without items each try
    raises and catches an exception. On the bench data that was a third of the calibration
    page's template time (~40 ms, 1,000 question rows of ~20 variables each) and a fifth of the
    comparison's (~7 ms: 200 rows and two charts, ~9,000 variables)."""

    __slots__ = ()

    def __getitem__(self, name):
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None
