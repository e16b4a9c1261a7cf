"""The countries picker: a checkbox per country, grouped by region, which
``static/js/country-picker.js`` turns into a search box with the chosen countries as removable
chips. The checkboxes stay the form's real inputs either way, so the form works the same
without JavaScript."""

from django import forms

from .regions import by_region


class CountryPicker(forms.CheckboxSelectMultiple):
    template_name = "organisations/widgets/country_picker.html"

    class Media:
        css = {"all": ["css/country-picker.css"]}
        js = [forms.Script("js/country-picker.js", defer=True)]

    def optgroups(self, name, value, attrs=None):
        """One group per region; each checkbox's id ends in its country code
        (``id_countries_SO``), so labels and links to it stay the same whatever the order."""
        chosen = set(value)
        return [
            (
                region,
                [
                    self.create_option(name, code, label, code in chosen, code, attrs=attrs)
                    for code, label in members
                ],
                index,
            )
            for index, (region, members) in enumerate(by_region(self.choices))
        ]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["regions"] = [
            {
                "name": region,
                "options": options,
                "chosen": [option for option in options if option["selected"]],
            }
            for region, options, _index in context["widget"]["optgroups"]
        ]
        return context
