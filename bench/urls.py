"""The site's URLs plus the baseline: a bare view rendering a 20-row template."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from twinning.urls import urlpatterns as site_urlpatterns

_TEMPLATE = engines["django"].from_string(
    "<!doctype html><html><head><title>Baseline</title></head><body><table>"
    "{% for row in rows %}<tr><td>{{ row.0 }}</td><td>{{ row.1 }}</td><td>{{ row.2 }}</td></tr>"
    "{% endfor %}</table></body></html>"
)
_ROWS = [(i, f"Community {i}", f"Country {i % 7}") for i in range(20)]


def baseline(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_TEMPLATE.render({"rows": _ROWS}, request))


urlpatterns = [path("bench/baseline/", baseline), *site_urlpatterns]
