// figure1.html's viewer: an orthographic point cloud drawn straight into an ImageData with a depth buffer, so
// 20,000 points cost one pass over their pixels per frame (no per-point canvas calls, no sorting).
(function () {
  const data = RL.data();
  const n = data.x.length, dims = data.dims;
  const canvas = document.getElementById('plot'), ctx = canvas.getContext('2d');
  const visible = data.classes.map(() => true);

  // Points centred, then scaled so the farthest lies at radius 1: every rotation stays on screen.
  const P = new Float32Array(n * 3);
  (function normalise() {
    const cols = [data.x, data.y, dims === 3 ? data.z : null];
    const mid = [0, 0, 0];
    for (let k = 0; k < dims; k++) {
      let lo = Infinity, hi = -Infinity;
      for (const v of cols[k]) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      mid[k] = n ? (lo + hi) / 2 : 0;
    }
    let radius = 1e-12;
    for (let i = 0; i < n; i++) {
      let r2 = 0;
      for (let k = 0; k < dims; k++) { const v = cols[k][i] - mid[k]; P[i * 3 + k] = v; r2 += v * v; }
      radius = Math.max(radius, Math.sqrt(r2));
    }
    for (let j = 0; j < P.length; j++) P[j] /= radius;
  })();

  // Class colours as little-endian RGBA words; a darker rim keeps overlapping points apart.
  const rgb = data.classes.map(c => [1, 3, 5].map(j => parseInt(c.color.substr(j, 2), 16)));
  const word = (r, g, b) => (255 << 24 | b << 16 | g << 8 | r) >>> 0;
  const fill = rgb.map(([r, g, b]) => word(r, g, b));
  const rim = rgb.map(([r, g, b]) => word(r * .6, g * .6, b * .6));

  const view = { yaw: dims === 3 ? 0.6 : 0, pitch: dims === 3 ? 0.35 : 0, zoom: 1, panX: 0, panY: 0 };
  const home = Object.assign({}, view);
  const sx = new Float32Array(n), sy = new Float32Array(n), shown = new Uint8Array(n);
  let W = 0, H = 0, dpr = 1, img = null, pixels = null, depth = null, lastMs = 0;

  function resize() {
    const r = canvas.getBoundingClientRect();
    dpr = window.devicePixelRatio || 1;
    W = canvas.width = Math.max(1, Math.round(r.width * dpr));
    H = canvas.height = Math.max(1, Math.round(r.height * dpr));
    img = ctx.createImageData(W, H);
    pixels = new Uint32Array(img.data.buffer);
    depth = new Float32Array(W * H);
  }

  /** Offsets of a point's disc, each flagged rim or fill. */
  function disc(radius) {
    const out = [];
    for (let dy = -radius; dy <= radius; dy++) for (let dx = -radius; dx <= radius; dx++) {
      const d2 = dx * dx + dy * dy;
      if (d2 <= radius * radius) out.push(dx, dy, d2 > (radius - 1.2) * (radius - 1.2) ? 1 : 0);
    }
    return out;
  }

  /** Projects a point of [-1, 1]^3: yaw about the vertical axis, then pitch; returns [x, y, depth]. */
  function project(x, y, z, c) {
    const x1 = c.cy * x + c.sy * z, z1 = -c.sy * x + c.cy * z;
    const y1 = c.cp * y - c.sp * z1, z2 = c.sp * y + c.cp * z1;
    return [c.ox + c.s * x1, c.oy - c.s * y1, -z2];
  }

  function camera() {
    return { cy: Math.cos(view.yaw), sy: Math.sin(view.yaw), cp: Math.cos(view.pitch), sp: Math.sin(view.pitch),
      s: 0.45 * Math.min(W, H) * view.zoom, ox: W / 2 + view.panX * dpr, oy: H / 2 + view.panY * dpr };
  }

  function render() {
    const t0 = performance.now();
    const c = camera(), shape = disc(Math.max(2, Math.round(3.5 * dpr)));
    pixels.fill(0xffffffff);
    depth.fill(Infinity);
    for (let i = 0; i < n; i++) {
      const k = data.cls[i];
      if (!visible[k]) { shown[i] = 0; continue; }
      const [px, py, pz] = project(P[i * 3], P[i * 3 + 1], P[i * 3 + 2], c);
      sx[i] = px; sy[i] = py; shown[i] = 1;
      const ix = Math.round(px), iy = Math.round(py);
      for (let j = 0; j < shape.length; j += 3) {
        const X = ix + shape[j], Y = iy + shape[j + 1];
        if (X < 0 || Y < 0 || X >= W || Y >= H) continue;
        const at = Y * W + X;
        if (pz < depth[at]) { depth[at] = pz; pixels[at] = shape[j + 2] ? rim[k] : fill[k]; }
      }
    }
    ctx.putImageData(img, 0, 0);
    axes(c);
    lastMs = performance.now() - t0;
  }

  /** The axes as a small compass in the lower-left corner, turning with the view. */
  function axes(c) {
    ctx.save();
    ctx.strokeStyle = '#888'; ctx.fillStyle = '#555'; ctx.lineWidth = dpr;
    ctx.font = (11 * dpr) + 'px sans-serif';
    const g = { cy: c.cy, sy: c.sy, cp: c.cp, sp: c.sp, s: 32 * dpr, ox: 40 * dpr, oy: H - 60 * dpr };
    for (let k = 0; k < dims; k++) {
      const e = [0, 0, 0];
      e[k] = 1;
      const p = project(e[0], e[1], e[2], g);
      ctx.beginPath(); ctx.moveTo(g.ox, g.oy); ctx.lineTo(p[0], p[1]); ctx.stroke();
      ctx.fillText(data.axis + ' ' + (k + 1), p[0] + 2 * dpr, p[1] - 2 * dpr);
    }
    ctx.restore();
  }

  let pending = false;
  function redraw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; render(); });
  }

  /** The shown point nearest the pointer within 8 px, or -1. */
  function pick(clientX, clientY) {
    const r = canvas.getBoundingClientRect();
    const x = (clientX - r.left) * dpr, y = (clientY - r.top) * dpr;
    let best = -1, bestD = (8 * dpr) * (8 * dpr);
    for (let i = 0; i < n; i++) {
      if (!shown[i]) continue;
      const d = (sx[i] - x) * (sx[i] - x) + (sy[i] - y) * (sy[i] - y);
      if (d < bestD) { bestD = d; best = i; }
    }
    return best;
  }

  function hover(e) {
    const i = pick(e.clientX, e.clientY);
    if (i < 0) { RL.hideCard(); return; }
    RL.showCard(e.clientX, e.clientY, [[data.id[i], 'head'],
      [data.classes[data.cls[i]].label + ' · ' + data.kind[i], 'muted'], [data.text[i], 'text']]);
  }

  let drag = null;
  canvas.addEventListener('mousedown', e => { drag = [e.clientX, e.clientY]; canvas.style.cursor = 'grabbing'; });
  window.addEventListener('mouseup', () => { drag = null; canvas.style.cursor = 'grab'; });
  canvas.addEventListener('mousemove', e => {
    if (!drag) { hover(e); return; }
    const dx = e.clientX - drag[0], dy = e.clientY - drag[1];
    drag = [e.clientX, e.clientY];
    if (dims === 3 && !e.shiftKey) {
      view.yaw += dx * 0.01;
      view.pitch = Math.max(-1.55, Math.min(1.55, view.pitch + dy * 0.01));
    } else { view.panX += dx; view.panY += dy; }
    RL.hideCard();
    redraw();
  });
  canvas.addEventListener('mouseleave', RL.hideCard);
  canvas.addEventListener('wheel', e => {
    e.preventDefault();
    view.zoom = Math.max(0.2, Math.min(40, view.zoom * Math.exp(-e.deltaY * 0.0015)));
    redraw();
  }, { passive: false });
  canvas.addEventListener('dblclick', () => { Object.assign(view, home); redraw(); });
  window.addEventListener('resize', () => { resize(); render(); });

  document.getElementById('heading').textContent = data.title;
  document.getElementById('hint').textContent = (dims === 3 ? 'drag: rotate · shift-drag: pan' : 'drag: pan')
    + ' · wheel: zoom · double-click: reset · ' + n + ' documents';
  const legend = document.getElementById('legend');
  const items = data.classes.map((c, k) => {
    const b = RL.el('button', 'legend-item');
    const sw = RL.el('span', 'swatch');
    sw.style.background = c.color;
    b.append(sw, RL.el('span', null, c.label + ' (' + c.count + ')'));
    b.addEventListener('click', () => { visible[k] = !visible[k]; b.classList.toggle('off', !visible[k]); redraw(); });
    legend.appendChild(b);
    return b;
  });
  RL.table(document.getElementById('metrics'), data.metrics);

  resize();
  render();

  RL.runSelftest(() => {
    const frames = [];
    for (let f = 0; f < 30; f++) { view.yaw += 0.05; render(); frames.push(lastMs); }
    frames.sort((a, b) => a - b);
    const r = canvas.getBoundingClientRect();
    let target = -1;
    for (let i = 0; i < n && target < 0; i++) {
      if (shown[i] && sx[i] > 0 && sy[i] > 0 && sx[i] < W && sy[i] < H) target = i;
    }
    const h0 = performance.now();
    if (target >= 0) {
      canvas.dispatchEvent(new MouseEvent('mousemove', { bubbles: true,
        clientX: r.left + sx[target] / dpr, clientY: r.top + sy[target] / dpr }));
    }
    const hoverMs = performance.now() - h0;
    const count = () => shown.reduce((a, b) => a + b, 0);
    const before = count();
    items[0].click(); render();
    const hidden = count();
    items[0].click(); render();
    return { points: n, dims, frame_ms_median: frames[15], frame_ms_max: frames[29], hover_ms: hoverMs, target_id: data.id[target],
      card: RL.cardText(), legend: { before, hidden, after: count(), first: data.classes[0].label } };
  });
})();
