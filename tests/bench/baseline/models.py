"""Wagtail's own form builder, as a project would set it up (the baseline)."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField


class BaselineFormField(AbstractFormField):
    page = ParentalKey(
        "BaselineFormPage", on_delete=models.CASCADE, related_name="form_fields"
    )


class BaselineFormPage(AbstractForm):
    landing_page_template = "bench_baseline/landing.html"
    template = "bench_baseline/form.html"
