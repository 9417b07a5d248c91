"""Every service checks its actor (issue 7; ACC-2, ACC-3, AUTH-8): each public function with a
`by` parameter in every `twinning/<app>/services*` module (or package) is called here by actors
who may not use it, with real objects, and must raise NotAllowed and change nothing (no row written,
updated or deleted, no audit entry, no e-mail queued).

The actors: an anonymous visitor, a signed-in user with no role, and staff signed in with a
password only (no second factor: verified staff fails closed). A service added without an
entry in CASES (or, with a reason, in EXEMPT) fails `test_every_service_with_an_actor_is_listed`,
so none is skipped silently."""

import datetime
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.utils import timezone

import twinning
from tests.activities.matrix import tiny_png
from tests.awards.helpers import ACTOR_CASES as AWARDS_CASES
from tests.awards.helpers import actor_world as awards_actor_world
from tests.documents.actor_helpers import ACTOR_CASES as DOCUMENTS_CASES
from tests.documents.actor_helpers import actor_world as documents_actor_world
from tests.events.banquet_helpers import ACTOR_CASES as BANQUET_CASES
from tests.events.banquet_helpers import actor_world as banquet_actor_world
from tests.events.matrix import build_world as events_world
from tests.events.public_helpers import actor_world as public_world
from tests.events.registration_helpers import actor_objects as reg
from tests.events.summit_apply_helpers import actor_objects as summit_apply
from tests.events.summit_helpers import actor_objects as summit_objects
from tests.exchanges.actor_helpers import ACTOR_CASES as EXCHANGES_CASES
from tests.exchanges.actor_helpers import ONLY_ACTORS as EXCHANGES_ONLY_ACTORS
from tests.exchanges.helpers import build as exchanges_world
from tests.factories import ApiTokenFactory, CommunityFactory, PartnershipFactory, UserFactory
from tests.factories.members import MembershipFactory, MembershipTypeFactory
from tests.grants.actor_helpers import ACTOR_CASES as GRANTS_CASES
from tests.grants.actor_helpers import actor_world as grants_actor_world
from tests.library.actor_helpers import ACTOR_CASES as LIBRARY_CASES
from tests.library.actor_helpers import actor_world as library_actor_world
from tests.matchmaking.actor_helpers import ACTOR_CASES as MATCHMAKING_CASES
from tests.matchmaking.actor_helpers import actor_world as matchmaking_actor_world
from tests.members.matrix import build_world as members_world
from tests.outbox.matrix import MATRIX_TEMPLATE
from tests.outbox.matrix import build_world as outbox_world
from tests.relief.actor_helpers import ACTOR_CASES as RELIEF_CASES
from tests.relief.actor_helpers import actor_world as relief_actor_world
from tests.review.matrix import build_world as review_world
from tests.review.reviewable import Study
from tests.showcase.conftest import consent_for, make_edition, make_student
from twinning.activities.models import Activity, ItineraryStop, Photo, Traveller
from twinning.core.authz import SYSTEM, NotAllowed
from twinning.core.models import Association
from twinning.events.models import Event
from twinning.members.models import CheckoutSession, CoAdminInvitation, Invoice, Membership
from twinning.members.payments import CheckoutResult
from twinning.network.models import ApiToken, Community, Member, Partnership, PartnershipProposal
from twinning.outbox.models import OutboxMessage
from twinning.review.models import ReviewItem, Round
from twinning.review.services import add_items, add_reviewer, assign_by_hand
from twinning.showcase.models import Booking, ExhibitWork
from twinning.showcase.services import create_entry

# --- Discovery -------------------------------------------------------------------------------


def _service_modules() -> list[Any]:
    """Every `twinning.<app>.services*` module, and the modules of a `services` package."""
    found = []
    for info in pkgutil.walk_packages(twinning.__path__, "twinning."):
        parts = info.name.split(".")
        if len(parts) >= 3 and parts[2].startswith("services"):
            found.append(importlib.import_module(info.name))
    return found


def _services_with_actor() -> dict[str, Callable[..., Any]]:
    """ "<app>.<module>.<function>" -> function, for each public function defined in a
    services module that takes `by`."""
    services = {}
    for module in _service_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            if "by" in inspect.signature(function).parameters:
                services[f"{module.__name__.removeprefix('twinning.')}.{name}"] = function
    return services


# --- The objects the services are called on ------------------------------------------------


class World:
    """The route matrix's objects (each app's `build_world`), fetched as model instances,
    plus what those leave out (a reviewer with an assignment, a checkout...)."""

    def __init__(self, base: dict[str, Any]) -> None:
        self.base = base
        self.member = Member.objects.get(slug=base["member"])
        self.admin = self.member.admins.get()
        self.springfield = Community.objects.get(slug=base["springfield"])
        self.partnership = Partnership.objects.get(pk=base["partnership"])
        self.proposal = PartnershipProposal.objects.get(pk=base["proposal"])
        self.flagged = Community.objects.get(pk=base["flagged"])
        self.token = ApiToken.objects.get(pk=base["token"])
        self.activity = Activity.objects.get(pk=base["activity"])
        self.delegation = Activity.objects.get(pk=base["delegation"])
        self.photo = Photo.objects.get(pk=base["photo"])
        self.traveller = Traveller.objects.get(pk=base["traveller"])
        self.stop = ItineraryStop.objects.get(pk=base["stop"])
        self.membership = Membership.objects.get(pk=base["membership"])
        self.application = Membership.objects.get(pk=base["application"])
        self.invoice = Invoice.objects.get(number=base["invoice"])
        self.invitation = CoAdminInvitation.objects.get(pk=base["invitation"])
        self.membership_type = MembershipTypeFactory()
        self.message = OutboxMessage.objects.get(pk=base["outbox_message"])
        self.round = Round.objects.get(pk=base["review_round"])
        self.local_round = Round.objects.get(pk=base["local_round"])
        self.item = ReviewItem.objects.get(pk=base["review_item"])
        self.judge = UserFactory()
        self.reviewer = add_reviewer(round=self.round, user=self.judge, by=SYSTEM)
        self.other_reviewer = add_reviewer(round=self.round, user=UserFactory(), by=SYSTEM)
        self.assignment = assign_by_hand(item=self.item, reviewer=self.reviewer, by=SYSTEM)
        self.local_item = add_items(round=self.local_round, objects=[study()], by=SYSTEM)[0]
        self._showcase()
        self.checkout = CheckoutSession.objects.create(
            invoice=self.invoice,
            provider="stripe",
            external_id="cs_test_actor",
            amount=Decimal("300.00"),
            currency=self.invoice.currency,
        )
        self.victim = UserFactory(email="victim@example.org")
        self.banquet = banquet_actor_world()
        self.exchanges = exchanges_world(self.member.slug, slug="actor-season")
        self.grants = grants_actor_world()
        self.awards = awards_actor_world()
        self.library = library_actor_world()
        self.documents = documents_actor_world(self.member, self.partnership)
        self.matchmaking = matchmaking_actor_world(self.springfield)
        self.relief = relief_actor_world()

    def _showcase(self) -> None:
        """An open edition with a consented student's draft entry, shown in the exhibit and
        booked (the check comes first, so the rows need not be the outcome of judging)."""
        today = timezone.localdate()
        MembershipFactory(
            member=self.member,
            start=today - datetime.timedelta(days=100),
            end=today + datetime.timedelta(days=200),
        )
        PartnershipFactory(
            community_a=self.springfield,
            community_b=CommunityFactory(),
            status=Partnership.Status.ACTIVE,
        )
        self.edition = make_edition(slug="actor-edition")
        self.student = make_student(self.edition, self.springfield)
        consent_for(self.student)
        self.entry = create_entry(
            student=self.student,
            category=self.edition.categories.get(slug="poetry"),
            title="A poem",
            by=self.student.user,
        )
        self.work = ExhibitWork.objects.create(
            edition=self.edition, entry=self.entry, outcome="finalist"
        )
        self.booking = Booking.objects.create(
            edition=self.edition, member=self.member, month=today.replace(day=1)
        )


def study() -> Study:
    return Study.objects.get(pk=CommunityFactory().pk)


def png(name: str = "p.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_png(), "image/png")


def _tomorrow() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=1)


Args = Callable[[World], dict[str, Any]]

# "<app>.<module>.<function>" -> the arguments (besides `by`) of a call that only the actor
# check stands between and a change. Actors refused: ACTORS unless listed in ONLY_ACTORS.
CASES: dict[str, Args] = {
    # accounts
    "accounts.services.update_profile": lambda w: {
        "user": w.victim,
        "full_name": "Changed",
        "language": "fr",
    },
    "accounts.services.confirm_totp_device": lambda w: {
        "user": w.victim,
        "key": "3132333435363738393031323334353637383930",
        "token": "123456",
    },
    # core
    "core.services.update_association": lambda w: {
        "association": Association.load(),
        "name": "Hijacked",
    },
    # activities
    "activities.services.create_activity": lambda w: {
        "member": w.member,
        "partnerships": [w.partnership],
        "title": "Not mine",
        "kind": "festival",
        "start_date": datetime.date(2025, 5, 1),
        "end_date": datetime.date(2025, 5, 2),
    },
    "activities.services.update_activity": lambda w: {"activity": w.activity, "title": "X"},
    "activities.services.submit_activity": lambda w: {"activity": w.activity},
    "activities.services.request_changes": lambda w: {"activity": w.activity, "message": "No"},
    "activities.services.verify_activity": lambda w: {"activity": w.activity},
    "activities.services.add_traveller": lambda w: {
        "activity": w.delegation,
        "name": "Eve",
        "role": "head",
    },
    "activities.services.remove_traveller": lambda w: {"traveller": w.traveller},
    "activities.services.add_itinerary_stop": lambda w: {
        "activity": w.delegation,
        "date": w.delegation.start_date,
        "place": "Hall",
        "purpose": "Visit",
    },
    "activities.services.remove_itinerary_stop": lambda w: {"stop": w.stop},
    "activities.services.add_photo": lambda w: {
        "activity": w.activity,
        "upload": png(),
        "caption": "A stage",
    },
    "activities.services.remove_photo": lambda w: {"photo": w.photo},
    "activities.services.request_invitation_letters": lambda w: {"activity": w.delegation},
    "activities.services.request_annual_report": lambda w: {"year": 2024},
    # events
    "events.services.checkin.check_in_attendee": lambda w: {
        "event": Event.objects.get(slug=w.base["checkin_event"]),
        "code": w.base["checkin_code"],
    },
    "events.services.checkin.merge_offline_scans": lambda w: {
        "event": Event.objects.get(slug=w.base["checkin_event"]),
        "data": f"code,scanned_at\n{w.base['checkin_code']},2026-01-01T09:00:00Z\n".encode(),
    },
    # members
    "members.services.admins.invite_coadmin": lambda w: {
        "member": w.member,
        "email": "intruder@example.org",
    },
    "members.services.admins.withdraw_invitation": lambda w: {"invitation": w.invitation},
    "members.services.admins.remove_coadmin": lambda w: {"member": w.member, "user": w.admin},
    "members.services.checkout.start_checkout": lambda w: {
        "invoice": w.invoice,
        "provider": "stripe",
        "success_url": "https://example.org/ok",
        "cancel_url": "https://example.org/cancel",
    },
    "members.services.checkout.record_checkout": lambda w: {
        "provider": "stripe",
        "result": CheckoutResult(
            external_id="cs_test_actor",
            status="complete",
            paid=True,
            amount_minor=30000,
            currency=w.invoice.currency,
            reference="pi_test",
        ),
    },
    "members.services.invoices.issue_invoice": lambda w: {
        "member": w.member,
        "lines": [("Dues", 1, "10.00")],
    },
    "members.services.invoices.invoice_membership": lambda w: {"membership": w.membership},
    "members.services.invoices.credit_invoice": lambda w: {"invoice": w.invoice, "reason": "x"},
    "members.services.invoices.record_payment": lambda w: {
        "invoice": w.invoice,
        "amount": "10.00",
        "method": "cheque",
        "received_on": w.invoice.issued_on,
    },
    "members.services.mailings.send_bulk_mailing": lambda w: {
        "subject": "Hello",
        "body": "News",
        "segment": {},
    },
    "members.services.memberships.apply_for_membership": lambda w: {
        "member": w.member,
        "membership_type": w.membership_type,
        "communities": [w.springfield],
    },
    "members.services.memberships.join_association": lambda w: {
        "name": "Ghost committee",
        "kind": Member.Kind.COMMITTEE,
        "communities": [CommunityFactory()],
        "membership_type": w.membership_type,
    },
    "members.services.memberships.approve_membership": lambda w: {"membership": w.application},
    "members.services.memberships.decline_membership": lambda w: {
        "membership": w.application,
        "message": "No",
    },
    "members.services.memberships.cancel_membership": lambda w: {
        "membership": w.membership,
        "on": timezone.localdate(),
        "reason": "Gone",
    },
    "members.services.memberships.override_status": lambda w: {
        "membership": w.membership,
        "status": "current",
        "reason": "Because",
        "until": None,
    },
    "members.services.memberships.set_auto_renew": lambda w: {
        "membership": w.membership,
        "auto_renew": True,
    },
    "members.services.memberships.create_renewal": lambda w: {"membership": w.membership},
    "members.services.regions.save_association_region": lambda w: {
        "name": "Southeast",
        "country": w.springfield.country,
        "subdivisions": ["Georgia"],
    },
    # network
    "network.services.create_community": lambda w: {
        "name": "Nowhere",
        "country": w.springfield.country,
    },
    "network.services.record_partnership": lambda w: {
        "community": w.springfield,
        "partner": CommunityFactory(),
    },
    "network.services.change_partnership_status": lambda w: {
        "partnership": w.partnership,
        "status": Partnership.Status.DORMANT,
    },
    "network.services.confirm_partnership": lambda w: {
        "partnership": w.partnership,
        "side": w.partnership.community_a,
    },
    "network.services.propose_partnership": lambda w: {
        "member": w.member,
        "community": w.springfield,
        "partner": CommunityFactory(),
    },
    "network.services.approve_proposal": lambda w: {"proposal": w.proposal},
    "network.services.decline_proposal": lambda w: {"proposal": w.proposal, "message": "No"},
    "network.services.create_member": lambda w: {"name": "Ghost", "communities": [w.springfield]},
    "network.services.update_member_profile": lambda w: {"member": w.member, "website": ""},
    "network.services.add_committee_admin": lambda w: {"member": w.member, "user": w.victim},
    "network.services.remove_committee_admin": lambda w: {"member": w.member, "user": w.admin},
    "network.services.accept_suggested_location": lambda w: {"community": w.flagged},
    "network.services.dismiss_location_flag": lambda w: {"community": w.flagged},
    "network.services.add_officer": lambda w: {
        "member": w.member,
        "name": "Eve",
        "position": "chair",
    },
    "network.services.add_contact": lambda w: {"member": w.member, "name": "Eve", "role": "press"},
    "network.services.create_api_token": lambda w: {
        "name": "Mine now",
        "scopes": ["read"],
        "expires_at": _tomorrow(),
        "member": w.member,
    },
    "network.services.revoke_api_token": lambda w: {"token": w.token},
    # events: public pages and programme (objects: tests/events/public_helpers.actor_world)
    "events.services.events.create_event": lambda w: {
        "kind": "conference",
        "title": "Rogue conference",
        "starts_at": _tomorrow(),
        "ends_at": _tomorrow(),
    },
    "events.services.events.update_event": lambda w: {
        "event": public_world(w)["event"],
        "title": "Hijacked",
    },
    "events.services.events.publish_event": lambda w: {"event": public_world(w)["event"]},
    "events.services.events.unpublish_event": lambda w: {"event": public_world(w)["event"]},
    "events.services.programme.save_track": lambda w: {
        "event": public_world(w)["event"],
        "name": "Rogue track",
    },
    "events.services.programme.save_room": lambda w: {
        "event": public_world(w)["event"],
        "name": "Rogue room",
    },
    "events.services.programme.create_speaker": lambda w: {
        "event": public_world(w)["event"],
        "name": "Eve",
        "photo": png(),
    },
    "events.services.programme.update_speaker": lambda w: {
        "speaker": public_world(w)["ada"],
        "name": "Eve",
        "remove_photo": True,
    },
    "events.services.programme.create_session": lambda w: {
        "event": public_world(w)["event"],
        "title": "Rogue session",
        "starts_at": public_world(w)["opening"].starts_at,
        "ends_at": public_world(w)["opening"].ends_at,
    },
    "events.services.programme.update_session": lambda w: {
        "session": public_world(w)["opening"],
        "title": "Hijacked",
    },
    "events.services.programme.cancel_session": lambda w: {"session": public_world(w)["opening"]},
    "events.services.programme.publish_programme": lambda w: {"event": public_world(w)["webinar"]},
    "events.services.programme.add_to_agenda": lambda w: {"session": public_world(w)["opening"]},
    "events.services.programme.remove_from_agenda": lambda w: {
        "session": public_world(w)["opening"]
    },
    "events.services.programme.reset_calendar_token": lambda w: {},
    "events.services.webinars.set_recording": lambda w: {
        "event": public_world(w)["webinar"],
        "url": "https://evil.example/",
        "public": True,
    },
    "events.services.webinars.import_attendance": lambda w: {
        "event": public_world(w)["webinar"],
        "data": b"email,join time,leave time\n",
    },
    "events.services.webinars.certificate_pdf": lambda w: {"attendee": public_world(w)["attendee"]},
    # outbox
    "outbox.services.edit_message": lambda w: {
        "message": w.message,
        "subject": "Changed",
        "body": "Changed",
    },
    "outbox.services.release_messages": lambda w: {"messages": [w.message]},
    "outbox.services.discard_messages": lambda w: {"messages": [w.message]},
    "outbox.services.discard_message": lambda w: {"message": w.message},
    "outbox.services.save_template_override": lambda w: {
        "key": MATRIX_TEMPLATE,
        "language": "en",
        "subject": "Changed",
        "body": "Changed",
    },
    "outbox.services.delete_template_override": lambda w: {
        "key": MATRIX_TEMPLATE,
        "language": "en",
    },
    "outbox.services.unsubscribe": lambda w: {"email": w.message.to},
    # review
    "review.services.rounds.create_round": lambda w: {
        "name": "Rogue round",
        "model": Study,
        "opens_at": timezone.now(),
        "closes_at": _tomorrow(),
    },
    "review.services.rounds.change_round_state": lambda w: {"round": w.round, "state": "open"},
    "review.services.rounds.reschedule_round": lambda w: {
        "round": w.round,
        "opens_at": timezone.now(),
        "closes_at": _tomorrow() + datetime.timedelta(days=30),
    },
    "review.services.items.add_items": lambda w: {"round": w.round, "objects": [study()]},
    "review.services.reviewers.add_reviewer": lambda w: {"round": w.round, "user": w.victim},
    "review.services.reviewers.deactivate_reviewer": lambda w: {"reviewer": w.reviewer},
    "review.services.reviewers.invite_reviewer": lambda w: {
        "round": w.round,
        "email": "x@example.org",
    },
    "review.services.reviewers.accept_invitation": lambda w: {
        "token": "not-a-real-invitation-token"
    },
    "review.services.assignments.assign_reviews": lambda w: {"round": w.round},
    "review.services.assignments.assign_by_hand": lambda w: {
        "item": w.item,
        "reviewer": w.other_reviewer,
    },
    "review.services.assignments.reassign": lambda w: {
        "assignment": w.assignment,
        "reviewer": w.other_reviewer,
    },
    "review.services.assignments.revoke_assignment": lambda w: {"assignment": w.assignment},
    "review.services.assignments.declare_conflict": lambda w: {
        "reviewer": w.reviewer,
        "item": w.item,
    },
    "review.services.scores.save_scores": lambda w: {
        "assignment": w.assignment,
        "scores": {},
        "submit": False,
        "version": w.assignment.version,
    },
    "review.services.decisions.record_decision": lambda w: {"item": w.item, "outcome": "finalist"},
    "review.services.forwarding.forward_items": lambda w: {
        "items": [w.local_item],
        "to_round": w.round,
    },
    "review.services.forwarding.advance_top": lambda w: {
        "round": w.local_round,
        "n": 1,
        "to_round": w.round,
    },
    # showcase
    "showcase.services.editions.create_edition": lambda w: {
        "year": 2099,
        "theme": "Rogue",
        "opens_at": timezone.now(),
        "closes_at": _tomorrow(),
        "cutoff_date": timezone.localdate(),
    },
    "showcase.services.editions.update_edition": lambda w: {
        "edition": w.edition,
        "theme": "Changed",
    },
    "showcase.services.registration.register_student": lambda w: {
        "edition": w.edition,
        "first_name": "Eve",
        "last_name": "Victim",
        "date_of_birth": datetime.date(2000, 1, 1),
        "community": w.springfield,
        "user": w.victim,
    },
    "showcase.services.consent.request_guardian_consent": lambda w: {"student": w.student},
    "showcase.services.consent.record_adult_consent": lambda w: {
        "student": w.student,
        "publication": True,
    },
    "showcase.services.consent.withdraw_consent": lambda w: {
        "student": w.student,
        "scope": "publication",
    },
    "showcase.services.consent.give_publication_consent": lambda w: {"student": w.student},
    "youth.services.find_or_create_person": lambda w: {
        "user": w.victim,
        "first_name": "Eve",
        "last_name": "Victim",
        "date_of_birth": datetime.date(2011, 1, 1),
        "community": w.springfield,
        "guardian_email": "eve.guardian@example.net",
    },
    "youth.services.request_consent": lambda w: {"person": w.student, "program": "showcase"},
    "youth.services.record_own_consent": lambda w: {
        "person": w.student,
        "program": "showcase",
        "granted": {"participation", "publication"},
    },
    "youth.services.withdraw_consent": lambda w: {
        "person": w.student,
        "program": "showcase",
        "scope": "participation",
    },
    "showcase.services.entries.create_entry": lambda w: {
        "student": w.student,
        "category": w.edition.categories.get(slug="poetry"),
        "title": "Not mine",
    },
    "showcase.services.entries.update_entry": lambda w: {"entry": w.entry, "title": "Changed"},
    "showcase.services.entries.attach_work": lambda w: {"entry": w.entry, "upload": png()},
    "showcase.services.entries.submit_entry": lambda w: {"entry": w.entry},
    "showcase.services.entries.withdraw_entry": lambda w: {"entry": w.entry},
    "showcase.services.entries.approve_entry": lambda w: {"entry": w.entry},
    "showcase.services.entries.revoke_approval": lambda w: {"entry": w.entry},
    "showcase.services.media.prepare_work_again": lambda w: {"entry": w.entry},
    "showcase.services.judging.ensure_national_round": lambda w: {"edition": w.edition},
    "showcase.services.judging.create_local_round": lambda w: {
        "edition": w.edition,
        "member": w.member,
    },
    "showcase.services.judging.open_judging": lambda w: {"edition": w.edition},
    "showcase.services.judging.decide_entry": lambda w: {
        "edition": w.edition,
        "item": w.item,
        "outcome": "finalist",
        "place": None,
    },
    "showcase.services.results.publish_results": lambda w: {"edition": w.edition},
    "showcase.services.results.set_work_indexing": lambda w: {"work": w.work, "indexable": True},
    "showcase.services.exhibit.book_exhibit": lambda w: {
        "edition": w.edition,
        "member": w.member,
        "month": timezone.localdate() + datetime.timedelta(days=62),
    },
    "showcase.services.exhibit.cancel_booking": lambda w: {"booking": w.booking},
    # events: the Youth Leadership Summit
    "events.services.summit.add_chaperone": lambda w: {
        "event": summit_objects(w)["summit"],
        "user": summit_objects(w)["user"],
        "role": "nurse",
    },
    "events.services.summit.record_background_check": lambda w: {
        "chaperone": summit_objects(w)["chaperone"],
        "checked_on": datetime.date(2020, 1, 1),
    },
    "events.services.summit.remove_chaperone": lambda w: {
        "chaperone": summit_objects(w)["chaperone"]
    },
    "events.services.summit.read_summit_details": lambda w: {
        "event": summit_objects(w)["summit"],
        "attendee": summit_objects(w)["student"],
    },
    "events.services.summit.update_summit_details": lambda w: {
        "event": summit_objects(w)["summit"],
        "attendee": summit_objects(w)["student"],
        "medical_notes": "Changed",
    },
    "events.services.summit.add_room": lambda w: {
        "event": summit_objects(w)["summit"],
        "name": "R2",
        "beds": 2,
        "gender": "male",
        "adults_only": False,
    },
    "events.services.summit.assign_rooms": lambda w: {"event": summit_objects(w)["summit"]},
    "events.services.summit.move_to_room": lambda w: {
        "event": summit_objects(w)["summit"],
        "attendee": summit_objects(w)["student"],
        "room": summit_objects(w)["room"],
    },
    "events.services.summit.add_team": lambda w: {
        "event": summit_objects(w)["summit"],
        "kind": "diplomacy",
        "name": "T2",
    },
    "events.services.summit.assign_teams": lambda w: {
        "event": summit_objects(w)["summit"],
        "kind": "service",
    },
    "events.services.summit.move_to_team": lambda w: {
        "event": summit_objects(w)["summit"],
        "attendee": summit_objects(w)["student"],
        "team": summit_objects(w)["team"],
    },
    # events: registration
    "events.services.registration.register_for_event": lambda w: {
        "event": reg(w)["event"],
        "ticket": reg(w)["ticket"],
        "first_name": "X",
        "last_name": "Y",
        "email": "x@example.org",
    },
    "events.services.registration.change_attendee_name": lambda w: {
        "attendee": reg(w)["attendee"],
        "first_name": "X",
        "last_name": "Y",
    },
    "events.services.registration.cancel_attendee": lambda w: {"attendee": reg(w)["attendee"]},
    "events.services.registration.cancel_order": lambda w: {"order": reg(w)["order"]},
    "events.services.moderation.approve_attendee": lambda w: {"attendee": reg(w)["applied"]},
    "events.services.moderation.decline_attendee": lambda w: {
        "attendee": reg(w)["applied"],
        "message": "No",
    },
    "events.services.moderation.waitlist_attendee": lambda w: {"attendee": reg(w)["applied"]},
    "events.services.staff_settings.change_capacity": lambda w: {
        "event": reg(w)["event"],
        "capacity": 60,
    },
    "events.services.staff_settings.save_ticket": lambda w: {
        "event": reg(w)["event"],
        "name": "Free for all",
    },
    "events.services.staff_settings.save_question": lambda w: {
        "event": reg(w)["event"],
        "question": reg(w)["question"],
        "label": "Changed",
    },
    "events.services.waitlist.offer_free_seats": lambda w: {"event": reg(w)["event"]},
    "events.services.waitlist.join_waiting_list": lambda w: {
        "event": reg(w)["event"],
        "party_size": 1,
        "name": "X",
        "email": "x@example.org",
    },
    "events.services.waitlist.accept_offer": lambda w: {
        "token": "not-a-real-offer-token",
        "people": [("X", "Y")],
    },
    "events.services.waitlist.decline_offer": lambda w: {"token": "not-a-real-offer-token"},
    "events.services.waitlist.leave_waiting_list": lambda w: {"entry": reg(w)["entry"]},
    "events.services.waitlist.expire_offers": lambda w: {},
    "events.services.delegations.register_delegation": lambda w: {
        "event": reg(w)["event"],
        "member": w.member,
        "people": [],
        "email": "x@example.org",
    },
    "events.services.delegations.resend_details_link": lambda w: {"attendee": reg(w)["attendee"]},
    "events.services.delegations.complete_attendee_details": lambda w: {
        "token": "not-a-real-details-token",
        "details": {"first_name": "X"},
    },
    # events: the summit's application with the guardian's consent
    "events.services.summit_apply.apply_to_summit": lambda w: {
        "event": summit_apply(w)["summit"],
        "ticket": summit_apply(w)["ticket"],
        "first_name": "X",
        "last_name": "Y",
        "date_of_birth": datetime.date(2011, 1, 1),
        "community": None,
        "guardian_email": "guardian.x@example.org",
        "emergency_contacts": "Z",
    },
    "events.services.summit_apply.resend_guardian_link": lambda w: {
        "application": summit_apply(w)["application"]
    },
    "events.services.summit_apply.withdraw_summit_consent": lambda w: {
        "person": summit_apply(w)["person"],
        "scope": "participation",
    },
}

CASES.update(BANQUET_CASES)
CASES.update(EXCHANGES_CASES)
CASES.update(GRANTS_CASES)
CASES.update(AWARDS_CASES)
CASES.update(LIBRARY_CASES)
CASES.update(DOCUMENTS_CASES)
CASES.update(MATCHMAKING_CASES)
CASES.update(RELIEF_CASES)

# Services that take `by` only to record it, with the reason they check no actor.
EXEMPT = {
    "core.services.log_activity": "writes the audit entry of the service that called it",
    "core.services.log_activities": "writes the audit entries of the service that called it",
    "outbox.services.queue_email": (
        "queues the e-mail of the service that called it (after that service's check); "
        "`by` is recorded as the message's author"
    ),
}

ACTORS = ("anonymous", "signed_in", "staff_without_second_factor")
# Services some of these actors may use: joining the association is open to anyone signed in.
ONLY_ACTORS = {
    "members.services.memberships.join_association": ("anonymous",),
    # Registering and joining a waiting list are open to anyone signed in.
    "events.services.registration.register_for_event": ("anonymous",),
    "events.services.waitlist.join_waiting_list": ("anonymous",),
    # Anyone signed in keeps their own agenda and calendar link.
    "events.services.programme.add_to_agenda": ("anonymous",),
    "events.services.programme.remove_from_agenda": ("anonymous",),
    "events.services.programme.reset_calendar_token": ("anonymous",),
    # A student applies to the summit while signed in.
    "events.services.summit_apply.apply_to_summit": ("anonymous",),
    **EXCHANGES_ONLY_ACTORS,
}


def _actor(kind: str) -> Any:
    if kind == "anonymous":
        return AnonymousUser()
    if kind == "signed_in":
        return UserFactory(email="nobody@example.org")
    return UserFactory(email="password-only@example.org", is_staff=True)


def _rows(value: Any) -> list[models.Model]:
    if isinstance(value, models.Model):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, models.Model)]
    return []


def _state(kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """How many rows each table holds, and the stored values of the objects passed in."""
    tables = sorted({model._meta.db_table for model in apps.get_models() if model._meta.managed})
    count = "(SELECT COUNT(*) FROM {})"  # table names from the models, quoted
    counted = ", ".join(count.format(connection.ops.quote_name(t)) for t in tables)
    with connection.cursor() as cursor:  # one query for every table
        cursor.execute(f"SELECT {counted}")
        counts = cursor.fetchone()
    stored = tuple(
        type(obj)._default_manager.filter(pk=obj.pk).values().first()
        for value in kwargs.values()
        for obj in _rows(value)
        if not isinstance(obj, ContentType)
    )
    return counts, stored


# --- Tests -----------------------------------------------------------------------------------


def test_every_service_with_an_actor_is_listed():
    services = set(_services_with_actor())

    assert sorted(services - set(CASES) - set(EXEMPT)) == []  # add it to CASES (or EXEMPT)
    assert sorted((set(CASES) | set(EXEMPT)) - services) == []  # gone or renamed
    assert set(CASES).isdisjoint(EXEMPT)


def _activities(member: Member, admin: Any, partnership_pk: int) -> dict[str, Any]:
    """A draft report with a photo row, and a delegation with a traveller and a stop (no
    image processed, no letter built: the actor check comes before either)."""
    from twinning.activities import services

    partnership = Partnership.objects.get(pk=partnership_pk)
    dates = {"start_date": datetime.date(2025, 5, 1), "end_date": datetime.date(2025, 5, 4)}
    activity = services.create_activity(
        member=member, partnerships=[partnership], by=admin, title="R", kind="festival", **dates
    )
    photo = Photo.objects.create(
        activity=activity, display_file="x.webp", thumb_file="t.webp", caption="A stage"
    )
    delegation = services.create_activity(
        member=member,
        partnerships=[partnership],
        by=admin,
        title="Delegation",
        kind="trade_delegation",
        is_delegation=True,
        **dates,
    )
    traveller = services.add_traveller(activity=delegation, name="Ana", role="head", by=admin)
    stop = services.add_itinerary_stop(
        activity=delegation, date=dates["start_date"], place="Hall", purpose="Visit", by=admin
    )
    return {
        "activity": activity.pk,
        "photo": photo.pk,
        "delegation": delegation.pk,
        "traveller": traveller.pk,
        "stop": stop.pk,
    }


@pytest.fixture
def world(springfield, springfield_member, committee_admin_user) -> World:
    ContentType.objects.clear_cache()  # the test-only Study's row is made per test
    partner = CommunityFactory(name="Kragujevac")
    pair = sorted([springfield, partner], key=lambda c: c.pk)
    base: dict[str, Any] = {
        "springfield": springfield.slug,
        "member": springfield_member.slug,
        "partnership": PartnershipFactory(community_a=pair[0], community_b=pair[1]).pk,
        "proposal": PartnershipProposal.objects.create(
            member=springfield_member,
            action="new",
            community=springfield,
            partner=CommunityFactory(),
            proposed_by=committee_admin_user,
        ).pk,
        "flagged": CommunityFactory(
            location_status=Community.LocationStatus.OUTSIDE_COUNTRY,
            suggested_latitude=1.0,
            suggested_longitude=2.0,
        ).pk,
        "token": ApiTokenFactory(member=springfield_member, owner=committee_admin_user).pk,
    }
    base.update(_activities(springfield_member, committee_admin_user, base["partnership"]))
    for build in (members_world, outbox_world, review_world, events_world):
        base.update(build(base))
    return World(base)


@pytest.mark.django_db
def test_every_service_refuses_an_actor_who_may_not_use_it_and_changes_nothing(world):
    services = _services_with_actor()
    actors = {kind: _actor(kind) for kind in ACTORS}
    failures = {}

    for name, args in CASES.items():
        for kind in ONLY_ACTORS.get(name, ACTORS):
            kwargs = args(world)
            before = _state(kwargs)
            try:
                services[name](**kwargs, by=actors[kind])
            except NotAllowed:
                outcome = "refused"
            except Exception as error:
                outcome = f"{type(error).__name__}: {error}"
            else:
                outcome = "allowed"
            if outcome != "refused":
                failures[f"{name} by {kind}"] = outcome
            elif _state(kwargs) != before:
                failures[f"{name} by {kind}"] = "refused, but something changed"

    assert failures == {}


@pytest.mark.django_db
def test_a_guardian_withdraws_only_for_their_own_child(world):
    from twinning.showcase.services import withdraw_consent

    other_child = make_student(world.edition, world.springfield)
    other_guardian = consent_for(other_child)
    own = world.student.consents.get(verified_by="guardian_email_link")

    with pytest.raises(NotAllowed):
        withdraw_consent(
            student=world.student, scope="publication", by=AnonymousUser(), guardian=other_guardian
        )
    assert withdraw_consent(
        student=world.student, scope="publication", by=AnonymousUser(), guardian=own
    )
