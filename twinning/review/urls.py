"""URLs of the review engine: the judges' queue and items under /review/, invitations, and the
round managers' pages under /review/rounds/."""

from django.urls import include, path, re_path

from twinning.review.views import invitations, judge, manage

app_name = "review"

rounds = [
    path("", manage.round_list, name="round_list"),
    path("<int:pk>/", manage.round_detail, name="round_detail"),
    path("<int:pk>/ranking/", manage.round_ranking, name="round_ranking"),
    path("<int:pk>/ranking.csv", manage.round_ranking_csv, name="round_ranking_csv"),
    path("<int:pk>/state/", manage.round_state, name="round_state"),
    path("<int:pk>/assign/", manage.round_assign, name="round_assign"),
    path("<int:pk>/advance/", manage.round_advance, name="round_advance"),
    path("<int:pk>/forward/", manage.items_forward, name="items_forward"),
    path("<int:pk>/reviewers/add/", manage.reviewer_add, name="reviewer_add"),
    path("<int:pk>/reviewers/invite/", manage.reviewer_invite, name="reviewer_invite"),
    path(
        "<int:pk>/reviewers/<int:reviewer_pk>/deactivate/",
        manage.reviewer_deactivate,
        name="reviewer_deactivate",
    ),
    path("<int:pk>/conflicts/", manage.conflict_declare, name="conflict_declare"),
    path("<int:pk>/items/<int:item_pk>/", manage.item_manage, name="item_manage"),
    path("<int:pk>/items/<int:item_pk>/decide/", manage.item_decide, name="item_decide"),
    path(
        "<int:pk>/assignments/<int:assignment_pk>/reassign/",
        manage.assignment_reassign,
        name="assignment_reassign",
    ),
    path(
        "<int:pk>/assignments/<int:assignment_pk>/revoke/",
        manage.assignment_revoke,
        name="assignment_revoke",
    ),
]

urlpatterns = [
    path("review/", judge.queue, name="queue"),
    path("review/invitations/accept/", invitations.invitation_accept, name="invitation_accept"),
    path("review/invitations/<str:token>/", invitations.invitation_open, name="invitation_open"),
    path("review/rounds/", include(rounds)),
    # Item codes: Crockford base32 (twinning.review.models.CODE_ALPHABET).
    re_path(r"^review/(?P<code>[0-9A-HJKMNP-TV-Z]{8,20})/$", judge.item_review, name="item_review"),
]
