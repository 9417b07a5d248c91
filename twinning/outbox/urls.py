"""URLs of the outbox: staff pages under /staff/outbox/, the public unsubscribe link."""

from django.urls import path

from twinning.outbox import views

app_name = "outbox"
urlpatterns = [
    path("staff/outbox/", views.staff_message_list, name="staff_message_list"),
    path("staff/outbox/bulk/", views.staff_message_bulk, name="staff_message_bulk"),
    path("staff/outbox/<int:pk>/", views.staff_message_detail, name="staff_message_detail"),
    path("staff/outbox/<int:pk>/send/", views.staff_message_release, name="staff_message_release"),
    path(
        "staff/outbox/<int:pk>/discard/",
        views.staff_message_discard,
        name="staff_message_discard",
    ),
    path("staff/outbox/templates/", views.staff_template_list, name="staff_template_list"),
    path(
        "staff/outbox/templates/<str:key>/<str:language>/",
        views.staff_template_edit,
        name="staff_template_edit",
    ),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
