// probe's routing page: tokens coloured by first-choice expert, a per-token hover card, and E_T as a heat map.
(function () {
  const data = RL.data();
  const docSel = document.getElementById('doc'), layerSel = document.getElementById('layer');
  const tokensBox = document.getElementById('tokens'), heat = document.getElementById('heat');
  let doc = data.documents[0], slot = 0;

  /** Expert e's colour: hues a golden angle apart, light enough to read text on. */
  const colour = e => 'hsl(' + ((e * 137.508) % 360).toFixed(1) + ',70%,' + (e % 2 ? 72 : 80) + '%)';

  /** The expert with the largest weight of token t at MoE layer slot m. */
  const first = (d, m, t) => {
    const w = d.weights[m][t];
    let best = 0;
    for (let j = 1; j < w.length; j++) if (w[j] > w[best]) best = j;
    return d.topk[m][t][best];
  };

  /** A token as it reads: SentencePiece/byte-BPE word marks shown as spaces, a newline shown and kept. */
  const shown = s => s.replace(/[\u2581\u0120]/g, ' ').replace(/\u010a|\n/g, '\u21b5\n');

  function tokenCard(e, t) {
    const lines = [['"' + doc.tokens[t] + '"  (token ' + t + ')', 'head']];
    for (let m = 0; m < doc.layers.length; m++) {
      const parts = doc.topk[m][t].map((x, j) => 'E' + x + ' ' + doc.weights[m][t][j].toFixed(3));
      lines.push(['layer ' + doc.layers[m] + ': ' + parts.join(' · '), m === slot ? 'head' : null]);
    }
    RL.showCard(e.clientX, e.clientY, lines);
  }

  function drawTokens() {
    const chips = doc.kind !== 'text';
    const spans = doc.tokens.map((s, t) => {
      const span = RL.el('span', chips ? 'tok chip' : 'tok', chips ? s : shown(s));
      const x = first(doc, slot, t);
      span.dataset.expert = x;
      span.style.background = colour(x);
      span.addEventListener('mousemove', e => tokenCard(e, t));
      span.addEventListener('mouseleave', RL.hideCard);
      return span;
    });
    tokensBox.replaceChildren(...spans);
  }

  function drawHeat() {
    const E = doc.experts, grid = RL.el('div', 'grid');
    grid.style.gridTemplateColumns = 'auto repeat(' + E + ', 14px)';
    grid.appendChild(RL.el('div', 'colname', 'layer'));
    for (let e = 0; e < E; e++) grid.appendChild(RL.el('div', 'colname', E <= 32 || e % 4 === 0 ? e : ''));
    let max = 1e-12;
    for (const row of doc.expertChoice) for (const v of row) max = Math.max(max, v);
    doc.expertChoice.forEach((row, m) => {
      const name = RL.el('div', 'rowname' + (m === slot ? ' on' : ''), doc.layers[m]);
      name.addEventListener('click', () => { layerSel.value = m; setLayer(m); });
      grid.appendChild(name);
      row.forEach((v, e) => {
        const cell = RL.el('div', 'cell');
        const a = v / max;
        cell.style.background = 'rgb(' + [255 - 247 * a, 255 - 207 * a, 255 - 148 * a].map(Math.round).join(',') + ')';
        cell.addEventListener('mousemove', ev => RL.showCard(ev.clientX, ev.clientY,
          [['layer ' + doc.layers[m] + ', expert ' + e, 'head'], ['E_T ' + v.toFixed(4)]]));
        cell.addEventListener('mouseleave', RL.hideCard);
        grid.appendChild(cell);
      });
    });
    heat.replaceChildren(grid);
  }

  function drawLegend() {
    const box = document.getElementById('experts');
    box.replaceChildren(...Array.from({ length: doc.experts }, (_, e) => {
      const item = RL.el('span');
      const sw = RL.el('span', 'swatch');
      sw.style.background = colour(e);
      item.append(sw, RL.el('span', null, 'E' + e));
      return item;
    }));
  }

  function setLayer(m) { slot = m; drawTokens(); drawHeat(); }

  function setDocument(i) {
    doc = data.documents[i];
    slot = Math.min(slot, doc.layers.length - 1);
    layerSel.replaceChildren(...doc.layers.map((l, m) => { const o = RL.el('option', null, l); o.value = m; return o; }));
    layerSel.value = slot;
    document.getElementById('about').textContent = [doc.label, doc.kind, doc.tokens.length + ' tokens',
      'top-' + (doc.topk[0] && doc.topk[0][0] ? doc.topk[0][0].length : 0) + ' of ' + doc.experts + ' experts']
      .filter(x => x).join(' · ');
    drawLegend(); drawTokens(); drawHeat();
  }

  document.getElementById('heading').textContent = data.title;
  data.documents.forEach((d, i) => {
    const o = RL.el('option', null, d.id === null ? 'document ' + (i + 1) : d.id);
    o.value = i;
    docSel.appendChild(o);
  });
  document.getElementById('doc-box').hidden = data.documents.length < 2;
  docSel.addEventListener('change', () => setDocument(+docSel.value));
  layerSel.addEventListener('change', () => setLayer(+layerSel.value));
  setDocument(0);

  RL.runSelftest(() => {
    const span = () => tokensBox.querySelector('.tok');
    const r = span().getBoundingClientRect();
    span().dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: r.left + 2, clientY: r.top + 2 }));
    const card = RL.cardText(), cardLines = document.getElementById('card').childElementCount;
    const last = doc.layers.length - 1;
    layerSel.value = last;
    layerSel.dispatchEvent(new Event('change'));
    const out = { tokens: tokensBox.querySelectorAll('.tok').length, chips: tokensBox.querySelectorAll('.chip').length,
      card, card_lines: cardLines, last_layer_first_expert: +span().dataset.expert,
      heat_cells: heat.querySelectorAll('.cell').length, selected_layer: doc.layers[slot] };
    if (data.documents.length > 1) {
      docSel.value = 1;
      docSel.dispatchEvent(new Event('change'));
      out.second_document_tokens = tokensBox.querySelectorAll('.tok').length;
    }
    return out;
  });
})();
