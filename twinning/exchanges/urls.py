"""The exchange's URLs: staff under /staff/exchanges/, everything else under /exchanges/."""

from django.urls import path

from twinning.exchanges.views import committee, family, own, placement, sending, staff, students

app_name = "exchanges"

urlpatterns = [
    path("staff/exchanges/", staff.staff_home, name="staff_home"),
    path("staff/exchanges/seasons/<slug:slug>/", staff.season_detail, name="season"),
    # The hosting committee.
    path("exchanges/committees/<slug:slug>/", committee.committee, name="committee"),
    path(
        "exchanges/committees/<slug:slug>/contacts/<int:pk>/link/",
        committee.contact_link,
        name="contact_link",
    ),
    path("exchanges/committees/<slug:slug>/families/", committee.family_list, name="family_list"),
    path(
        "exchanges/committees/<slug:slug>/families/<int:pk>/",
        committee.family_detail,
        name="family_detail",
    ),
    path(
        "exchanges/committees/<slug:slug>/families/<int:pk>/checks/",
        committee.family_check,
        name="family_check",
    ),
    path(
        "exchanges/committees/<slug:slug>/families/<int:pk>/visits/",
        committee.family_visit,
        name="family_visit",
    ),
    path(
        "exchanges/committees/<slug:slug>/families/<int:pk>/decide/",
        committee.family_decide,
        name="family_decide",
    ),
    path(
        "exchanges/committees/<slug:slug>/visit-photos/<int:pk>/",
        committee.visit_photo,
        name="visit_photo",
    ),
    path("exchanges/committees/<slug:slug>/students/", committee.student_list, name="student_list"),
    path("exchanges/committees/<slug:slug>/schools/", committee.school_list, name="school_list"),
    path(
        "exchanges/committees/<slug:slug>/schools/<int:pk>/letter/",
        committee.school_letter,
        name="school_letter",
    ),
    path(
        "exchanges/committees/<slug:slug>/schools/<int:pk>/letter.pdf",
        committee.school_letter_download,
        name="school_letter_download",
    ),
    path(
        "exchanges/committees/<slug:slug>/coordinators/",
        committee.coordinator_list,
        name="coordinator_list",
    ),
    path(
        "exchanges/committees/<slug:slug>/coordinators/<int:pk>/training/",
        committee.coordinator_training,
        name="coordinator_training",
    ),
    # A student (staff, the hosting committee, the sending contact).
    path("exchanges/students/<int:pk>/", students.student_detail, name="student_detail"),
    path(
        "exchanges/students/<int:pk>/restricted/",
        students.restricted_edit,
        name="restricted_edit",
    ),
    path("exchanges/students/<int:pk>/status/", students.student_status, name="student_status"),
    path(
        "exchanges/students/<int:pk>/consent-link/",
        students.consent_link,
        name="student_consent_link",
    ),
    path("exchanges/students/<int:pk>/documents/", students.document_add, name="document_add"),
    path("exchanges/documents/<int:pk>/", students.document_download, name="document_download"),
    # The sending side and the guardian.
    path("exchanges/sending/link/<str:token>/", sending.contact_open, name="contact_open"),
    path("exchanges/sending/", sending.sending_home, name="sending_home"),
    path("exchanges/sending/<int:quota>/nominate/", sending.nominate, name="nominate"),
    path("exchanges/consent/<str:token>/", sending.consent_open, name="consent_open"),
    path("exchanges/consent/", sending.consent_form, name="consent_form"),
    path("exchanges/guardian/", own.guardian_home, name="guardian_home"),
    path("exchanges/guardian/withdraw/", own.guardian_withdraw, name="guardian_withdraw"),
    # The student themself.
    path("exchanges/mine/", own.student_home, name="student_home"),
    # The host family and its referees.
    path("exchanges/host/apply/", family.family_apply, name="family_apply"),
    path("exchanges/host/", family.family_home, name="family_home"),
    path("exchanges/host/<int:pk>/household/", family.family_household, name="family_household"),
    path("exchanges/host/<int:pk>/references/", family.family_reference, name="family_reference"),
    path("exchanges/reference/<str:token>/", family.reference, name="reference"),
    # Matching, placement and orientation (section 3).
    path(
        "exchanges/students/<int:pk>/matching/",
        placement.student_matching,
        name="student_matching",
    ),
    path(
        "exchanges/students/<int:pk>/placement/",
        placement.placement_create,
        name="placement_create",
    ),
    path(
        "exchanges/placements/<int:pk>/change/",
        placement.placement_change,
        name="placement_change",
    ),
    path(
        "exchanges/students/<int:pk>/preferences/",
        placement.student_preferences,
        name="student_preferences",
    ),
    path(
        "exchanges/students/<int:pk>/orientation/",
        placement.student_orientation,
        name="student_orientation",
    ),
    path(
        "exchanges/committees/<slug:slug>/distances/",
        placement.family_distance,
        name="family_distance",
    ),
    path(
        "exchanges/committees/<slug:slug>/placements/",
        placement.placement_list,
        name="placement_list",
    ),
    path("staff/exchanges/placements/", placement.staff_placements, name="staff_placements"),
]

# --- Monitoring and incidents (section 3) ------------------------------------------------------
from twinning.exchanges.views import incidents, monitoring  # noqa: E402 (appended section)

urlpatterns += [
    path("staff/exchanges/monitoring/", monitoring.staff_monitoring, name="staff_monitoring"),
    path("staff/exchanges/compliance/", monitoring.staff_compliance, name="staff_compliance"),
    path(
        "staff/exchanges/compliance.csv",
        monitoring.staff_compliance_csv,
        name="staff_compliance_csv",
    ),
    path("staff/exchanges/incidents/", incidents.staff_incidents, name="staff_incidents"),
    path(
        "exchanges/committees/<slug:slug>/monitoring/",
        monitoring.committee_monitoring,
        name="committee_monitoring",
    ),
    path(
        "exchanges/committees/<slug:slug>/compliance/",
        monitoring.committee_compliance,
        name="committee_compliance",
    ),
    path(
        "exchanges/committees/<slug:slug>/compliance.csv",
        monitoring.committee_compliance_csv,
        name="committee_compliance_csv",
    ),
    path(
        "exchanges/committees/<slug:slug>/incidents/",
        incidents.committee_incidents,
        name="committee_incidents",
    ),
    path(
        "exchanges/placements/<int:pk>/contacts/",
        monitoring.placement_contacts,
        name="placement_contacts",
    ),
    path("exchanges/students/<int:pk>/incidents/new/", incidents.incident_new, name="incident_new"),
    path("exchanges/incidents/<int:pk>/", incidents.incident_detail, name="incident_detail"),
    path("exchanges/incidents/<int:pk>/report/", incidents.incident_report, name="incident_report"),
    path("exchanges/incidents/<int:pk>/close/", incidents.incident_close, name="incident_close"),
]
