"""URLs of the events app: the awards banquet's staff pages (twinning/events/views/banquet.py),
all under /staff/events/<banquet slug>/banquet/, for verified staff only."""

from django.urls import path

from twinning.events.views import banquet as views

PREFIX = "staff/events/<slug:slug>/banquet/"

urlpatterns = [
    path(PREFIX, views.banquet, name="banquet"),
    path(f"{PREFIX}tables/", views.banquet_tables_add, name="banquet_tables_add"),
    path(f"{PREFIX}tables/<int:table>/", views.banquet_table, name="banquet_table"),
    path(
        f"{PREFIX}tables/<int:table>/remove/",
        views.banquet_table_remove,
        name="banquet_table_remove",
    ),
    path(f"{PREFIX}seat/", views.banquet_seat, name="banquet_seat"),
    path(f"{PREFIX}move/", views.banquet_move, name="banquet_move"),
    path(f"{PREFIX}swap/", views.banquet_swap, name="banquet_swap"),
    path(f"{PREFIX}guests/<int:attendee>/unseat/", views.banquet_unseat, name="banquet_unseat"),
    path(f"{PREFIX}honorees/", views.banquet_honorees, name="banquet_honorees"),
    path(
        f"{PREFIX}honorees/<int:honoree>/move/",
        views.banquet_honoree_move,
        name="banquet_honoree_move",
    ),
    path(
        f"{PREFIX}honorees/<int:honoree>/remove/",
        views.banquet_honoree_remove,
        name="banquet_honoree_remove",
    ),
    path(f"{PREFIX}run-of-show/", views.banquet_run_of_show, name="banquet_run_of_show"),
    path(
        f"{PREFIX}run-of-show/presentations/",
        views.banquet_presentations,
        name="banquet_presentations",
    ),
    path(
        f"{PREFIX}run-of-show/<int:item>/move/",
        views.banquet_run_of_show_move,
        name="banquet_run_of_show_move",
    ),
    path(
        f"{PREFIX}run-of-show/<int:item>/remove/",
        views.banquet_run_of_show_remove,
        name="banquet_run_of_show_remove",
    ),
    path(
        f"{PREFIX}run-of-show/print/",
        views.banquet_run_of_show_print,
        name="banquet_run_of_show_print",
    ),
    path(f"{PREFIX}chart/", views.banquet_chart, name="banquet_chart"),
    path(f"{PREFIX}chart.pdf", views.banquet_chart_pdf, name="banquet_chart_pdf"),
    path(f"{PREFIX}find-your-table/", views.banquet_find_table, name="banquet_find_table"),
    path(f"{PREFIX}place-cards.pdf", views.banquet_place_cards, name="banquet_place_cards"),
]
