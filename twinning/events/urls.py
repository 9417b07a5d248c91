"""URLs of the events app, one module per part (public pages and programme, registration,
check-in, the summit, the banquet), all in the `events` namespace."""

from twinning.events import urls_banquet, urls_checkin, urls_public, urls_registration, urls_summit

app_name = "events"
urlpatterns = (
    # Registration first: its fixed paths (/events/registration/…, /staff/events/registration/)
    # would otherwise be read as an event's slug by the public part's patterns.
    urls_registration.urlpatterns
    + urls_public.urlpatterns
    + urls_checkin.urlpatterns
    + urls_summit.urlpatterns
    + urls_banquet.urlpatterns
)
