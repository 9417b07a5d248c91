"""The Atom feed of the winners (`/awards/winners/feed/`): every public honour (announced
cycles and imported past years, never a cycle before its announcement), newest year first,
each entry linking to the winner's page with its category, year and community as Atom
categories."""

import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from twinning.awards.models import Honour
from twinning.core.models import Association

FEED_SIZE = 50


class WinnersFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Association:
        return Association.load()

    def title(self, association: Association) -> str:
        return _("%(association)s: Annual Awards winners") % {"association": association.name}

    def subtitle(self, association: Association) -> str:
        return _("Every winner and honourable mention of the Annual Awards, newest first.")

    def link(self) -> str:
        return reverse("awards:archive")

    def items(self) -> QuerySet[Honour]:
        return (
            Honour.objects.public()
            .select_related("cycle", "community__country")
            .order_by("-year", "-pk")[:FEED_SIZE]
        )

    def item_title(self, honour: Honour) -> str:
        who = honour.nominee_name or honour.committee
        return _("%(honour)s: %(who)s, %(community)s") % {
            "honour": honour.honour_text(),
            "who": who,
            "community": honour.community_name,
        }

    def item_description(self, honour: Honour) -> str:
        return linebreaks(honour.story or honour.title, autoescape=True)

    def item_categories(self, honour: Honour) -> list[str]:
        return [honour.category, str(honour.year), honour.community_name]

    def item_author_name(self, honour: Honour) -> str:
        return honour.committee

    def item_pubdate(self, honour: Honour) -> datetime.datetime:
        # Announced honours date from their announcement; imported ones from their import.
        if honour.cycle is not None and honour.cycle.announced_at is not None:
            return honour.cycle.announced_at
        return honour.created_at

    def item_updateddate(self, honour: Honour) -> datetime.datetime:
        return max(self.item_pubdate(honour), honour.updated_at)
