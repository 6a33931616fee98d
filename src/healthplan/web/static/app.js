// healthplan pages: sparklines and trend charts (ECharts), maps without tiles (Leaflet), sortable tables.
// Data come from data-* attributes written by the server as JSON; nothing here talks to the internet.
(function () {
  "use strict";

  function data(el, name) {
    try { return JSON.parse(el.dataset[name] || "null"); } catch (e) { return null; }
  }

  function fixed(v, d) {
    return v === null || v === undefined ? "—" : Number(v).toFixed(d);
  }

  // Years from the first observation to the target year, the observed values, and the straight trajectory.
  function axis(points, trajectory) {
    var years = points.map(function (p) { return p[0]; });
    var first = years.length ? years[0] : (trajectory.length ? trajectory[0][0] : 0);
    var last = Math.max(years.length ? years[years.length - 1] : first, trajectory.length ? trajectory[1][0] : first);
    var x = [], values = [], line = [];
    var byYear = {};
    points.forEach(function (p) { byYear[p[0]] = p[1]; });
    for (var y = first; y <= last; y++) {
      x.push(String(y));
      values.push(byYear[y] === undefined ? null : byYear[y]);
      if (trajectory.length && y >= trajectory[0][0] && y <= trajectory[1][0]) {
        var f = (y - trajectory[0][0]) / ((trajectory[1][0] - trajectory[0][0]) || 1);
        line.push(trajectory[0][1] + (trajectory[1][1] - trajectory[0][1]) * f);
      } else {
        line.push(null);
      }
    }
    return { x: x, values: values, line: line };
  }

  function sparkline(el) {
    var d = data(el, "spark");
    if (!d || !window.echarts) return;
    var a = axis(d.series.map(function (p) { return [p.year, p.value]; }), d.trajectory || []);
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 2, right: 2, top: 4, bottom: 2 },
      xAxis: { type: "category", data: a.x, show: false, boundaryGap: false },
      yAxis: { type: "value", show: false, scale: true },
      series: [
        { type: "line", data: a.values, symbol: "circle", symbolSize: 3, lineStyle: { width: 2, color: "#1f5fa8" },
          itemStyle: { color: "#1f5fa8" } },
        { type: "line", data: a.line, symbol: "none", lineStyle: { width: 1, type: "dashed", color: "#c0392b" } }
      ]
    });
  }

  function trendChart(el) {
    var d = data(el, "trend");
    if (!d || !window.echarts) return;
    var target = d.targets.length ? d.targets[0] : null;
    var a = axis(d.series.map(function (y, i) { return [Number(y), d.values[i]]; }),
                 target && target.trajectory.length ? target.trajectory : []);
    var series = [{ name: d.labels.value, type: "line", data: a.values, symbolSize: 6,
                    lineStyle: { width: 2, color: "#1f5fa8" }, itemStyle: { color: "#1f5fa8" },
                    label: { show: true, formatter: function (p) { return fixed(p.value, d.decimals); }, fontSize: 10 } }];
    if (target) {
      series.push({ name: d.labels.trajectory, type: "line", data: a.line, symbol: "none",
                    lineStyle: { type: "dashed", color: "#c0392b" } });
      if (target.goal !== null) {
        series[0].markLine = { symbol: "none", lineStyle: { color: "#27ae60", type: "dotted" },
                               label: { position: "insideEndTop", formatter: d.labels.target + " " + target.goal },
                               data: [{ yAxis: target.goal }] };
      }
    }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return fixed(v, d.decimals); } },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 30, bottom: 30 },
      xAxis: { type: "category", data: a.x },
      yAxis: { type: "value", scale: true, name: d.unit },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  var PALETTE = ["#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b"];

  function breaks(values) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    var result = [];
    for (var i = 1; i < PALETTE.length; i++) {
      result.push(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * i / PALETTE.length))]);
    }
    return result;
  }

  function blankMap(el) {
    return L.map(el, { attributionControl: false, scrollWheelZoom: false, zoomSnap: 0.25 });
  }

  function choropleth(el) {
    var geo = data(el, "geojson"), values = data(el, "values") || {};
    if (!geo || !window.L || !geo.features.length) { el.classList.add("empty"); return; }
    var known = Object.keys(values).map(function (k) { return values[k]; })
      .filter(function (v) { return !v.withheld && v.value !== null; }).map(function (v) { return v.value; });
    var cuts = breaks(known);
    function colour(v) {
      if (!v || v.withheld) return "#d9d9d9";
      if (v.value === null) return "#f5f5f5";
      var i = 0;
      while (i < cuts.length && v.value > cuts[i]) i++;
      return PALETTE[i];
    }
    var map = blankMap(el);
    var layer = L.geoJSON(geo, {
      style: function (f) {
        var v = values[f.properties.code];
        return { fillColor: colour(v), fillOpacity: 0.85, color: "#4a4a4a", weight: 1,
                 className: "county county-" + f.properties.code };
      },
      onEachFeature: function (f, shape) {
        var v = values[f.properties.code];
        var text = !v ? el.dataset.nodata : v.withheld ? el.dataset.withheld : v.text;
        shape.bindTooltip(f.properties.name + "：" + text, { sticky: true });
        shape.on("click", function () { window.location.href = el.dataset.link + f.properties.code; });
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "legend");
      var d = Number(el.dataset.decimals || 2);
      div.innerHTML = PALETTE.map(function (c, i) {
        var range = i === 0 ? "≤ " + fixed(cuts[0], d) : "> " + fixed(cuts[i - 1], d);
        return '<span style="background:' + c + '"></span>' + range;
      }).join("<br>") + '<br><span style="background:#d9d9d9"></span>' + el.dataset.withheld;
      return div;
    };
    legend.addTo(map);
    el.dataset.rendered = String(layer.getLayers().length);
  }

  function facilityMap(el) {
    var geo = data(el, "geojson"), points = data(el, "points") || [];
    if (!window.L) return;
    var map = blankMap(el);
    var outline = L.geoJSON(geo, { style: { color: "#6b7b8c", weight: 1, fillColor: "#eef3f8", fillOpacity: 0.6 } })
      .addTo(map);
    var canvas = L.canvas({ padding: 0.2 });
    var bounds = outline.getLayers().length ? outline.getBounds() : null;
    points.forEach(function (p) {
      var marker = L.circleMarker([p[0], p[1]], { renderer: canvas, radius: 3, weight: 1, color: "#1f5fa8",
                                                 fillColor: "#5b9bd5", fillOpacity: 0.8 }).addTo(map);
      marker.bindPopup(function () {
        var link = document.createElement("a");
        link.href = "/registry/" + encodeURIComponent(p[3]);
        link.textContent = p[2] + "（" + p[4] + "）";
        return link;
      });
      if (!bounds) bounds = L.latLngBounds([p[0], p[1]], [p[0], p[1]]); else bounds.extend([p[0], p[1]]);
    });
    if (bounds) map.fitBounds(bounds, { padding: [8, 8] }); else map.setView([35.5, 112.8], 8);
    el.dataset.rendered = String(points.length);
  }

  function sortable(table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, column) {
      th.classList.add("sort");
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var numeric = th.dataset.type === "number";
        var ascending = th.dataset.dir !== "asc";
        heads.forEach(function (h) { delete h.dataset.dir; });
        th.dataset.dir = ascending ? "asc" : "desc";
        function key(row) {
          var cell = row.cells[column];
          var raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
          if (!numeric) return raw;
          return raw === "" || isNaN(Number(raw)) ? null : Number(raw);
        }
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (x === y) return 0;
          if (x === null) return 1;
          if (y === null) return -1;
          var order = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
          return ascending ? order : -order;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".spark[data-spark]").forEach(sparkline);
    document.querySelectorAll("#trend[data-trend]").forEach(trendChart);
    document.querySelectorAll("#map[data-geojson]").forEach(choropleth);
    document.querySelectorAll("#facility-map[data-geojson]").forEach(facilityMap);
    document.querySelectorAll("table.sortable").forEach(sortable);
  });
})();
