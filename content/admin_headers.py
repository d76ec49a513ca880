"""The header of Maillage's own admin screens."""

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class TitledAdminViewMixin(WagtailAdminTemplateMixin):
    """An admin screen whose header ends with its own title, as Wagtail's own
    screens' do: with the base breadcrumbs alone, the header reads "Home"."""

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *super().get_breadcrumbs_items(),
            {"url": "", "label": self.get_page_title()},
        ]
