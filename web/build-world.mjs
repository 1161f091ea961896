// Builds ../agents/static/world.json: the country outlines of world-atlas (Natural Earth
// 1:110m) as SVG path strings in an equirectangular projection, so that the events page
// draws its map with no library and no tile server. Run: npm ci && npm run build
import { readFileSync, writeFileSync } from "node:fs";
import { feature } from "topojson-client";

const SCALE = 2; // 2 SVG units per degree: a 720 x 360 view box
const pkg = JSON.parse(readFileSync("node_modules/world-atlas/package.json", "utf8"));
const topo = JSON.parse(readFileSync("node_modules/world-atlas/countries-110m.json", "utf8"));
const countries = feature(topo, topo.objects.countries).features;

const fmt = (v) => Math.round(v * 10) / 10;
const point = ([lon, lat]) => `${fmt((lon + 180) * SCALE)},${fmt((90 - lat) * SCALE)}`;

function ringPaths(ring) {
  // A ring that crosses the antimeridian is made continuous (east of 180) and drawn twice,
  // once shifted a full turn west; the view box clips what lies outside.
  const crosses = ring.some((p, i) => i > 0 && Math.abs(p[0] - ring[i - 1][0]) > 180);
  if (!crosses) return ["M" + ring.map(point).join("L") + "Z"];
  const east = ring.map(([lon, lat]) => [lon < 0 ? lon + 360 : lon, lat]);
  const west = east.map(([lon, lat]) => [lon - 360, lat]);
  return [east, west].map((r) => "M" + r.map(point).join("L") + "Z");
}

function polygons(geometry) {
  if (!geometry) return [];
  return geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
}

const out = {
  source: `npm world-atlas ${pkg.version} countries-110m.json (Natural Earth, public domain; package ISC)`,
  projection: "equirectangular, x = (lon + 180) * 2, y = (90 - lat) * 2",
  width: 360 * SCALE,
  height: 180 * SCALE,
  countries: countries.map((f) => ({
    id: f.id ?? "",
    name: f.properties.name,
    d: polygons(f.geometry).flatMap((rings) => rings.flatMap(ringPaths)).join(""),
  })),
};
writeFileSync("../agents/static/world.json", JSON.stringify(out) + "\n");
console.log(`${out.countries.length} countries -> agents/static/world.json`);
