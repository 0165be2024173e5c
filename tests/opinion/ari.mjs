// Reading the CSVs of a pol.is export and comparing two groupings by the adjusted Rand index
// (Hubert and Arabie 1985). Shared by run.mjs; no dependencies.
import { readFileSync } from 'node:fs';

// RFC 4180 rows (quoted fields with "" and line breaks).
export function parseCsv(text) {
  const rows = [];
  let row = [], field = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else q = false;
      } else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

// participant id -> group label, for the rows where the group is not empty.
export function groupsOf(rows, idCol, groupCol) {
  const head = rows[0], pi = head.indexOf(idCol), gi = head.indexOf(groupCol);
  if (pi < 0 || gi < 0) throw new Error(`no column ${idCol} or ${groupCol}`);
  const m = new Map();
  for (const r of rows.slice(1)) if (r[gi] !== '' && r[gi] !== undefined) m.set(r[pi], r[gi]);
  return m;
}

export function polisGroups(dir) {
  return groupsOf(parseCsv(readFileSync(`${dir}/participants-votes.csv`, 'utf8')), 'participant', 'group-id');
}

const c2 = n => n * (n - 1) / 2;

// ARI of two labellings over the participants both label.
export function ari(a, b) {
  const cont = new Map(), ra = new Map(), rb = new Map();
  let n = 0;
  for (const [k, x] of a) {
    if (!b.has(k)) continue;
    const y = b.get(k);
    n++;
    const key = x + '\u0000' + y;
    cont.set(key, (cont.get(key) || 0) + 1);
    ra.set(x, (ra.get(x) || 0) + 1);
    rb.set(y, (rb.get(y) || 0) + 1);
  }
  let sij = 0, sa = 0, sb = 0;
  for (const v of cont.values()) sij += c2(v);
  for (const v of ra.values()) sa += c2(v);
  for (const v of rb.values()) sb += c2(v);
  const expected = n > 1 ? sa * sb / c2(n) : 0, max = (sa + sb) / 2;
  return { n, ari: max === expected ? 1 : (sij - expected) / (max - expected) };
}
