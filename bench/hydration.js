"use strict";
/**
 * Benchmark 1 — hydration: 50,000 FULL loans (a standard and a grouped custom field set, amounts
 * with trailing zeros) turned into entities, against bare `JSON.parse` of the same bytes (the
 * floor) and against MambuPy building its entities from the same JSON.
 *
 * mambu-ts is lazy (a field converts when it is read: amounts and dates from the wire text, recent
 * ones shared by text; nested objects once, then kept), so two figures (and a second floor):
 * - "hydrate": page text → `parseJsonPage` (JSON.parse once; the exact numbers placed when a record
 *   is first read) → `MambuLoan.fromWire` for every record (what `getAll` does per page; a build
 *   without `parseJsonPage` — MAMBU_TS_DIST pointing at older code — uses `parseJsonExact`, as its
 *   `getAll` did);
 * - "hydrate + read every field": the same, then every field of every loan read once — nested
 *   value objects, arrays, and every custom field through its flattened name — forcing every
 *   conversion (Decimal, DateTime, custom field typing);
 * - the second floor: `JSON.parse` + a walk visiting every value of the parsed pages (what reading
 *   every value of plain JSON costs at least), for "read every field" (issue 19: ≤ ×2.5).
 * MambuPy converts eagerly, so it has one figure (its `get_all` list path fed the same bytes).
 *
 * Usage: node --expose-gc bench/hydration.js [--count 50000] [--rounds 5] [--mambupy-count N] [--no-mambupy]
 * Prints progress, then one JSON line (the result) last.
 */
const fs = require("node:fs");
const path = require("node:path");
const { loanPages, CUSTOM_FIELD_TYPES } = require("./lib/gen-loans");
const { ROOT, msSince, median, round, int, logger, gc, mkTmp, rmTmp, findMambuPy, runMambuPy } = require("./lib/common");

// MAMBU_TS_DIST points at another build (e.g. the code before an optimisation) for before/after ratios.
const dist = process.env.MAMBU_TS_DIST ? path.resolve(process.env.MAMBU_TS_DIST) : path.join(ROOT, "dist");
const { MambuLoan, MambuStruct, parseJsonExact, registerCustomFieldTypes } = require(dist);
const { RAW } = require(path.join(dist, "core", "symbols"));
// What getAll parses each page with.
const parsePage = require(path.join(dist, "core", "json")).parseJsonPage ?? parseJsonExact;
const readAllLib = require("./lib/read-all");

const log = logger("hydration");

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

const walkJson = readAllLib.walkJson;
const readAll = readAllLib.structReader(MambuStruct, RAW);

function main() {
  const count = arg("count", 50000);
  const rounds = arg("rounds", 5);
  const pageSize = 1000;
  const mpCount = arg("mambupy-count", count);

  const { pages, bytes } = loanPages(count, pageSize);
  registerCustomFieldTypes(CUSTOM_FIELD_TYPES);
  log(
    `inputs: ${int(count)} FULL loans (custom field sets _Standard and _Grouped, amounts like 1500.00), ` +
      `${pages.length} pages of ${pageSize}, ${(bytes / 1048576).toFixed(1)} MiB of JSON (${int(bytes / count)} bytes/loan); ${rounds} rounds, median`,
  );

  const measures = {
    floor: () => {
      const out = [];
      for (const p of pages) out.push(JSON.parse(p));
      return out.length;
    },
    floorWalk: () => {
      const out = [];
      let n = 0;
      for (const p of pages) {
        const recs = JSON.parse(p);
        n += walkJson(recs);
        out.push(recs);
      }
      return n;
    },
    hydrate: () => {
      const out = [];
      for (const p of pages) {
        const recs = parsePage(p);
        for (let i = 0; i < recs.length; i++) out.push(MambuLoan.fromWire(recs[i]));
      }
      return out.length;
    },
    hydrateRead: () => {
      const out = [];
      let n = 0;
      for (const p of pages) {
        const recs = parsePage(p);
        for (let i = 0; i < recs.length; i++) {
          const e = MambuLoan.fromWire(recs[i]);
          n += readAll(e);
          out.push(e);
        }
      }
      return n;
    },
  };

  // Warm-up (JIT) on a few pages, then rounds in rotating order.
  const warm = pages.slice(0, 3);
  for (let i = 0; i < 3; i++) for (const p of warm) for (const r of parsePage(p)) readAll(MambuLoan.fromWire(r));
  const names = Object.keys(measures);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  // CPU time of the process too (every thread, GC's included): on a shared, overloaded machine wall
  // time also counts the time spent waiting for a core, CPU time only the work.
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  let fieldsRead = 0;
  for (let r = 0; r < rounds; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const name of order) {
      gc();
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const n = measures[name]();
      times[name].push(msSince(t0));
      const c = process.cpuUsage(c0);
      cpu[name].push((c.user + c.system) / 1000);
      if (name === "hydrateRead") fieldsRead = n;
    }
    log(`round ${r + 1}: ${names.map((n) => `${n} ${times[n][r].toFixed(0)} ms (cpu ${cpu[n][r].toFixed(0)} ms)`).join(", ")}`);
  }
  const perRoundRatio = (name, floor = "floor") => median(times[name].map((t, i) => t / times[floor][i]));
  const perRoundCpuRatio = (name, floor = "floor") => median(cpu[name].map((t, i) => t / cpu[floor][i]));
  const ms = Object.fromEntries(names.map((n) => [n, median(times[n])]));
  const rate = (t) => (count / t) * 1000;

  // MambuPy: its list path fed the same bytes (all pages concatenated, as its connector does).
  let mp;
  const mpFound = process.argv.includes("--no-mambupy") ? { skip: "MambuPy columns skipped (--no-mambupy)" } : findMambuPy();
  const notes = [];
  if (mpFound.skip) {
    notes.push(mpFound.skip);
    log(mpFound.skip);
  } else {
    log(`MambuPy: ${mpFound.how}; building ${int(mpCount)} MambuLoan from the same JSON (eager conversion)...`);
    notes.push(mpFound.how);
    const dir = mkTmp();
    try {
      const file = path.join(dir, "loans.json");
      const n = Math.ceil(mpCount / pageSize);
      fs.writeFileSync(file, `[${pages.slice(0, n).map((p) => p.slice(1, -1)).join(",")}]`);
      mp = runMambuPy(mpFound, "mambupy_hydration.py", [file, "1"]);
      log(`MambuPy (Python ${mp.python}): ${int(mp.count)} loans in ${mp.seconds.toFixed(2)} s; json.loads alone ${mp.json_loads_seconds.toFixed(2)} s; ` +
        `it made loanAmount ${mp.sample.loanAmount}, approvedLimit ${mp.sample.approvedLimit} (floats: trailing zeros lost)`);
    } catch (e) {
      notes.push(`MambuPy run failed: ${e.message}`);
      log(`MambuPy run failed: ${e.message}`);
    } finally {
      rmTmp(dir);
    }
  }
  const mpRate = mp ? mp.count / mp.seconds : undefined;

  const row = (measure, name, target, floor = "floor") => {
    const mts = rate(ms[name]);
    const ratioToFloor = perRoundRatio(name, floor);
    const vsMambuPy = mpRate ? mts / mpRate : undefined;
    return {
      benchmark: "hydration",
      measure,
      unit: "records/s",
      mambuTs: round(mts, 0),
      floor: round(rate(ms[floor]), 0),
      floorIs: floor === "floor" ? "JSON.parse" : "JSON.parse + a walk over every value",
      mambupy: mpRate === undefined ? null : round(mpRate, 0),
      ratioToFloor: round(ratioToFloor),
      ratioToFloorCpu: round(perRoundCpuRatio(name, floor)),
      vsMambuPy: vsMambuPy === undefined ? null : round(vsMambuPy, 1),
      target,
      met: ratioToFloor <= target.floorMax && (vsMambuPy === undefined ? null : vsMambuPy >= target.mambupyMin),
      ms: {
        mambuTs: round(ms[name], 0), floor: round(ms[floor], 0), all: times[name].map((t) => round(t, 0)), floorAll: times[floor].map((t) => round(t, 0)),
        cpu: cpu[name].map((t) => round(t, 0)), floorCpu: cpu[floor].map((t) => round(t, 0)),
      },
    };
  };
  const target = { floorMax: 4, mambupyMin: 5 };
  // Issue 19: reading every value within ×2.5 of JSON.parse + a walk over every value (the floor of any reader).
  const walkTarget = { floorMax: 2.5, mambupyMin: 5 };
  const rows = [
    row("hydrate (JSON → entities)", "hydrate", target),
    row("hydrate + read every field", "hydrateRead", target),
    row("hydrate + read every field, vs JSON.parse + walk", "hydrateRead", walkTarget, "floorWalk"),
  ];
  notes.push(
    `floor: JSON.parse of the same page texts (the last row: JSON.parse + a walk visiting every value, ${round(perRoundRatio("floorWalk"))}× JSON.parse); "read every field" reads ${int(fieldsRead / count)} values per loan, custom fields typed from ` +
      `registered definitions (NUMBER → Decimal, DATE → DateTime, CHECKBOX → boolean); MambuPy turns amounts into floats (1500.00 → 1500.0)`,
  );
  if (mp && mp.count !== count) notes.push(`MambuPy measured on ${int(mp.count)} of the ${int(count)} loans (its rate is per record)`);
  for (const r of rows) {
    log(`${r.measure}: mambu-ts ${int(r.mambuTs)} rec/s, floor ${int(r.floor)} rec/s (×${r.ratioToFloor} of floor; by CPU time ×${r.ratioToFloorCpu}), ` +
      `MambuPy ${r.mambupy === null ? "n/a" : `${int(r.mambupy)} rec/s (mambu-ts ×${r.vsMambuPy})`}`);
  }
  const result = {
    name: "hydration",
    inputs: { records: count, pageSize, bytes, rounds, mambupyRecords: mp ? mp.count : null, customFieldSets: ["_Standard", "_Grouped"] },
    rows,
    notes,
  };
  process.stdout.write(JSON.stringify(result) + "\n");
}

main();
