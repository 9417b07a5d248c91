/* The world map of partnerships (network/map.html).
 *
 * No tile server: the country shapes are world-atlas TopoJSON (Natural Earth) read with
 * topojson-client, the communities and partnerships come from /map/data.json, and everything is
 * served by the app itself. All communities are light points on one canvas; choosing one (a
 * click on the map, or the search box, which is the keyboard path) draws only its partnerships,
 * so the map is never a tangle, and lists its partners as links beside the map. Lines across the
 * Pacific go the short way: the far end is shifted by 360 degrees, and a copy of the line is
 * drawn on the other side of the world so both halves show.
 *
 * Attached by [data-map]; its data- attributes carry the URLs and the translated texts.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-map]");
  if (!root) {
    return;
  }
  var statusBox = root.querySelector("[data-map-status]");
  if (!window.L || !window.topojson) {
    statusBox.textContent = root.dataset.textError;
    return;
  }

  var L = window.L;
  var mapBox = root.querySelector("[data-map-canvas]");
  var form = root.querySelector("[data-map-search]");
  var input = root.querySelector("[data-map-query]");
  var options = root.querySelector("[data-map-options]");
  var selection = root.querySelector("[data-map-selection]");
  var selectionTitle = root.querySelector("[data-map-selection-title]");
  var selectionMeta = root.querySelector("[data-map-selection-meta]");
  var selectionLink = root.querySelector("[data-map-selection-link]");
  var partnerList = root.querySelector("[data-map-partners]");

  var language = document.documentElement.lang || "en";
  var numbers = new Intl.NumberFormat(language);
  var regionNames = null;
  try {
    regionNames = new Intl.DisplayNames([language], { type: "region" });
  } catch (error) {
    regionNames = null;
  }
  var statusLabels = {};
  root.querySelectorAll("[data-map-status-label]").forEach(function (item) {
    statusLabels[item.dataset.mapStatusLabel] = item.textContent.trim();
  });

  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  var MAX_SUGGESTIONS = 20;
  var PICK_RADIUS_PX = 10;
  var DETAIL_ZOOM = 4;

  // --- helpers -----------------------------------------------------------------------------

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  function fold(text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[-'’.,()]/g, " ")
      .replace(/\s+/g, " ")
      .trim();
  }

  function countryName(code) {
    if (regionNames) {
      try {
        return regionNames.of(code) || code;
      } catch (error) {
        return code;
      }
    }
    return code;
  }

  function communityUrl(slug) {
    return root.dataset.communityUrl.replace(root.dataset.slugPlaceholder, encodeURIComponent(slug));
  }

  // --- the map itself ----------------------------------------------------------------------

  var map = L.map(mapBox, {
    preferCanvas: true,
    minZoom: 1,
    maxZoom: 10,
    zoomSnap: 0.5,
    zoomAnimation: !reducedMotion.matches,
    worldCopyJump: false,
    maxBounds: [[-85, -540], [85, 540]],
    maxBoundsViscosity: 0.7,
  });
  map.attributionControl.setPrefix("Leaflet");
  map.attributionControl.addAttribution("Natural Earth");
  map.setView([30, 10], 2);

  map.createPane("countries").style.zIndex = 350;
  map.createPane("links").style.zIndex = 450;
  var countryRenderer = L.canvas({ pane: "countries", padding: 0.5 });
  var pointRenderer = L.canvas({ padding: 0.5 });
  var linkRenderer = L.svg({ pane: "links", padding: 0.5 });

  var countryLayer = L.layerGroup().addTo(map);
  var detailedCountries = false;

  // world-atlas rings are spherical: Russia and Fiji jump from 180 to -180 and back, and
  // Antarctica goes round the pole. On a flat map that draws lines across the world, so make
  // each ring continuous in longitude, and close a ring that goes round a pole along it.
  function unwrapRing(ring) {
    var shift = 0;
    var out = [[ring[0][0], ring[0][1]]];
    var latitudes = ring[0][1];
    for (var i = 1; i < ring.length; i++) {
      var step = ring[i][0] - ring[i - 1][0];
      if (step > 180) {
        shift -= 360;
      } else if (step < -180) {
        shift += 360;
      }
      out.push([ring[i][0] + shift, ring[i][1]]);
      latitudes += ring[i][1];
    }
    var first = out[0];
    var last = out[out.length - 1];
    if (Math.abs(last[0] - first[0]) > 180) {
      var pole = latitudes < 0 ? -89.9 : 89.9;
      out.push([last[0], pole], [first[0], pole]);
    }
    return out;
  }

  function unwrapShapes(shapes) {
    shapes.features.forEach(function (feature) {
      var geometry = feature.geometry;
      if (!geometry) {
        return;
      }
      var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
      polygons.forEach(function (polygon) {
        for (var r = 0; r < polygon.length; r++) {
          polygon[r] = unwrapRing(polygon[r]);
        }
      });
    });
    return shapes;
  }

  function drawCountries(topology) {
    var shapes = unwrapShapes(window.topojson.feature(topology, topology.objects.countries));
    countryLayer.clearLayers();
    // The world and a copy on each side, so lines that wrap land among countries.
    [-360, 0, 360].forEach(function (offset) {
      L.geoJSON(shapes, {
        renderer: countryRenderer,
        interactive: false,
        className: "map-country",
        style: { color: "#9aa8b8", weight: 0.6, fillColor: "#eef1f4", fillOpacity: 1 },
        coordsToLatLng: function (coords) {
          return L.latLng(coords[1], coords[0] + offset);
        },
      }).addTo(countryLayer);
    });
  }

  function loadCountries(url) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(drawCountries);
  }

  loadCountries(root.dataset.countriesUrl).catch(function () {
    /* the points and lines still work without the shapes */
  });
  map.on("zoomend", function () {
    if (!detailedCountries && map.getZoom() >= DETAIL_ZOOM) {
      detailedCountries = true;
      loadCountries(root.dataset.countriesDetailUrl).catch(function () {
        detailedCountries = false;
      });
    }
  });

  // --- the network -------------------------------------------------------------------------

  var communities = [];
  var statuses = [];
  var partnersOf = [];
  var folded = [];
  var labels = [];
  var indexByLabel = new Map();
  var indexBySlug = new Map();
  var linkLayer = L.layerGroup().addTo(map);
  var selected = -1;
  var drawn = { lines: 0, copies: 0 };

  function buildIndexes(data) {
    communities = data.communities;
    statuses = data.statuses;
    partnersOf = communities.map(function () {
      return [];
    });
    data.partnerships.forEach(function (pair) {
      partnersOf[pair[0]].push([pair[1], pair[2]]);
      partnersOf[pair[1]].push([pair[0], pair[2]]);
    });
    // A label per community for the suggestions: "Name, Country", with the place's
    // coordinates added only where two communities would read the same.
    var seen = new Map();
    communities.forEach(function (c) {
      var label = c[1] + ", " + countryName(c[5]);
      seen.set(label, (seen.get(label) || 0) + 1);
      labels.push(label);
      folded.push(fold(c[1]));
      indexBySlug.set(c[2], labels.length - 1);
    });
    labels = labels.map(function (label, i) {
      if (seen.get(label) > 1) {
        var c = communities[i];
        label += " (" + c[3].toFixed(2) + ", " + c[4].toFixed(2) + ")";
      }
      indexByLabel.set(label, i);
      return label;
    });
  }

  function drawPoints() {
    var layer = L.layerGroup();
    communities.forEach(function (c) {
      L.circleMarker([c[3], c[4]], {
        renderer: pointRenderer,
        interactive: false,
        radius: 2,
        stroke: false,
        fillColor: "#1d4e89",
        fillOpacity: 0.45,
      }).addTo(layer);
    });
    layer.addTo(map);
  }

  function matches(query) {
    var q = fold(query);
    if (!q) {
      return [];
    }
    var found = [];
    for (var i = 0; i < folded.length; i++) {
      var name = folded[i];
      if (name.indexOf(q) === 0 || name.indexOf(" " + q) !== -1) {
        found.push(i);
      }
    }
    found.sort(function (a, b) {
      var aStarts = folded[a].indexOf(q) === 0 ? 0 : 1;
      var bStarts = folded[b].indexOf(q) === 0 ? 0 : 1;
      return (
        aStarts - bStarts ||
        partnersOf[b].length - partnersOf[a].length ||
        labels[a].localeCompare(labels[b], language)
      );
    });
    return found;
  }

  function suggest() {
    var found = matches(input.value).slice(0, MAX_SUGGESTIONS);
    var fragment = document.createDocumentFragment();
    found.forEach(function (i) {
      var option = document.createElement("option");
      option.value = labels[i];
      fragment.appendChild(option);
    });
    options.replaceChildren(fragment);
  }

  // --- choosing a community ----------------------------------------------------------------

  function lineStyle(status) {
    return {
      renderer: linkRenderer,
      className: "map-line map-line--" + status,
      interactive: true,
    };
  }

  function addLine(from, to, status, name) {
    L.polyline([from, to], lineStyle(status))
      .bindTooltip(format(root.dataset.textLine, { name: name }), { sticky: true })
      .addTo(linkLayer);
  }

  function addDot(latlng, className, radius) {
    L.circleMarker(latlng, {
      renderer: linkRenderer,
      className: className,
      radius: radius,
      interactive: false,
    }).addTo(linkLayer);
  }

  function draw(index) {
    var c = communities[index];
    var here = L.latLng(c[3], c[4]);
    var bounds = L.latLngBounds(here, here);
    var lines = 0;
    var copies = 0;
    linkLayer.clearLayers();
    partnersOf[index].forEach(function (link) {
      var p = communities[link[0]];
      var status = statuses[link[1]] || "active";
      var lng = p[4];
      // The short way round: never more than 180 degrees of longitude apart.
      if (lng - c[4] > 180) {
        lng -= 360;
      } else if (lng - c[4] < -180) {
        lng += 360;
      }
      var there = L.latLng(p[3], lng);
      addLine(here, there, status, p[1]);
      addDot(there, "map-dot map-dot--partner", 4);
      lines += 1;
      bounds.extend(there);
      if (lng > 180 || lng < -180) {
        // The same line seen from the other side of the world, ending at the partner's
        // real place.
        var shift = lng > 180 ? -360 : 360;
        addLine(L.latLng(c[3], c[4] + shift), L.latLng(p[3], lng + shift), status, p[1]);
        addDot(L.latLng(p[3], p[4]), "map-dot map-dot--partner", 4);
        copies += 1;
      }
    });
    addDot(here, "map-dot map-dot--selected", 6);
    delete mapBox.dataset.linesDrawn;
    drawn = { lines: lines, copies: copies };
    map.once("moveend", function () {
      // Set once the map has settled on the lines (tests and scripts wait for it); always
      // the latest selection's figures, should two selections overlap.
      mapBox.dataset.linesDrawn = String(drawn.lines);
      mapBox.dataset.lineCopies = String(drawn.copies);
    });
    var animate = !reducedMotion.matches;
    if (lines) {
      map.fitBounds(bounds, { padding: [40, 40], maxZoom: 6, animate: animate });
    } else {
      map.setView(here, Math.max(map.getZoom(), 5), { animate: animate });
    }
    return lines;
  }

  function showPartners(index) {
    var c = communities[index];
    var partners = partnersOf[index].slice().sort(function (a, b) {
      return communities[a[0]][1].localeCompare(communities[b[0]][1], language);
    });
    selectionTitle.textContent = c[1];
    selectionMeta.textContent =
      countryName(c[5]) +
      " · " +
      format(root.dataset.textPartnerCount, { count: numbers.format(partners.length) });
    selectionLink.href = communityUrl(c[2]);
    var fragment = document.createDocumentFragment();
    partners.forEach(function (link) {
      var p = communities[link[0]];
      var status = statuses[link[1]] || "active";
      var item = document.createElement("li");
      var anchor = document.createElement("a");
      anchor.href = communityUrl(p[2]);
      anchor.textContent = p[1];
      item.appendChild(anchor);
      item.appendChild(document.createTextNode(", " + countryName(p[5]) + " "));
      if (status !== "active" && statusLabels[status]) {
        var badge = document.createElement("span");
        badge.className = "badge badge--muted";
        badge.textContent = statusLabels[status];
        item.appendChild(badge);
        item.appendChild(document.createTextNode(" "));
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link-button map-partners__show";
      button.dataset.mapShow = String(link[0]);
      button.textContent = root.dataset.textShow;
      button.setAttribute("aria-label", format(root.dataset.textShowNamed, { name: p[1] }));
      item.appendChild(button);
      fragment.appendChild(item);
    });
    partnerList.replaceChildren(fragment);
    selection.hidden = false;
  }

  function select(index, how) {
    var focusTitle = how && how.focusTitle;
    selected = index;
    var c = communities[index];
    var lines = draw(index);
    showPartners(index);
    input.value = labels[index];
    root.dataset.selected = c[2];
    statusBox.textContent = lines
      ? format(root.dataset.textSelected, { name: c[1], count: numbers.format(lines) })
      : format(root.dataset.textNoPartners, { name: c[1] });
    var url = new URL(window.location.href);
    url.searchParams.set("community", c[2]);
    window.history.replaceState(null, "", url);
    if (focusTitle) {
      selectionTitle.focus();
    }
  }

  function nearest(latlng) {
    var click = map.latLngToContainerPoint(latlng);
    var best = -1;
    var bestDistance = PICK_RADIUS_PX * PICK_RADIUS_PX;
    for (var i = 0; i < communities.length; i++) {
      var c = communities[i];
      // Compare on the world copy nearest to the click.
      var lng = c[4] + 360 * Math.round((latlng.lng - c[4]) / 360);
      var point = map.latLngToContainerPoint([c[3], lng]);
      var dx = point.x - click.x;
      var dy = point.y - click.y;
      var distance = dx * dx + dy * dy;
      if (distance <= bestDistance) {
        best = i;
        bestDistance = distance;
      }
    }
    return best;
  }

  function chooseFromInput() {
    var exact = indexByLabel.get(input.value);
    if (exact !== undefined) {
      select(exact);
      return true;
    }
    var found = matches(input.value);
    if (found.length) {
      select(found[0]);
      return true;
    }
    return false;
  }

  // --- wiring ------------------------------------------------------------------------------

  function start(data) {
    buildIndexes(data);
    drawPoints();
    input.disabled = false;
    statusBox.textContent = format(root.dataset.textLoaded, {
      communities: numbers.format(communities.length),
      partnerships: numbers.format(data.partnerships.length),
    });
    mapBox.dataset.ready = "true";
    mapBox.dataset.communities = String(communities.length);

    input.addEventListener("input", function () {
      suggest();
      // Picking a suggestion fills the box with its exact label: show it at once.
      if (indexByLabel.has(input.value)) {
        select(indexByLabel.get(input.value));
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!input.value.trim()) {
        return;
      }
      if (!chooseFromInput()) {
        statusBox.textContent = format(root.dataset.textNotFound, { query: input.value });
      }
    });
    partnerList.addEventListener("click", function (event) {
      var button = event.target.closest("[data-map-show]");
      if (button) {
        select(Number(button.dataset.mapShow), { focusTitle: true });
      }
    });
    map.on("click", function (event) {
      var index = nearest(event.latlng);
      if (index !== -1 && index !== selected) {
        select(index);
      }
    });

    var wanted = root.dataset.selected;
    if (wanted && indexBySlug.has(wanted)) {
      select(indexBySlug.get(wanted));
    }
  }

  fetch(root.dataset.mapDataUrl, { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    })
    .then(start)
    .catch(function (error) {
      statusBox.textContent = root.dataset.textError;
      throw error;
    });
})();
