"""The committee admins' portal, under /portal/ (signed in; scoped to the members they run)."""

from django.urls import path

from twinning.network.views import portal, tokens

urlpatterns = [
    path("", portal.portal_home, name="portal_home"),
    # A dot cannot appear in a slug, so this never shadows a member's page.
    path("communities.json", portal.portal_community_search, name="portal_community_search"),
    path("<slug:slug>/", portal.portal_member, name="portal_member"),
    path("<slug:slug>/edit/", portal.portal_member_edit, name="portal_member_edit"),
    path("<slug:slug>/api-tokens/", tokens.portal_token_list, name="portal_token_list"),
    path(
        "<slug:slug>/api-tokens/<int:pk>/revoke/",
        tokens.portal_token_revoke,
        name="portal_token_revoke",
    ),
    path(
        "<slug:slug>/proposals/new/", portal.portal_proposal_create, name="portal_proposal_create"
    ),
    path(
        "<slug:slug>/partnerships/<int:pk>/status/",
        portal.portal_status_proposal,
        name="portal_status_proposal",
    ),
    path(
        "<slug:slug>/partnerships/<int:pk>/confirm/",
        portal.portal_partnership_confirm,
        name="portal_partnership_confirm",
    ),
]
