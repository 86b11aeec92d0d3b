// report.html: one study folder on one page, with the ablation sweep as an interactive heat map.
(function () {
  const data = RL.data();
  document.getElementById('heading').textContent = data.title;
  const section = (parent, title) => { parent.appendChild(RL.el('h2', null, title)); return parent; };
  RL.table(section(document.getElementById('summary'), 'Summary'), data.summary);

  const records = document.getElementById('records');
  for (const [name, json] of Object.entries(data.records)) {
    const box = RL.el('div');
    box.appendChild(RL.el('h2', null, name));
    RL.table(box, json);
    records.appendChild(box);
  }

  const link = (name, text) => { const a = RL.el('a', null, text || name); a.href = encodeURIComponent(name); return a; };
  const pages = document.getElementById('pages');
  if (data.pages.length) {
    section(pages, 'Interactive views');
    for (const p of data.pages) { pages.appendChild(link(p)); pages.appendChild(document.createTextNode(' ')); }
  }
  const names = new Set(data.files.map(f => f.name));
  const images = document.getElementById('images');
  document.getElementById('plots').hidden = data.images.length === 0;
  for (const png of data.images) {
    const fig = RL.el('figure');
    const img = RL.el('img');
    img.src = encodeURIComponent(png);
    img.alt = png;
    const cap = RL.el('figcaption');
    cap.append(link(png));
    const svg = png.replace(/\.png$/, '.svg');
    if (names.has(svg)) { cap.append(' · '); cap.append(link(svg)); }
    fig.append(img, cap);
    images.appendChild(fig);
  }
  const files = document.getElementById('files');
  for (const f of data.files) {
    const li = RL.el('li');
    li.append(link(f.name), ' (' + (f.bytes < 1024 ? f.bytes + ' B' : (f.bytes / 1024).toFixed(1) + ' KiB') + ')');
    files.appendChild(li);
  }

  /** Diverging colour of v on [-max, max]: blue below zero, white at zero, red above. */
  const diverging = (v, max) => {
    const a = Math.min(1, Math.abs(v) / max);
    const c = v < 0 ? [33, 102, 172] : [178, 24, 43];
    return 'rgb(' + c.map(x => Math.round(255 + (x - 255) * a)).join(',') + ')';
  };

  function cellCard(e, r, c) {
    const h = data.heat;
    const lines = [[h.rowName + ' ' + h.rows[r] + ', ' + h.columnName + ' ' + h.columns[c], 'head']];
    for (const p of h.classes) {
      const v = p.values[r][c];
      lines.push([p.label + ': ' + (v >= 0 ? '+' : '') + v.toFixed(4) + ' (' + p.tokens[r][c] + ' tokens)']);
    }
    RL.showCard(e.clientX, e.clientY, lines);
  }

  function drawHeat() {
    const h = data.heat;
    document.getElementById('heat-box').hidden = false;
    document.getElementById('heat-title').textContent = h.title;
    let max = 1e-12;
    for (const p of h.classes) for (const row of p.values) for (const v of row) max = Math.max(max, Math.abs(v));
    document.getElementById('heat-scale').textContent = 'blue: lower, red: higher; full colour at ±' + max.toPrecision(3)
      + ' · hover a cell for every class';
    const box = document.getElementById('heat');
    for (const p of h.classes) {
      const panel = RL.el('div', 'panel');
      const title = RL.el('div');
      const sw = RL.el('span', 'swatch');
      sw.style.background = p.color;
      title.append(sw, RL.el('span', null, p.label));
      const grid = RL.el('div', 'grid');
      grid.style.gridTemplateColumns = 'auto repeat(' + h.columns.length + ', minmax(16px, auto))';
      grid.appendChild(RL.el('div', 'name', h.rowName));
      h.columns.forEach((c, j) => grid.appendChild(RL.el('div', 'name', h.columns.length <= 32 || j % 4 === 0 ? c : '')));
      p.values.forEach((row, r) => {
        grid.appendChild(RL.el('div', 'name', h.rows[r]));
        row.forEach((v, c) => {
          const cell = RL.el('div', 'cell');
          cell.style.background = diverging(v, max);
          cell.addEventListener('mousemove', e => cellCard(e, r, c));
          cell.addEventListener('mouseleave', RL.hideCard);
          grid.appendChild(cell);
        });
      });
      panel.append(title, grid);
      box.appendChild(panel);
    }
  }
  if (data.heat) drawHeat();

  window.addEventListener('load', () => RL.runSelftest(() => {
    const imgs = Array.from(document.querySelectorAll('#images img'));
    const out = { images: imgs.length, images_loaded: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
      records: Object.keys(data.records), pages: data.pages, cells: document.querySelectorAll('#heat .cell').length };
    const cell = document.querySelector('#heat .cell');
    if (cell) {
      const r = cell.getBoundingClientRect();
      cell.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: r.left + 2, clientY: r.top + 2 }));
      out.card = RL.cardText();
      out.card_lines = document.getElementById('card').childElementCount;
    }
    return out;
  }));
})();
