"""URLs of the documents app: the committee's under /portal/<member>/documents/, staff's texts
under /staff/documents/."""

from django.urls import path

from twinning.documents import views

app_name = "documents"
_PORTAL = "portal/<slug:slug>/documents/"
urlpatterns = [
    path(_PORTAL, views.portal_home, name="portal_home"),
    path(_PORTAL + "new/<str:kind>/", views.portal_document_new, name="portal_document_new"),
    path(
        _PORTAL + "new/<str:kind>/<int:partnership>/",
        views.portal_document_new,
        name="portal_document_new_for_partnership",
    ),
    path(_PORTAL + "<int:pk>/", views.portal_document_detail, name="portal_document_detail"),
    path(_PORTAL + "<int:pk>/document.pdf", views.portal_document_pdf, name="portal_document_pdf"),
    path(
        _PORTAL + "<int:pk>/regenerate/",
        views.portal_document_regenerate,
        name="portal_document_regenerate",
    ),
    path("staff/documents/", views.staff_template_list, name="staff_template_list"),
    path(
        "staff/documents/<str:kind>/<str:language>/",
        views.staff_template_edit,
        name="staff_template_edit",
    ),
]
