"""The events app's back office, one module per part (each registers its own models)."""

from twinning.events.admin import banquet, checkin, public, registration, summit

for part in (public, registration, checkin, summit, banquet):
    part.register()
