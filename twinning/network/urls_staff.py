"""Staff pages of the registry, under /staff/ (every view is `staff_required`)."""

from django.urls import path

from twinning.network.views import staff, tokens

urlpatterns = [
    path("", staff.staff_dashboard, name="staff_dashboard"),
    path("proposals/", staff.staff_proposal_list, name="staff_proposal_list"),
    path("proposals/<int:pk>/", staff.staff_proposal_detail, name="staff_proposal_detail"),
    path(
        "proposals/<int:pk>/approve/", staff.staff_proposal_approve, name="staff_proposal_approve"
    ),
    path(
        "proposals/<int:pk>/decline/", staff.staff_proposal_decline, name="staff_proposal_decline"
    ),
    path("api-tokens/", tokens.staff_token_list, name="staff_token_list"),
    path("api-tokens/<int:pk>/revoke/", tokens.staff_token_revoke, name="staff_token_revoke"),
    path("locations/", staff.staff_location_list, name="staff_location_list"),
    path("locations/<int:pk>/accept/", staff.staff_location_accept, name="staff_location_accept"),
    path("locations/<int:pk>/keep/", staff.staff_location_keep, name="staff_location_keep"),
    path("communities.json", staff.staff_community_search, name="staff_community_search"),
    path("partnerships/new/", staff.staff_partnership_create, name="staff_partnership_create"),
    path("partnerships/<int:pk>/", staff.staff_partnership_status, name="staff_partnership_status"),
    path(
        "partnerships/<int:pk>/confirm/",
        staff.staff_partnership_confirm,
        name="staff_partnership_confirm",
    ),
]
