// 可及性 map: county outlines, demand coloured by coverage, facilities, and the proposed new sites; the
// "建议新增 N 个站点" control asks /api/access/sites and redraws. Vendored Leaflet only, no tiles.
(function () {
  "use strict";

  var COLOURS = { strict: "#1a9850", lenient: "#fdae61", none: "#d73027", na: "#bbbbbb" };
  var GAINED = "#762a83";

  function data(el, name) {
    try { return JSON.parse(el.dataset[name] || "null"); } catch (e) { return null; }
  }

  function layer(geo, name) {
    return { type: "FeatureCollection", features: geo.features.filter(function (f) { return f.properties.layer === name; }) };
  }

  function whole(v) { return v === null || v === undefined ? "—" : Math.round(v).toLocaleString("zh-CN"); }

  function status(p) {
    if (!p.assessed) return "na";
    return p.covered_strict ? "strict" : p.covered ? "lenient" : "none";
  }

  function icon(kind) {
    return L.divIcon({ className: "site-icon " + kind, html: kind === "proposed" ? "★" : "▲", iconSize: [16, 16],
                       iconAnchor: [8, 8] });
  }

  function accessMap(el) {
    var geo = data(el, "geojson"), labels = data(el, "labels"), query = data(el, "query");
    if (!geo || !window.L) { el.classList.add("empty"); return; }
    var map = L.map(el, { attributionControl: false, scrollWheelZoom: false, zoomSnap: 0.25 });
    var areas = L.geoJSON(layer(geo, "area"), {
      style: function (f) {
        return { color: "#4a4a4a", weight: 1.2, fillColor: "#eef3f8", fillOpacity: 0.55,
                 className: "county county-" + f.properties.code };
      },
      onEachFeature: function (f, shape) {
        shape.bindTooltip(f.properties.name + "：" + (f.properties.share === null ? "—" : f.properties.share + "%"),
                          { sticky: true });
      }
    }).addTo(map);
    var demand = layer(geo, "demand");
    var grid = demand.features.length && demand.features[0].geometry.type === "Polygon";
    var maxPop = Math.max.apply(null, demand.features.map(function (f) { return f.properties.population; }).concat([1]));
    var shapes = {};
    var demandLayer = L.geoJSON(demand, {
      renderer: grid ? L.canvas({ padding: 0.2 }) : undefined,
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 4 + 10 * Math.sqrt(f.properties.population / maxPop) });
      },
      style: function (f) {
        var s = status(f.properties);
        return { color: "#ffffff", weight: grid ? 0 : 1, fillColor: COLOURS[s], fillOpacity: grid ? 0.65 : 0.9,
                 className: "demand demand-" + s };
      },
      onEachFeature: function (f, shape) {
        shapes[f.properties.id] = shape;
        var p = f.properties;
        shape.bindTooltip(p.name + "<br>" + labels.population + " " + whole(p.population) + "<br>" + labels.distance +
                          " " + (p.value === null ? "—" : p.value + " " + el.dataset.unit) + "<br>" + labels[status(p)]);
      }
    }).addTo(map);
    L.geoJSON(layer(geo, "facility"), {
      pointToLayer: function (f, latlng) {
        return L.marker(latlng, { icon: icon("facility"), title: f.properties.name });
      }
    }).addTo(map);
    var proposed = L.layerGroup().addTo(map);
    if (areas.getLayers().length) map.fitBounds(areas.getBounds(), { padding: [8, 8] });
    else if (demandLayer.getLayers().length) map.fitBounds(demandLayer.getBounds(), { padding: [8, 8] });
    legend(map, labels, el.dataset.siting === "true");

    function apply(p) {
      proposed.clearLayers();
      var after = {};
      layer(p.geojson, "demand").features.forEach(function (f) { after[f.properties.id] = f.properties.covered; });
      demand.features.forEach(function (f) {
        var shape = shapes[f.properties.id];
        var gained = !f.properties.covered && after[f.properties.id];
        shape.setStyle(gained ? { color: GAINED, weight: grid ? 1 : 3 } : { color: "#ffffff", weight: grid ? 0 : 1 });
      });
      var radius = Number(el.dataset.radius || 0);
      layer(p.geojson, "proposed").features.forEach(function (f) {
        var latlng = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        if (el.dataset.measure === "km" && radius > 0) {
          L.circle(latlng, { radius: radius * 1000, color: GAINED, weight: 1, dashArray: "4 4", fill: false,
                             interactive: false }).addTo(proposed);
        }
        L.marker(latlng, { icon: icon("proposed"), title: f.properties.name }).bindTooltip(f.properties.name)
          .addTo(proposed);
      });
      el.dataset.proposed = String(p.new.length);
      figures(p, labels, data(el, "parts") || {});
    }

    if (el.dataset.siting === "true") {
      var initial = data(el, "proposal");
      if (initial) apply(initial);
      control(map, el, labels, query, apply);
    }
    el.dataset.rendered = String(areas.getLayers().length);
  }

  function control(map, el, labels, query, apply) {
    var box = L.control({ position: "topright" });
    box.onAdd = function () {
      var div = L.DomUtil.create("div", "new-sites");
      var label = document.createElement("label");
      var select = document.createElement("select");
      select.id = "new-sites";
      for (var n = 0; n <= 10; n++) {
        var option = document.createElement("option");
        option.value = String(n);
        option.textContent = String(n);
        if (String(n) === el.dataset.new) option.selected = true;
        select.appendChild(option);
      }
      label.appendChild(document.createTextNode(labels.control + " "));
      label.appendChild(select);
      label.appendChild(document.createTextNode(" " + labels.sites));
      var state = document.createElement("span");
      state.className = "state";
      div.appendChild(label);
      div.appendChild(state);
      L.DomEvent.disableClickPropagation(div);
      select.addEventListener("change", function () {
        var n = select.value;
        state.textContent = labels.computing;
        el.dataset.loading = "true";
        var params = new URLSearchParams(query);
        params.set("new", n);
        fetch("/api/access/sites?" + params.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
          .then(function (p) {
            apply(p);
            state.textContent = "";
            el.dataset.new = n;
            var input = document.getElementById("new-input");
            if (input) input.value = n;
            var url = new URL(window.location.href);
            url.searchParams.set("new", n);
            window.history.replaceState(null, "", url.toString());
          })
          .catch(function () { state.textContent = labels.failed; })
          .then(function () { delete el.dataset.loading; });
      });
      return div;
    };
    box.addTo(map);
  }

  function legend(map, labels, siting) {
    var box = L.control({ position: "bottomright" });
    box.onAdd = function () {
      var div = L.DomUtil.create("div", "legend");
      var rows = ["strict", "lenient", "none", "na"].map(function (k) {
        return '<span style="background:' + COLOURS[k] + '"></span>' + labels[k];
      });
      rows.push('<b class="site-icon facility">▲</b>' + labels.facility);
      if (siting) {
        rows.push('<b class="site-icon proposed">★</b>' + labels.proposed);
        rows.push('<span style="background:#fff;border:2px solid ' + GAINED + '"></span>' + labels.gained);
      }
      div.innerHTML = rows.join("<br>");
      return div;
    };
    box.addTo(map);
  }

  // The figures beside and below the map follow the proposal: summary, list of sites, "after" columns.
  function figures(p, labels, parts) {
    var summary = document.getElementById("proposal-summary");
    if (summary) {
      var values = { count: p.new.length, before: whole(p.covered_before), after: whole(p.covered_after),
                     gain: whole(p.gain), status: p.status, gap: p.gap, seconds: p.seconds };
      summary.querySelectorAll("[data-f]").forEach(function (span) { span.textContent = String(values[span.dataset.f]); });
    }
    var list = document.getElementById("proposed-list");
    if (list) {
      list.innerHTML = "";
      p.new.forEach(function (s) {
        var item = document.createElement("li");
        item.textContent = s.name + "（" + (parts[s.part] || s.part) + "，" + s.lon.toFixed(4) + ", " + s.lat.toFixed(4) + "）";
        list.appendChild(item);
      });
    }
    p.areas_after.forEach(function (a) {
      var cell = document.querySelector('#coverage-table tr[data-area="' + a.code + '"] td.after');
      if (cell) cell.textContent = a.share === null ? "—" : String(a.share);
    });
    var still = {};
    p.beyond_after.forEach(function (s) { still[s.code] = true; });
    document.querySelectorAll("#beyond-table tr[data-seat] td.after").forEach(function (cell) {
      cell.textContent = still[cell.parentNode.dataset.seat] ? labels.still : labels.covered;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#access-map[data-geojson]").forEach(accessMap);
  });
})();
