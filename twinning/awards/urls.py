"""URLs of the awards: the public archive and confirmation links, the committees' pages, and
staff's pages under /awards/staff/."""

from django.urls import include, path
from django.views.decorators.http import require_safe

from twinning.awards.feeds import WinnersFeed
from twinning.awards.views import portal, public, staff

app_name = "awards"

staff_patterns = [
    path("", staff.cycle_list, name="staff_cycles"),
    path("import/", staff.archive_import, name="staff_import"),
    path("<int:year>/", staff.cycle_detail, name="staff_cycle"),
    path("<int:year>/announce/", staff.cycle_announce, name="staff_announce"),
    path("<int:year>/categories/new/", staff.category_new, name="staff_category_new"),
    path("<int:year>/<slug:slug>/", staff.category_detail, name="staff_category"),
    path("<int:year>/<slug:slug>/edit/", staff.category_edit, name="staff_category_edit"),
    path("<int:year>/<slug:slug>/judging/", staff.category_open_judging, name="staff_open_judging"),
    path("<int:year>/<slug:slug>/ranking/", staff.category_ranking, name="staff_ranking"),
    path(
        "<int:year>/<slug:slug>/ranking/<int:item>/decide/",
        staff.category_decide,
        name="staff_decide",
    ),
]

nomination_patterns = [
    path("", portal.nomination, name="nomination"),
    path("attach/", portal.nomination_attach, name="nomination_attach"),
    path(
        "attachments/<int:attachment>/remove/",
        portal.attachment_remove,
        name="attachment_remove",
    ),
    path("submit/", portal.nomination_submit, name="nomination_submit"),
    path("withdraw/", portal.nomination_withdraw, name="nomination_withdraw"),
    path("certificate.pdf", portal.certificate, name="certificate"),
]

urlpatterns = [
    path("awards/winners/", public.archive, name="archive"),
    path("awards/winners/feed/", require_safe(WinnersFeed()), name="winners_feed"),
    path("awards/winners/<int:pk>/", public.winner, name="winner"),
    path(
        "awards/winners/<int:pk>/photos/<int:photo>/<str:size>/",
        public.winner_photo,
        name="winner_photo",
    ),
    path("awards/confirm/<str:token>/", public.confirm, name="confirm"),
    path("awards/portal/<slug:member>/", portal.portal, name="portal"),
    path(
        "awards/portal/<slug:member>/categories/<int:category>/start/",
        portal.nomination_start,
        name="nomination_start",
    ),
    path("awards/nominate/", portal.nominate_other, name="nominate_other"),
    path("awards/nominations/<int:pk>/", include(nomination_patterns)),
    path("awards/files/<int:pk>/<str:size>/", portal.attachment, name="attachment"),
    path("awards/staff/", include(staff_patterns)),
]
