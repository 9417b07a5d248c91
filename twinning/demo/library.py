"""The demo's library (issue 11, section 1; through the library's services and the upload
pipeline, SYSTEM as the actor; idempotent): about thirty toolkits, publications, links and
webinar recordings in English, French, Spanish and German, some with two or three versions,
the guide to starting a partnership in all four languages (linked as language versions), some
open to everyone, most to members in good standing, two to staff only, four featured, several
written with a partner organisation. Every file is generated here from the text below (PDF
with reportlab in core.pdf's fonts, DOCX with python-docx, XLSX with openpyxl): nothing
copyrighted is shipped. Each file's text is read at once (`indexing.read_version_text`, what
the background task runs), so the demo's search finds words inside the documents without a
worker; a few downloads by the demo's personas fill staff's statistics."""

import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify

from twinning.core.authz import SYSTEM
from twinning.demo import personas
from twinning.library.access import access_for, may_open
from twinning.library.indexing import read_version_text
from twinning.library.models import Resource, Topic
from twinning.library.services import (
    add_version,
    create_resource,
    link_translation,
    record_download,
)

CHAMBER = "Springfield Chamber of Commerce"
SMALL_BUSINESS = "Regional Small Business Agency"
TRADE = "Office of Trade Administration"
WATER = "Municipal Water Utilities Network"
ARTS = "Creative Industries Council"

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Spec:
    """One demo resource: its text (the paragraphs of its file, or the address of a link or
    a recording) and the later versions (change note, paragraph the version adds)."""

    key: str
    title: str
    summary: str
    language: str
    topics: tuple[str, ...]
    form: str = "pdf"  # pdf, docx, xlsx (documents), link, recording
    paragraphs: tuple[str, ...] = ()
    access: str = Resource.Access.MEMBERS
    partner: str = ""
    source: str = ""
    featured: bool = False
    url: str = ""
    versions: tuple[tuple[str, str], ...] = ()
    translation_of: str = ""


SPECS: list[Spec] = [
    # --- English -------------------------------------------------------------------------
    Spec(
        "start",
        "Starting a sister city partnership",
        "The steps from a first contact to the signing ceremony, for a new committee.",
        "en",
        ("exchanges", "advocacy"),
        paragraphs=(
            "A partnership starts with people: a committee of residents, the mayor's office "
            "and a community abroad that shares an interest, a river, an industry or a history.",
            "Write to the partner city's hall with a short letter of intent, then exchange a "
            "first delegation before anyone signs anything.",
            "The signing ceremony is held twice, once in each city, with a proclamation read "
            "by both mayors and the agreement signed in both languages.",
        ),
        access=Resource.Access.PUBLIC,
        featured=True,
        versions=(
            (
                "A chapter on choosing a partner city",
                "Choosing a partner city: compare population, economy and the languages your "
                "residents speak; a partner of a partner is often a good match.",
            ),
        ),
    ),
    Spec(
        "fundraising",
        "Fundraising toolkit for committees",
        "Membership dues, events, sponsors and grants: a plan for a year of fundraising.",
        "en",
        ("fundraising",),
        form="docx",
        paragraphs=(
            "Most committees raise money from four sources: dues, events such as a dinner or "
            "a festival, local sponsors and grants.",
            "Keep a calendar of deadlines and a thank-you list; sponsors who hear back give "
            "again the next year.",
        ),
        featured=True,
        versions=(
            (
                "Sponsorship letters added",
                "Sample sponsorship letter: tell the sponsor what "
                "the exchange changed for the students and the city.",
            ),
            (
                "Crowdfunding chapter",
                "Crowdfunding works best for one visible project with a "
                "date, such as a delegation's travel or a gift for the partner city's library.",
            ),
        ),
    ),
    Spec(
        "budget",
        "Festival budget template",
        "A spreadsheet with the usual lines of an international festival's budget.",
        "en",
        ("fundraising", "creative-economies"),
        form="xlsx",
        paragraphs=(
            "Stage and sound",
            "Artists' travel from the partner city",
            "Food stalls and permits",
            "Insurance",
            "Volunteers' refreshments",
        ),
    ),
    Spec(
        "advocacy",
        "Advocacy with your city council",
        "How to keep the council informed and the partnership in the city's budget.",
        "en",
        ("advocacy",),
        paragraphs=(
            "Report to the council once a year with figures: visitors, students, businesses "
            "that met and the media coverage of the partnership.",
            "Invite councillors to receive delegations; a council that knows the partner "
            "city's people defends the line in the budget.",
        ),
        access=Resource.Access.PUBLIC,
    ),
    Spec(
        "business",
        "Business exchange missions",
        "Preparing a trade mission with the partner city's chamber and small businesses.",
        "en",
        ("business-exchange",),
        paragraphs=(
            "A business mission pairs companies of the same sector in both cities: ask each "
            "chamber for a list of firms looking for distributors or suppliers.",
            "Plan matchmaking meetings of thirty minutes, a site visit and an evening "
            "reception with the mayor; follow up within a month.",
        ),
        partner=CHAMBER,
        featured=True,
    ),
    Spec(
        "export",
        "Exporting with your sister city",
        "First steps in export for small firms, with the partner city as a door-opener.",
        "en",
        ("business-exchange",),
        paragraphs=(
            "Small businesses export more easily where they already have contacts: the "
            "sister city's chamber can introduce buyers and translate the first letters.",
            "Check the export rules, labelling and certificates of origin before shipping "
            "samples; the trade office answers these questions free of charge.",
        ),
        partner=SMALL_BUSINESS,
        versions=(
            (
                "Updated contacts of the trade office",
                "The trade office's export counsellors "
                "hold a monthly clinic for committees and their businesses.",
            ),
        ),
    ),
    Spec(
        "creative",
        "Creative economies: artists in residence",
        "Hosting artists from the partner city and selling their work locally.",
        "en",
        ("creative-economies", "exchanges"),
        form="docx",
        paragraphs=(
            "An artist in residence spends four to eight weeks in the partner city, works in "
            "a studio lent by the city and shows the work at the end.",
            "Galleries, craft markets and the tourist office can sell prints and crafts; "
            "agree beforehand who receives what share.",
        ),
        access=Resource.Access.PUBLIC,
        partner=ARTS,
    ),
    Spec(
        "youth",
        "Youth exchange safety checklist",
        "What to check before young people travel: consent, insurance, host families.",
        "en",
        ("youth", "exchanges"),
        paragraphs=(
            "Every minor travels with the written consent of a parent or guardian, an "
            "insurance certificate and the phone numbers of two adults on call.",
            "Host families are visited and their references checked before the placement; "
            "chaperones meet the students every day.",
        ),
        versions=(
            (
                "Medical forms clarified",
                "Medical details stay with the chaperone in a sealed "
                "envelope and are destroyed after the trip.",
            ),
        ),
    ),
    Spec(
        "water",
        "Municipal peer learning: water utilities",
        "How two cities' water departments learn from each other, with the outcomes to report.",
        "en",
        ("municipal-peer-learning",),
        paragraphs=(
            "Peer learning between water utilities works best on one problem at a time: "
            "leaks in the network, metering, or the treatment of storm water.",
            "Engineers visit each other's plants, then keep a monthly video call; record "
            "the people trained and the policies adopted for the association's impact report.",
        ),
        partner=WATER,
    ),
    Spec(
        "relief",
        "Disaster relief between sister cities",
        "Sending help after a disaster without adding to the partner city's burden.",
        "en",
        ("disaster-relief",),
        paragraphs=(
            "Ask the partner city what it needs before sending anything: money usually helps "
            "more than goods, which must be stored and sorted.",
            "Open a relief fund with a clear end date and report every transfer to the donors.",
        ),
        access=Resource.Access.PUBLIC,
    ),
    Spec(
        "board",
        "Board briefing: relief fund procedures",
        "Internal: who approves a relief transfer, and the checks before money leaves.",
        "en",
        ("disaster-relief",),
        form="docx",
        paragraphs=(
            "Two officers approve every relief transfer; the treasurer checks the receiving "
            "account with the partner city's finance department by telephone.",
        ),
        access=Resource.Access.STAFF,
    ),
    Spec(
        "renewals",
        "Staff handbook: membership renewals",
        "Internal: reminders, grace period and what to say to a lapsed committee.",
        "en",
        ("fundraising",),
        form="docx",
        paragraphs=(
            "Renewal reminders go out sixty days before a membership ends; after the grace "
            "period, call the committee's chair before removing member-only access.",
        ),
        access=Resource.Access.STAFF,
    ),
    Spec(
        "templates",
        "Partnership agreement templates",
        "The association's page of model agreements, invitations and proclamations.",
        "en",
        ("exchanges",),
        form="link",
        url="https://example.org/library/partnership-agreement-templates",
        access=Resource.Access.PUBLIC,
    ),
    Spec(
        "webinar-funds",
        "Webinar recording: fundraising for small committees",
        "An hour with three treasurers of small committees on what worked for them.",
        "en",
        ("fundraising",),
        form="recording",
        url="https://video.example.org/webinars/fundraising-small-committees",
        source="Webinar, spring series",
    ),
    Spec(
        "webinar-youth",
        "Webinar recording: hosting a youth delegation",
        "Host families, schools and a programme for a week with visiting students.",
        "en",
        ("youth",),
        form="recording",
        url="https://video.example.org/webinars/hosting-youth-delegation",
        source="Webinar, autumn series",
        access=Resource.Access.PUBLIC,
    ),
    # --- French --------------------------------------------------------------------------
    Spec(
        "start-fr",
        "Créer un jumelage",
        "Les étapes du premier contact à la cérémonie de signature, pour un nouveau comité.",
        "fr",
        ("exchanges", "advocacy"),
        paragraphs=(
            "Un jumelage commence par des habitants : un comité, la mairie et une commune "
            "étrangère qui partage un intérêt, un fleuve, une industrie ou une histoire.",
            "Écrivez à la mairie de la ville partenaire une courte lettre d'intention, puis "
            "échangez une première délégation avant toute signature.",
            "La cérémonie de signature a lieu deux fois, une dans chaque ville, avec le "
            "serment de jumelage lu par les deux maires.",
        ),
        access=Resource.Access.PUBLIC,
        translation_of="start",
    ),
    Spec(
        "fundraising-fr",
        "Boîte à outils : la collecte de fonds",
        "Cotisations, manifestations, mécènes et subventions : une année de collecte.",
        "fr",
        ("fundraising",),
        form="docx",
        paragraphs=(
            "La plupart des comités financent leurs échanges par les cotisations, les "
            "manifestations, le mécénat local et les subventions.",
            "Tenez un calendrier des échéances et remerciez chaque mécène.",
        ),
        translation_of="fundraising",
    ),
    Spec(
        "creative-fr",
        "Économie créative et jumelage",
        "Artisans d'art, festivals et résidences d'artistes entre villes jumelles.",
        "fr",
        ("creative-economies",),
        paragraphs=(
            "Les résidences d'artistes et les marchés d'artisanat font connaître la ville "
            "jumelle et soutiennent l'économie créative locale.",
        ),
        access=Resource.Access.PUBLIC,
        partner=ARTS,
    ),
    Spec(
        "water-fr",
        "Coopération décentralisée : l'eau et l'assainissement",
        "Des services municipaux de l'eau apprennent les uns des autres.",
        "fr",
        ("municipal-peer-learning",),
        paragraphs=(
            "Les services de l'eau de deux villes comparent leurs réseaux, leurs compteurs "
            "et le traitement des eaux pluviales, puis se retrouvent chaque mois en visio.",
        ),
        partner=WATER,
        versions=(
            (
                "Indicateurs ajoutés",
                "Indicateurs de résultat : agents formés, règlements adoptés, fuites réparées.",
            ),
        ),
    ),
    Spec(
        "youth-fr",
        "Échanges de jeunes : liste de contrôle",
        "Autorisations parentales, assurance et familles d'accueil avant le départ.",
        "fr",
        ("youth",),
        paragraphs=(
            "Chaque mineur voyage avec l'autorisation écrite d'un parent, une attestation "
            "d'assurance et les numéros de deux adultes joignables.",
        ),
        translation_of="youth",
    ),
    # --- Spanish -------------------------------------------------------------------------
    Spec(
        "start-es",
        "Cómo iniciar un hermanamiento",
        "Los pasos desde el primer contacto hasta la ceremonia de firma.",
        "es",
        ("exchanges", "advocacy"),
        paragraphs=(
            "Un hermanamiento empieza con las personas: un comité de vecinos, el ayuntamiento "
            "y una ciudad extranjera con la que se comparte un interés o una historia.",
            "Envíe una carta de intención al ayuntamiento de la ciudad hermana y organice una "
            "primera delegación antes de firmar.",
        ),
        access=Resource.Access.PUBLIC,
        translation_of="start",
    ),
    Spec(
        "business-es",
        "Misiones de intercambio empresarial",
        "Preparar una misión comercial con la cámara de comercio de la ciudad hermana.",
        "es",
        ("business-exchange",),
        paragraphs=(
            "Una misión empresarial reúne a empresas del mismo sector en las dos ciudades; "
            "pida a cada cámara una lista de empresas que buscan distribuidores.",
        ),
        partner=CHAMBER,
        translation_of="business",
    ),
    Spec(
        "fundraising-es",
        "Recaudación de fondos para festivales",
        "Patrocinadores, entradas y subvenciones para un festival internacional.",
        "es",
        ("fundraising", "creative-economies"),
        form="docx",
        paragraphs=(
            "Un festival se financia con patrocinadores locales, la venta de entradas y "
            "subvenciones municipales; publique las cuentas al terminar.",
        ),
        access=Resource.Access.PUBLIC,
    ),
    Spec(
        "relief-es",
        "Ayuda en caso de desastre entre ciudades hermanas",
        "Enviar ayuda sin sobrecargar a la ciudad hermana.",
        "es",
        ("disaster-relief",),
        paragraphs=(
            "Pregunte a la ciudad hermana qué necesita antes de enviar nada: el dinero suele "
            "ayudar más que los bienes, que hay que almacenar y clasificar.",
        ),
        access=Resource.Access.PUBLIC,
        translation_of="relief",
    ),
    Spec(
        "budget-es",
        "Presupuesto de un intercambio",
        "Una hoja de cálculo con las partidas de un intercambio de estudiantes.",
        "es",
        ("youth", "fundraising"),
        form="xlsx",
        paragraphs=(
            "Viajes de los estudiantes",
            "Seguro de viaje",
            "Actividades culturales",
            "Transporte local",
        ),
        partner=TRADE,
    ),
    # --- German --------------------------------------------------------------------------
    Spec(
        "start-de",
        "Eine Städtepartnerschaft gründen",
        "Vom ersten Kontakt bis zur Unterzeichnung der Partnerschaftsurkunde.",
        "de",
        ("exchanges", "advocacy"),
        paragraphs=(
            "Eine Städtepartnerschaft beginnt mit Menschen: einem Partnerschaftsverein, dem "
            "Rathaus und einer Stadt im Ausland mit gemeinsamen Interessen.",
            "Die Partnerschaftsurkunde wird zweimal unterzeichnet, in jeder Stadt einmal, "
            "von beiden Bürgermeistern.",
        ),
        access=Resource.Access.PUBLIC,
        featured=True,
        translation_of="start",
    ),
    Spec(
        "youth-de",
        "Checkliste Sicherheit beim Jugendaustausch",
        "Einverständniserklärungen, Versicherung und Gastfamilien vor der Reise.",
        "de",
        ("youth",),
        paragraphs=(
            "Jeder Minderjährige reist mit der schriftlichen Einverständniserklärung der "
            "Eltern, einem Versicherungsnachweis und zwei erreichbaren Betreuern.",
        ),
        translation_of="youth",
    ),
    Spec(
        "municipal-de",
        "Städtepartnerschaften und Kommunalverwaltung",
        "Fachleute der Stadtverwaltungen lernen voneinander: Abfall, Wasser, Verkehr.",
        "de",
        ("municipal-peer-learning",),
        paragraphs=(
            "Fachaustausch zwischen Stadtverwaltungen: Abfallwirtschaft, Wasserversorgung und "
            "öffentlicher Verkehr sind die häufigsten Themen.",
        ),
        versions=(
            (
                "Beispiele ergänzt",
                "Beispiel: zwei Stadtwerke vergleichen ihre Wasserzähler "
                "und senken die Verluste im Leitungsnetz.",
            ),
            (
                "Ergebnisindikatoren",
                "Ergebnisse: geschulte Mitarbeiter, beschlossene Satzungen, reparierte Leitungen.",
            ),
        ),
    ),
    Spec(
        "grants-de",
        "Fördermittel für Partnerschaftsvereine",
        "Zuschüsse für Begegnungen, Jugendaustausch und Projekte.",
        "de",
        ("fundraising",),
        form="docx",
        paragraphs=(
            "Partnerschaftsvereine finanzieren Begegnungen mit Mitgliedsbeiträgen, Spenden "
            "und Zuschüssen; Anträge brauchen einen Kostenplan und einen Bericht.",
        ),
        access=Resource.Access.PUBLIC,
    ),
    Spec(
        "creative-de",
        "Kreativwirtschaft in Partnerstädten",
        "Eine Sammlung von Projekten der Kreativwirtschaft zwischen Partnerstädten.",
        "de",
        ("creative-economies",),
        form="link",
        url="https://example.org/library/kreativwirtschaft-partnerstaedte",
        access=Resource.Access.PUBLIC,
        partner=ARTS,
    ),
]


# --- Files made from text ------------------------------------------------------------------


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    from reportlab.lib.pagesizes import LETTER
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from twinning.core.pdf import stylesheet

    buffer = io.BytesIO()
    styles = stylesheet()
    story = [Paragraph(escape(title), styles["Title"])]
    story += [Paragraph(escape(text), styles["BodyText"]) for text in paragraphs]
    SimpleDocTemplate(buffer, pagesize=LETTER, title=title).build(story)
    return buffer.getvalue()


def _docx(title: str, paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx(title: str, lines: list[str]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = "Budget"
    sheet.append([title])
    sheet.append(["Line", "Planned", "Spent"])
    for n, line in enumerate(lines, start=1):
        sheet.append([line, 500 * n, 0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_MAKERS = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx}


def _upload(spec: Spec, paragraphs: list[str]) -> SimpleUploadedFile:
    data = _MAKERS[spec.form](spec.title, paragraphs)
    name = f"{slugify(spec.title)[:60] or 'resource'}.{spec.form}"
    return SimpleUploadedFile(name, data, MIME[spec.form])


# --- Building ------------------------------------------------------------------------------


def _kind(spec: Spec) -> str:
    if spec.form == "link":
        return Resource.Kind.LINK
    if spec.form == "recording":
        return Resource.Kind.RECORDING
    return Resource.Kind.DOCUMENT


def _read_text(resource: Resource) -> None:
    """What the background task does after each upload, done now for the demo."""
    for version in resource.versions.exclude(file=""):
        read_version_text(version_id=version.pk)


def _build(spec: Spec, staff: Any) -> Resource:
    document = spec.form in _MAKERS
    paragraphs = list(spec.paragraphs)
    resource = create_resource(
        title=spec.title,
        summary=spec.summary,
        kind=_kind(spec),
        language=spec.language,
        access=spec.access,
        topics=Topic.objects.filter(slug__in=spec.topics),
        partner=spec.partner,
        source=spec.source,
        featured=spec.featured,
        upload=_upload(spec, paragraphs) if document else None,
        url=spec.url,
        by=staff,
    )
    for number, (note, added) in enumerate(spec.versions, start=2):
        paragraphs.append(added)
        add_version(
            resource=resource,
            change_note=note,
            upload=_upload(spec, paragraphs) if document else None,
            url=f"{spec.url}?v={number}" if not document else "",
            by=staff,
        )
    _read_text(resource)
    return resource


def _downloads(resources: dict[str, Resource]) -> int:
    """A few openings by the committee admin and the public persona (what each may open:
    the committee's member-only ones while it is in good standing)."""
    user_model = get_user_model()
    count = 0
    for email, keys in (
        (personas.COMMITTEE_ADMIN.email, ["start", "fundraising", "business", "youth", "budget"]),
        (personas.PUBLIC.email, ["start", "advocacy", "relief", "business"]),
    ):
        user = user_model.objects.filter(email=email).first()
        if user is None:
            continue
        access = access_for(user)
        for key in keys:
            resource = resources[key]
            if may_open(access, resource):
                current = resource.versions.order_by("-number").first()
                record_download(resource=resource, version=current, by=user, access=access)
                count += 1
    return count


def seed_library(*, staff: Any = SYSTEM) -> list[Resource]:
    """The demo's resources (none made again on a second run: the first one's slug marks
    the library as seeded)."""
    if Resource.objects.filter(slug=slugify(SPECS[0].title)).exists():
        return []
    resources: dict[str, Resource] = {}
    for spec in SPECS:
        resources[spec.key] = resource = _build(spec, staff)
        if spec.translation_of:
            link_translation(resource=resources[spec.translation_of], other=resource, by=staff)
    _downloads(resources)
    return list(resources.values())
