/* A report page: select a figure to see its raw text, note, provenance, checks and source;
   select a source cell to find the figure it became; record decisions in this browser.
   Keys: arrows move between figures, Enter selects, c confirms, w marks wrong,
   n / p open the next / previous report, Escape closes the form. */
(function () {
  'use strict';

  var R = window.Review;
  var W = R.W;
  var P = W.punct;
  var data = JSON.parse(document.getElementById('page-data').textContent);
  var report = data.report;
  var source = data.source || {};
  var figures = Array.prototype.slice.call(document.querySelectorAll('td.value[data-k]'));
  var byKey = {};
  figures.forEach(function (td) { byKey[td.dataset.k] = td; });
  var viewer = document.getElementById('viewer');
  var detail = document.getElementById('detail');
  var upper = document.querySelector('.panel .upper');
  var decide = document.getElementById('decide');
  var form = document.getElementById('wrong-form');
  var current = null;
  var wrongFor = null;

  function el(tag, cls, text) { return R.el(tag, cls, text); }

  function quote(text) { return P.open + text + P.close; }

  /* Scroll the source viewer (only it) so that `target` sits in its middle. */
  function reveal(target) {
    if (!viewer || !target) { return; }
    var v = viewer.getBoundingClientRect();
    var t = target.getBoundingClientRect();
    viewer.scrollTop += (t.top - v.top) - (viewer.clientHeight - t.height) / 2;
    viewer.scrollLeft += (t.left - v.left) - (viewer.clientWidth - t.width) / 2;
  }

  function row(dl, term, value) {
    if (value === null || value === undefined || value === '') { return; }
    dl.appendChild(el('dt', null, term));
    dl.appendChild(el('dd', null, value));
  }

  function labelOf(key) {
    var c = data.cells[key];
    return c && c.label ? c.label : key;
  }

  function position(c) {
    var parts = [];
    if (source.kind) { parts.push(source.kind); }
    if (c.src) {
      var p = c.src.split(':').map(Number);
      parts.push(W.ui.table.replace('{n}', p[0] + 1) + ' r' + (p[1] + 1) + ' c' + (p[2] + 1));
    }
    if (c.line) { parts.push(W.ui.line + ' ' + c.line); }
    if (c.page) { parts.push(W.ui.page.replace('{n}', c.page)); }
    if (c.pdf_box) { parts.push('(' + c.pdf_box.join(', ') + ')'); }
    if (c.ocr) { parts.push(W.ui.ocr.replace('{c}', c.ocr)); }
    return parts.join(' · ');
  }

  /* ---- selection of a figure ---- */

  function select(key, focus) {
    var td = byKey[key];
    if (!td || !data.cells[key]) { return; }
    figures.forEach(function (f) { f.classList.remove('sel'); f.tabIndex = -1; });
    td.classList.add('sel');
    td.tabIndex = 0;
    if (focus && document.activeElement !== td) { td.focus({ preventScroll: true }); }
    td.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    current = key;
    upper.scrollTop = 0;
    showDetail(key);
    showSource(key);
    showDecision();
  }

  function showDetail(key) {
    var c = data.cells[key];
    detail.textContent = '';
    detail.appendChild(el('h2', null, labelOf(key)));
    var dl = el('dl', 'facts');
    row(dl, W.ui.code, key);
    var status = el('dd', 'status ' + c.s, W.status[c.s] + ' · ' + W.status_help[c.s]);
    dl.appendChild(el('dt', null, W.ui.status));
    dl.appendChild(status);
    row(dl, W.ui.value, c.v);
    row(dl, W.ui.unit, c.unit);
    row(dl, W.ui.raw, c.raw === undefined ? null : quote(c.raw));
    row(dl, W.ui.note, c.n === undefined ? null : data.notes[c.n]);
    row(dl, W.ui.where, position(c));
    if (c.derived) { row(dl, W.ui.derived_value, c.derived.v + ' · ' + c.derived.note); }
    detail.appendChild(dl);
    detail.appendChild(el('h3', null, W.ui.checks));
    var checks = c.checks || [];
    if (!checks.length) {
      detail.appendChild(el('p', 'small', W.ui.no_checks));
    }
    checks.forEach(function (i) {
      var tr = document.querySelector('tr.check[data-check="' + i + '"]');
      if (!tr) { return; }
      var td = tr.querySelectorAll('td');
      var text = function (n) { return td[n] ? td[n].textContent : ''; };
      var failing = tr.classList.contains('fail');
      var box = el('div', 'involved ' + (failing ? 'fail' : tr.classList.contains('not_evaluable') ? 'not_evaluable' : 'pass'));
      box.appendChild(el('div', 'rule', text(0) + ' · ' + text(1) + ' [' + text(2) + ']'));
      var sides = el('div', 'sides');
      sides.appendChild(el('span', null, W.ui.lhs + ' ' + (text(3) || '—')));
      sides.appendChild(el('span', null, W.ui.rhs + ' ' + (text(4) || '—')));
      sides.appendChild(el('span', text(5) && text(5) !== '0' ? 'diff' : null, W.ui.diff + ' ' + (text(5) || '—')));
      box.appendChild(sides);
      box.appendChild(el('div', 'small', text(6)));
      detail.appendChild(box);
    });
  }

  /* ---- source evidence ---- */

  function clearSource() {
    if (!viewer) { return; }
    viewer.querySelectorAll('.sel').forEach(function (x) { x.classList.remove('sel'); });
    viewer.querySelectorAll('.selbox').forEach(function (x) { x.hidden = true; });
  }

  function note(text) {
    var out = document.getElementById('source-note');
    out.textContent = text || '';
  }

  function showSource(key) {
    var c = data.cells[key];
    clearSource();
    if (!source.available) { return; }
    var said = [];
    if (c.src && viewer) {
      var cell = viewer.querySelector('[data-k="' + c.src + '"]');
      if (cell) {
        cell.classList.add('sel');
        if (cell.tagName === 'TD') { reveal(cell); }
      }
    }
    if (c.box && viewer) {
      var fig = viewer.querySelector('.pdfpage[data-i="' + c.box[0] + '"]');
      var sel = fig && fig.querySelector('.selbox');
      if (sel) {
        place(sel, c.box.slice(1));
        sel.hidden = false;
        reveal(sel);
      }
    } else if (source.kind === 'pdf' && c.s !== 'missing') {
      said.push(W.ui.no_box);
    }
    if (!c.src && c.s !== 'missing') {
      said.push(c.para ? W.ui.not_in_grid : W.ui.no_source_cell);
    }
    if (c.para && source.paragraphs && source.paragraphs[c.para]) {
      said.push(W.ui.paragraph + P.colon + quote(source.paragraphs[c.para]));
    }
    note(said.join(' '));
  }

  function place(box, at) {
    box.style.left = at[0] + '%';
    box.style.top = at[1] + '%';
    box.style.width = at[2] + '%';
    box.style.height = at[3] + '%';
  }

  function selectSource(k) {
    var info = source.cells && source.cells[k];
    if (!info) { return; }
    if (info.t === undefined) {
      var shown = viewer.querySelector('td[data-k="' + k + '"]');
      info.t = shown ? shown.textContent : '';
    }
    if (info.used && info.used.length) {
      select(info.used[0], false);
      var names = info.used.map(function (key) { return key + P.lparen + labelOf(key) + P.rparen; });
      note(W.ui.source_cell + ' ' + quote(info.t) + ' ' + W.ui.became + ' ' + names.join(P.list));
      return;
    }
    figures.forEach(function (f) { f.classList.remove('sel'); });
    current = null;
    showDecision();
    clearSource();
    var cell = viewer.querySelector('[data-k="' + k + '"]');
    if (cell) { cell.classList.add('sel'); }
    detail.textContent = '';
    detail.appendChild(el('h2', null, W.ui.source_cell));
    var p = k.split(':').map(Number);
    var dl = el('dl', 'facts');
    row(dl, W.ui.where, W.ui.table.replace('{n}', p[0] + 1) + ' r' + (p[1] + 1) + ' c' + (p[2] + 1) +
      (info.ln ? ' · ' + W.ui.line + ' ' + info.ln : '') +
      (info.pg ? ' · ' + W.ui.page.replace('{n}', info.pg) : '') +
      (info.ocr ? ' · ' + W.ui.ocr.replace('{c}', info.ocr) : ''));
    row(dl, W.ui.raw, quote(info.t));
    row(dl, W.ui.not_used, W.why[info.why] || info.why);
    detail.appendChild(dl);
    note(W.ui.source_cell + ' ' + W.ui.not_used + P.colon + (W.why[info.why] || info.why));
  }

  if (viewer) {
    viewer.querySelectorAll('.cellbox').forEach(function (b) {
      place(b, b.dataset.at.split(' ').map(Number));
    });
    viewer.addEventListener('click', function (ev) {
      var t = ev.target.closest('[data-k]');
      if (t) { selectSource(t.dataset.k); }
    });
  }
  var zoom = document.getElementById('zoom');
  if (zoom) {
    zoom.addEventListener('click', function () {
      var fit = viewer.classList.toggle('fit');
      zoom.textContent = fit ? W.ui.actual : W.ui.fit;
      if (current) { showSource(current); }
    });
  }

  /* ---- decisions ---- */

  function decisionText(d, local) {
    var parts = [local ? W.review.local : (d.state === 'stale' ? W.review.stale : W.review[d.decision])];
    parts.push(W.review[d.decision] || d.decision);
    if (d.reviewer) { parts.push(d.reviewer); }
    if (d.at || d.decided_at) { parts.push(d.at || d.decided_at); }
    if (d.corrected || d.corrected_value) { parts.push(W.ui.corrected + ' ' + (d.corrected || d.corrected_value)); }
    if (d.comment) { parts.push(W.ui.comment + P.colon + d.comment); }
    if (d.state === 'stale' && d.reason) { parts.push(W.ui.stale_because + d.reason); }
    return parts.join(' · ');
  }

  function localFor(cell) {
    var found = null;
    R.load().forEach(function (d) { if (d.report_id === report.id && d.cell === cell) { found = d; } });
    return found;
  }

  function showState(out, cell) {
    out.textContent = '';
    var key = cell === null ? '*' : cell;
    var stored = data.decisions[key];
    if (stored) { out.appendChild(el('div', 'decision ' + stored.state + ' ' + stored.decision, W.ui.decided + P.colon + decisionText(stored, false))); }
    var mine = localFor(cell);
    if (mine) {
      var line = el('div', 'decision local ' + mine.decision, decisionText(mine, true));
      var undo = el('button', 'link', W.ui.undo);
      undo.type = 'button';
      undo.addEventListener('click', function () { R.remove(report.id, cell); refresh(); });
      line.appendChild(undo);
      out.appendChild(line);
    }
  }

  function refresh() {
    showDecision();
    showState(document.getElementById('report-state'), null);
    figures.forEach(function (td) {
      var k = td.dataset.k;
      td.classList.toggle('has-local', !!localFor(k));
      var s = data.decisions[k];
      td.classList.toggle('confirmed', !!s && s.decision === 'confirmed' && s.state === 'current');
      td.classList.toggle('marked-wrong', !!s && s.decision === 'wrong' && s.state === 'current');
      td.classList.toggle('stale', !!s && s.state === 'stale');
    });
  }

  function showDecision() {
    decide.hidden = current === null;
    form.hidden = true;
    if (current !== null) { showState(document.getElementById('decision-state'), current); }
  }

  function record(cell, decision, comment, corrected) {
    var name = R.reviewer();
    if (!name) {
      alertNote(W.ui.need_reviewer);
      document.getElementById('reviewer').focus();
      return false;
    }
    var c = cell === null ? null : data.cells[cell];
    R.add({
      reviewer: name,
      decided_at: new Date().toISOString(),
      report_id: report.id,
      document_sha256: report.sha256,
      cell: cell,
      decision: decision,
      comment: comment || '',
      corrected_value: corrected || null,
      value: c ? c.v : null,
      value_status: c ? c.s : null,
      facts_digest: cell === null ? report.digest : null
    });
    refresh();
    return true;
  }

  function alertNote(text) {
    var out = document.getElementById(current === null ? 'report-state' : 'decision-state');
    out.textContent = '';
    out.appendChild(el('div', 'warn', text));
  }

  function startWrong(cell) {
    wrongFor = cell;
    if (!R.reviewer()) {
      alertNote(W.ui.need_reviewer);
      document.getElementById('reviewer').focus();
      return;
    }
    if (cell === null) {
      var comment = window.prompt(W.ui.comment);
      if (comment !== null) { record(null, 'wrong', comment, null); }
      return;
    }
    form.hidden = false;
    document.getElementById('corrected').value = '';
    document.getElementById('comment').value = '';
    document.getElementById('corrected').focus();
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var corrected = document.getElementById('corrected').value.trim().replace(/,/g, '');
    if (corrected && !/^[+-]?\d+(\.\d{1,6})?$/.test(corrected)) {
      alertNote(W.ui.need_value);
      return;
    }
    if (record(wrongFor, 'wrong', document.getElementById('comment').value.trim(), corrected)) {
      form.hidden = true;
      if (byKey[wrongFor]) { byKey[wrongFor].focus(); }
    }
  });
  document.getElementById('cancel').addEventListener('click', function () {
    form.hidden = true;
    if (current && byKey[current]) { byKey[current].focus(); }
  });
  decide.querySelectorAll('[data-decide]').forEach(function (b) {
    b.addEventListener('click', function () {
      if (b.dataset.decide === 'confirmed') { record(current, 'confirmed', '', null); } else { startWrong(current); }
    });
  });
  document.querySelectorAll('#report-decision [data-decide]').forEach(function (b) {
    b.addEventListener('click', function () {
      if (b.dataset.decide === 'confirmed') { record(null, 'confirmed', '', null); } else { startWrong(null); }
    });
  });

  /* ---- keyboard and pointer ---- */

  function centre(td) {
    var r = td.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2, r: r };
  }

  function neighbour(td, key) {
    var from = centre(td);
    var best = null;
    var score = Infinity;
    figures.forEach(function (o) {
      if (o === td) { return; }
      var to = centre(o);
      var dx = to.x - from.x;
      var dy = to.y - from.y;
      var ahead = { ArrowRight: dx > 2 && Math.abs(dy) < from.r.height / 2,
                    ArrowLeft: dx < -2 && Math.abs(dy) < from.r.height / 2,
                    ArrowDown: dy > 2, ArrowUp: dy < -2 }[key];
      if (!ahead) { return; }
      var s = key === 'ArrowDown' || key === 'ArrowUp' ? Math.abs(dy) + 3 * Math.abs(dx) : Math.abs(dx);
      if (s < score) { score = s; best = o; }
    });
    if (!best && (key === 'ArrowRight' || key === 'ArrowLeft')) {
      var i = figures.indexOf(td) + (key === 'ArrowRight' ? 1 : -1);
      best = figures[i] || null;
    }
    return best;
  }

  document.addEventListener('click', function (ev) {
    var td = ev.target.closest && ev.target.closest('td.value[data-k]');
    if (td) { select(td.dataset.k, true); }
    var check = ev.target.closest && ev.target.closest('tr.check');
    if (check && check.dataset.first) { select(check.dataset.first, true); }
  });
  document.addEventListener('focusin', function (ev) {
    var td = ev.target;
    if (td.matches && td.matches('td.value[data-k]') && td.dataset.k !== current) { select(td.dataset.k, false); }
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape') { form.hidden = true; if (current && byKey[current]) { byKey[current].focus(); } return; }
    if (R.typing(ev) || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var td = current ? byKey[current] : null;
    if (/^Arrow/.test(ev.key)) {
      ev.preventDefault();
      var next = td ? neighbour(td, ev.key) : figures[0];
      if (next) { select(next.dataset.k, true); }
    } else if (ev.key === 'Home' || ev.key === 'End') {
      ev.preventDefault();
      var to = ev.key === 'Home' ? figures[0] : figures[figures.length - 1];
      if (to) { select(to.dataset.k, true); }
    } else if (ev.key === 'Enter' && document.activeElement && document.activeElement.matches('td.value')) {
      select(document.activeElement.dataset.k, true);
    } else if (ev.key === 'c' && current) {
      record(current, 'confirmed', '', null);
    } else if (ev.key === 'w' && current) {
      ev.preventDefault();
      startWrong(current);
    } else if (ev.key === 'n' && report.next) {
      window.location.href = report.next;
    } else if (ev.key === 'p' && report.prev) {
      window.location.href = report.prev;
    }
  });

  /* ---- start ---- */

  var notes = [];
  if (!source.available) {
    notes.push(W.ui.source_unavailable + (source.reason ? P.colon + source.reason : ''));
  } else {
    if (source.place) { notes.push(source.place); }
    if (source.mismatches) { notes.push(W.ui.mismatch + source.mismatches); }
    if (source.parser) { notes.push(W.ui.parser_differs.replace('{old}', source.parser.old).replace('{new}', source.parser.new)); }
  }
  note(notes.join(' · '));
  R.forgetImported(report.id, data.decisions);
  refresh();
  if (figures.length) { figures[0].tabIndex = 0; }
}());
