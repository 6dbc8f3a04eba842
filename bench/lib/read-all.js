"use strict";
/**
 * What "read every value" means in the benchmarks, for mambu-ts entities and for plain JSON (the floor).
 */

/**
 * The floor's walk: visits every value of a parsed JSON document once (what any code that reads
 * every value of plain JSON must at least do) and counts them.
 */
function walkJson(v) {
  if (v === null || typeof v !== "object") return 1;
  let n = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) n += walkJson(v[i]);
    return n;
  }
  for (const k in v) n += walkJson(v[k]);
  return n;
}

/**
 * A reader of every field of a mambu-ts struct (recursively; custom fields through their flattened
 * names), for the library loaded from `dist`: every conversion (Decimal, DateTime, custom field
 * typing) is forced once.
 */
function structReader(MambuStruct, RAW) {
  // The flattened name of field f of row i (`guarantorName_0`), made once (code names it in its text).
  const rowNames = new Map();
  const rowName = (f, i) => {
    let byRow = rowNames.get(f);
    if (byRow === undefined) rowNames.set(f, (byRow = []));
    return byRow[i] ?? (byRow[i] = `${f}_${i}`);
  };
  const readAll = (s) => {
    let n = 0;
    const raw = s[RAW];
    for (const k in raw) {
      if (k.charCodeAt(0) === 95 /* _ */) {
        const set = raw[k];
        if (Array.isArray(set)) {
          n += s[k.slice(1)] !== undefined ? 1 : 0;
          for (let i = 0; i < set.length; i++) for (const f in set[i]) n += s[rowName(f, i)] !== undefined ? 1 : 0;
        } else {
          for (const f in set) n += s[f] !== undefined ? 1 : 0;
        }
        continue;
      }
      const v = s[k];
      n++;
      if (v instanceof MambuStruct) n += readAll(v);
      else if (Array.isArray(v)) for (const x of v) n += x instanceof MambuStruct ? readAll(x) : 1;
    }
    return n;
  };
  return readAll;
}

module.exports = { walkJson, structReader };
