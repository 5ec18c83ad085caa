// The organisers' desk: the only script, served as a file (the Content-Security-Policy allows no
// inline script). Everything works without it but the charts and the live figures. It builds the
// DOM with textContent and attributes only (never innerHTML), so no label can become markup.
'use strict';
(function () {
  var SVG = 'http://www.w3.org/2000/svg';
  var rtl = document.documentElement.dir === 'rtl';

  function el(name, attrs, text) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Horizontal bars, one per label; the bar grows from the start side (right in Arabic and Sorani).
  function drawBars(box, series) {
    var rowH = 22, labelW = 150, width = 420, barW = width - labelW - 50;
    var max = series.reduce(function (m, s) { return Math.max(m, s.value); }, 0) || 1;
    var svg = el('svg', { viewBox: '0 0 ' + width + ' ' + Math.max(rowH, series.length * rowH), width: '100%', 'aria-hidden': 'true', focusable: 'false' });
    series.forEach(function (s, i) {
      var y = i * rowH;
      var w = Math.max(1, Math.round((s.value / max) * barW));
      var barX = rtl ? width - labelW - w : labelW;
      svg.appendChild(el('text', { x: rtl ? width - 4 : 4, y: y + 15, 'text-anchor': 'start', class: 'chart-label', direction: rtl ? 'rtl' : 'ltr' }, s.label));
      svg.appendChild(el('rect', { x: barX, y: y + 4, width: w, height: rowH - 8, rx: 2, class: 'chart-bar' }));
      svg.appendChild(el('text', { x: rtl ? barX - 4 : barX + w + 4, y: y + 15, 'text-anchor': rtl ? 'end' : 'start', class: 'chart-value', direction: 'ltr' }, String(s.value)));
    });
    box.replaceChildren(svg);
  }

  function poll(url, every, onData) {
    function tick() {
      fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) onData(data); })
        .catch(function () { /* the next tick tries again */ })
        .finally(function () { setTimeout(tick, every); });
    }
    tick();
  }

  var updated = document.querySelector('[data-poll]');
  if (updated) {
    poll(updated.getAttribute('data-poll'), 10000, function (data) {
      updated.textContent = data.updated;
      document.querySelectorAll('[data-chart]').forEach(function (box) {
        var series = data.charts[box.getAttribute('data-chart')];
        if (series) drawBars(box, series);
      });
    });
  }

  var progress = document.querySelector('[data-progress]');
  if (progress) {
    poll(progress.getAttribute('data-progress'), 2000, function (data) {
      var body = document.createElement('tbody');
      data.rows.forEach(function (r) {
        var tr = document.createElement('tr');
        var th = document.createElement('th');
        th.scope = 'row';
        th.textContent = r.label;
        var td = document.createElement('td');
        td.textContent = String(r.value);
        tr.append(th, td);
        body.appendChild(tr);
      });
      var table = progress.querySelector('table');
      table.replaceChildren(body);
      table.setAttribute('data-pending', String(data.pending));
    });
  }
})();
