// The events page: keeps the worker's linked events (from /events/stream), filters them and
// draws them in the table and on the map. Vanilla JS; the outlines come from world.json.
"use strict";
(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const events = new Map(); // event id -> row (newest version)
  const fresh = new Set(); // ids updated since the last render, flashed once
  let selected = null;
  let pending = false;
  const $ = (id) => document.getElementById(id);
  const filters = {
    type: $("f-type"), country: $("f-country"), from: $("f-from"), to: $("f-to"),
    conf: $("f-conf"), factual: $("f-factual"),
  };

  const x = (lon) => (lon + 180) * 2; // the projection of build-world.mjs
  const y = (lat) => (90 - lat) * 2;

  function el(tag, attrs = {}, text = "") {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text) node.textContent = text;
    return node;
  }

  // ACLED has no type for some events (CAMEO/PLOVER only): they are filtered as "(none)".
  const typeKey = (e) => e.type || "(none)";

  function visible(e) {
    const f = filters;
    return (!f.type.value || typeKey(e) === f.type.value)
      && (!f.country.value || e.country_code === f.country.value)
      && (!f.from.value || e.date.slice(0, 10) >= f.from.value.slice(0, e.date.length))
      && (!f.to.value || e.date.slice(0, 10) <= f.to.value)
      && e.confidence >= Number(f.conf.value)
      && (!f.factual.checked || e.factual);
  }

  function syncOptions(select, values) {
    const have = new Set([...select.options].map((o) => o.value));
    for (const [value, label] of [...values].sort((a, b) => a[1].localeCompare(b[1]))) {
      if (!have.has(value)) select.append(el("option", { value }, label));
    }
  }

  function actors(e) {
    return [e.actor1, e.actor2].filter(Boolean).join(" → ") || "—";
  }

  function evidence(e) {
    const td = el("td", { colspan: 7 });
    const p = el("p");
    const at = e.trigger ? e.sentence.indexOf(e.trigger) : -1;
    if (at >= 0) {
      p.append(e.sentence.slice(0, at), el("mark", {}, e.trigger), e.sentence.slice(at + e.trigger.length));
    } else {
      p.textContent = e.sentence;
    }
    const meta = el("p", { class: "muted" },
      `${e.sub_type || e.type} · ${e.modality} · sources: ${e.sources.join(", ")}` +
      ` · ${e.num_mentions} mentions · first seen ${e.first_seen.slice(0, 16)} · v${e.version}`);
    td.append(p, meta);
    const tr = el("tr", { class: "evidence", "data-id": e.id });
    tr.append(td);
    return tr;
  }

  function render() {
    pending = false;
    const rows = [...events.values()].filter(visible)
      .sort((a, b) => b.last_seen.localeCompare(a.last_seen) || b.date.localeCompare(a.date));
    const tbody = document.querySelector("#events tbody");
    tbody.replaceChildren();
    for (const e of rows) {
      const tr = el("tr", { class: "event", "data-id": e.id, "data-type": e.type });
      if (fresh.has(e.id)) tr.classList.add("new");
      if (e.id === selected) tr.classList.add("selected");
      const place = e.place ? `${e.place}${e.country && e.country !== e.place ? ", " + e.country : ""}` : "—";
      for (const text of [e.type || `(${e.plover})`, actors(e), place, e.date,
        e.sources.slice(0, 3).join(", ") + (e.num_sources > 3 ? ` +${e.num_sources - 3}` : ""),
        `${e.num_articles} / ${e.num_mentions}`, e.confidence.toFixed(2)]) {
        tr.append(el("td", {}, text));
      }
      tr.addEventListener("click", () => { selected = selected === e.id ? null : e.id; render(); });
      tbody.append(tr);
      if (e.id === selected) tbody.append(evidence(e));
    }
    fresh.clear();
    const markers = $("markers");
    markers.replaceChildren();
    const countries = new Set();
    const placed = rows.filter((e) => e.lat != null && e.lon != null);
    const scale = fit(placed);
    for (const e of rows) {
      if (e.country_numeric) countries.add(e.country_numeric);
      if (e.lat == null || e.lon == null) continue;
      const c = document.createElementNS(SVG, "circle");
      c.setAttribute("class", "marker" + (e.id === selected ? " selected" : ""));
      c.setAttribute("data-id", e.id);
      c.setAttribute("cx", x(e.lon).toFixed(1));
      c.setAttribute("cy", y(e.lat).toFixed(1));
      c.setAttribute("r", ((5 + 2 * Math.min(4, Math.log2(e.num_articles))) * scale).toFixed(2));
      const title = document.createElementNS(SVG, "title");
      title.textContent = `${e.type}: ${e.place} (${e.date})`;
      c.append(title);
      c.addEventListener("click", () => { selected = e.id; render(); });
      markers.append(c);
    }
    for (const path of document.querySelectorAll("#countries path")) {
      path.classList.toggle("has-events", countries.has(path.dataset.id));
    }
    $("count").textContent = `${rows.length} shown of ${events.size}`;
  }

  // Zooms the map to the shown markers (a 2:1 box around them, at least 40 by 20 degrees);
  // returns SVG units per screen pixel, so that markers keep their size on screen.
  function fit(placed) {
    let [w, s, e, n] = [-180, -90, 180, 90];
    if (placed.length) {
      const lons = placed.map((p) => p.lon), lats = placed.map((p) => p.lat);
      const cx = (Math.min(...lons) + Math.max(...lons)) / 2, cy = (Math.min(...lats) + Math.max(...lats)) / 2;
      let half = Math.max(20, (Math.max(...lons) - Math.min(...lons)) / 2 + 8, Math.max(...lats) - Math.min(...lats) + 8);
      half = Math.min(half, 180);
      w = Math.max(-180, Math.min(cx - half, 180 - 2 * half));
      n = Math.min(90, Math.max(cy + half / 2, -90 + half));
      e = w + 2 * half; s = n - half;
    }
    $("map").setAttribute("viewBox", `${x(w)} ${y(n)} ${x(e) - x(w)} ${y(s) - y(n)}`);
    return (x(e) - x(w)) / ($("map").clientWidth || 720);
  }

  function schedule() {
    if (!pending) { pending = true; requestAnimationFrame(render); }
  }

  function add(e) {
    const old = events.get(e.id);
    if (old && old.version > e.version) return;
    events.set(e.id, e);
    fresh.add(e.id);
    syncOptions(filters.type, [[typeKey(e), typeKey(e)]]);
    if (e.country_code) syncOptions(filters.country, [[e.country_code, e.country]]);
    schedule();
  }

  async function drawMap() {
    const world = await (await fetch("world.json")).json();
    const g = $("countries");
    for (const c of world.countries) {
      const path = document.createElementNS(SVG, "path");
      path.setAttribute("d", c.d);
      path.setAttribute("class", "country");
      path.dataset.id = c.id;
      const title = document.createElementNS(SVG, "title");
      title.textContent = c.name;
      path.append(title);
      g.append(path);
    }
    schedule();
  }

  function connect() {
    const source = new EventSource("stream");
    source.addEventListener("linked", (m) => add(JSON.parse(m.data)));
    source.addEventListener("ready", () => { $("status").textContent = "live"; $("status").className = "status live"; });
    source.onerror = () => { $("status").textContent = "reconnecting…"; $("status").className = "status down"; };
  }

  for (const input of Object.values(filters)) input.addEventListener("input", schedule);
  filters.conf.addEventListener("input", () => { $("f-conf-value").textContent = Number(filters.conf.value).toFixed(2); });
  drawMap();
  connect();
})();
