"""Admin screens of the content app: the partner directory."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet

from content.admin_forms import PartnerOrganisationAdminForm
from content.admin_walls import SNIPPET_OBJECT_VIEWS, wall_object_views
from content.models import PartnerOrganisation
from content.permissions import territories_granting


class PartnerViewSet(SnippetViewSet):
    """The partner directory of the user's territories."""

    model = PartnerOrganisation
    icon = "group"
    menu_label = _("Partners")
    menu_order = 230
    add_to_admin_menu = True
    list_display = ["name", "kind", "territory", "email"]
    list_filter = ["kind"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("territory"),
            FieldPanel("name"),
            FieldPanel("kind"),
            FieldPanel("services"),
            MultiFieldPanel(
                [FieldPanel("email"), FieldPanel("phone"), FieldPanel("address")],
                heading=_("Contact"),
            ),
            FieldPanel("members"),
        ],
        base_form_class=PartnerOrganisationAdminForm,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        wall_object_views(self, SNIPPET_OBJECT_VIEWS)

    def get_queryset(self, request):
        return PartnerOrganisation.objects.filter(
            territory__in=territories_granting(request.user, "view")
        ).select_related("territory")
