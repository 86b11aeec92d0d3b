// Shared helpers of RouteLens's pages: the embedded data, the hover card, fact tables and the #selftest hook.
'use strict';
const RL = { errors: [] };
window.addEventListener('error', e => RL.errors.push(String(e.message)));

/** The page's data, parsed from its JSON block (never evaluated as script). */
RL.data = () => JSON.parse(document.getElementById('data').textContent);

/** A new element; text goes in as textContent, so it is never parsed as HTML. */
RL.el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
};

/** A number as people read it: integers whole, others to 4 significant digits. */
RL.fmt = v => typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : String(v);

/** Nested objects flattened to [path, value] rows (arrays of scalars joined). */
RL.flatten = (obj, prefix, rows) => {
  rows = rows || [];
  for (const [k, v] of Object.entries(obj || {})) {
    const key = prefix ? prefix + '.' + k : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) RL.flatten(v, key, rows);
    else if (Array.isArray(v) && v.length && v.every(Array.isArray)) rows.push([key, v.length + ' × ' + v[0].length + ' matrix (in the JSON file)']);
    else if (Array.isArray(v) && v.some(x => x !== null && typeof x === 'object')) rows.push([key, JSON.stringify(v).slice(0, 200)]);
    else rows.push([key, Array.isArray(v) ? v.map(RL.fmt).join(', ') : v === null ? '' : RL.fmt(v)]);
  }
  return rows;
};

/** A two-column table of {@code obj}'s flattened facts, appended to {@code parent}. */
RL.table = (parent, obj) => {
  const t = RL.el('table', 'facts');
  for (const [k, v] of RL.flatten(obj)) {
    const tr = t.insertRow();
    tr.appendChild(RL.el('td', null, k));
    tr.appendChild(RL.el('td', null, v));
  }
  parent.appendChild(t);
  return t;
};

/** Shows the hover card near (x, y) with {@code lines}: [text, className] pairs. */
RL.showCard = (x, y, lines) => {
  const card = document.getElementById('card');
  card.replaceChildren(...lines.map(([text, cls]) => RL.el('div', cls, text)));
  card.hidden = false;
  const w = card.offsetWidth, h = card.offsetHeight;
  card.style.left = Math.max(0, Math.min(x + 14, window.innerWidth - w - 4)) + 'px';
  card.style.top = Math.max(0, Math.min(y + 14, window.innerHeight - h - 4)) + 'px';
};
RL.hideCard = () => { document.getElementById('card').hidden = true; };
RL.cardText = () => { const c = document.getElementById('card'); return c.hidden ? null : c.textContent; };

/** True when the page was opened with #selftest: it then exercises its own hover and toggles and reports. */
RL.selftest = location.hash === '#selftest';

/** Writes the self-test's results into the DOM, where a --dump-dom test reads them. */
RL.report = results => {
  results.errors = RL.errors;
  const pre = RL.el('pre', null, JSON.stringify(results));
  pre.id = 'selftest';
  document.body.appendChild(pre);
};

/** Runs {@code test} for #selftest, reporting any exception it throws as an error. */
RL.runSelftest = test => {
  if (!RL.selftest) return;
  let results = {};
  try { results = test(); } catch (e) { RL.errors.push('selftest: ' + e); }
  RL.report(results);
};
