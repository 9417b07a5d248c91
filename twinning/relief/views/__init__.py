"""Relief's pages, by audience: the public (`public.py`: the list, an appeal, its ledger, the
partner's single-use link), organisers and the partner side with an account (`committee.py`),
and staff (`staff.py`)."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from twinning.relief.models import Appeal


def appeal_for(request: HttpRequest, slug: str, perm: str) -> Appeal:
    """The appeal, or 404 when the user may not `perm` it (C12: as if it did not exist)."""
    appeal = get_object_or_404(Appeal.objects.select_related("community__country"), slug=slug)
    if not request.user.has_perm(perm, appeal):
        raise Http404
    return appeal
