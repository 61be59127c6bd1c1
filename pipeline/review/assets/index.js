/* The index of all reports: filter, sort and page through them without a framework; only the
   rows of the page shown are built. Keys: arrows move between rows, Enter opens a report,
   "/" goes to the filter, PageDown/PageUp turn pages. */
(function () {
  'use strict';

  var R = window.Review;
  var W = R.W;
  var SAFE_FILE = /^report-[0-9a-f]{1,64}\.html$/;
  var all = JSON.parse(document.getElementById('index-data').textContent).filter(function (e) {
    return SAFE_FILE.test(e.file);
  });
  var body = document.querySelector('#reports tbody');
  var state = { sort: null, desc: false, page: 0 };
  var local = {};
  R.load().forEach(function (d) { local[d.report_id] = true; });

  function field(id) { return document.getElementById(id); }

  function options(id, values) {
    var select = field(id);
    values.forEach(function (v) {
      var o = document.createElement('option');
      o.value = String(v);
      o.textContent = String(v);
      select.appendChild(o);
    });
  }

  function distinct(key) {
    var seen = {};
    all.forEach(function (e) {
      if (e[key] !== null && e[key] !== undefined) { seen[e[key]] = e[key]; }
    });
    return Object.keys(seen).map(function (k) { return seen[k]; }).sort();
  }

  options('f-year', distinct('year').reverse());
  options('f-format', distinct('format'));

  function review(e) { return local[e.id] && e.review === 'none' ? 'local' : e.review; }

  function matches(e) {
    var q = field('q').value.trim().toLowerCase();
    if (q && ((e.title || '') + ' ' + (e.agency || '') + ' ' + (e.source || '')).toLowerCase().indexOf(q) < 0) {
      return false;
    }
    if (field('f-year').value && String(e.year) !== field('f-year').value) { return false; }
    if (field('f-format').value && String(e.format) !== field('f-format').value) { return false; }
    if (field('f-status').value && e.status !== field('f-status').value) { return false; }
    if (field('f-review').value && review(e) !== field('f-review').value) { return false; }
    if (field('f-failed').checked && !e.failed) { return false; }
    if (field('f-missing').checked && !e.missing) { return false; }
    if (field('f-repaired').checked && !e.repaired) { return false; }
    return true;
  }

  function compare(a, b) {
    var k = state.sort;
    var x = k === 'review' ? review(a) : a[k];
    var y = k === 'review' ? review(b) : b[k];
    if (x === y) { return a.order - b.order; }
    if (x === null || x === undefined) { return 1; }
    if (y === null || y === undefined) { return -1; }
    var c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN');
    return state.desc ? -c : c;
  }

  function cell(tr, text, cls) {
    var td = R.el('td', cls, text);
    tr.appendChild(td);
    return td;
  }

  function render() {
    var rows = all.filter(matches);
    if (state.sort) { rows.sort(compare); }
    var size = parseInt(field('f-size').value, 10) || 100;
    var pages = Math.max(1, Math.ceil(rows.length / size));
    state.page = Math.min(state.page, pages - 1);
    var shown = rows.slice(state.page * size, (state.page + 1) * size);
    body.textContent = '';
    shown.forEach(function (e) {
      var tr = document.createElement('tr');
      tr.tabIndex = -1;
      tr.dataset.href = e.file;
      var first = cell(tr, null, 'label');
      var a = R.el('a', null, e.title || e.source);
      a.href = e.file;
      first.appendChild(a);
      first.appendChild(R.el('div', 'small source', e.source));
      cell(tr, e.agency || '?', 'label');
      cell(tr, e.year === null ? '?' : e.year);
      cell(tr, e.format || '?');
      cell(tr, W.report_status[e.status] || e.status, 'rstatus ' + e.status);
      cell(tr, e.failed, e.failed ? 'fail' : '');
      cell(tr, e.missing, e.missing ? 'missing' : '');
      cell(tr, e.repaired, e.repaired ? 'repaired' : '');
      cell(tr, W.review[review(e)] || review(e), 'review ' + review(e));
      body.appendChild(tr);
    });
    if (!shown.length) {
      var tr = document.createElement('tr');
      var td = cell(tr, W.ui.no_reports);
      td.colSpan = 9;
      body.appendChild(tr);
    }
    field('shown').textContent = W.ui.shown + ' ' + shown.length + ' / ' + rows.length + ' / ' + all.length;
    pager(pages);
    var first = body.querySelector('tr[data-href]');
    if (first) { first.tabIndex = 0; }
  }

  function pager(pages) {
    var nav = field('pager');
    nav.textContent = '';
    if (pages < 2) { return; }
    for (var i = 0; i < pages; i++) {
      var b = R.el('button', i === state.page ? 'current' : '', i + 1);
      b.type = 'button';
      b.dataset.page = String(i);
      nav.appendChild(b);
    }
  }

  field('pager').addEventListener('click', function (ev) {
    var p = ev.target.dataset && ev.target.dataset.page;
    if (p !== undefined) { state.page = parseInt(p, 10); render(); }
  });

  document.querySelectorAll('#reports th[data-sort]').forEach(function (th) {
    th.tabIndex = 0;
    function sort() {
      var k = th.dataset.sort;
      state.desc = state.sort === k ? !state.desc : false;
      state.sort = k;
      document.querySelectorAll('#reports th').forEach(function (x) { x.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', state.desc ? 'descending' : 'ascending');
      render();
    }
    th.addEventListener('click', sort);
    th.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') { sort(); } });
  });

  field('filters').addEventListener('input', function () { state.page = 0; render(); });
  field('filters').addEventListener('submit', function (ev) { ev.preventDefault(); });

  document.addEventListener('keydown', function (ev) {
    if (R.typing(ev)) {
      if (ev.key === 'Escape' || (ev.key === 'ArrowDown' && ev.target.id === 'q')) {
        var first = body.querySelector('tr[data-href]');
        if (first) { ev.preventDefault(); first.focus(); }
      }
      return;
    }
    var rows = Array.prototype.slice.call(body.querySelectorAll('tr[data-href]'));
    var at = rows.indexOf(document.activeElement);
    if (ev.key === '/') { ev.preventDefault(); field('q').focus(); return; }
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      var next = rows[Math.max(0, Math.min(rows.length - 1, at + (ev.key === 'ArrowDown' ? 1 : -1)))];
      if (next) {
        rows.forEach(function (r) { r.tabIndex = -1; });
        next.tabIndex = 0;
        next.focus();
      }
    } else if (ev.key === 'Enter' && at >= 0) {
      window.location.href = rows[at].dataset.href;
    } else if (ev.key === 'PageDown' || ev.key === 'PageUp') {
      ev.preventDefault();
      state.page = Math.max(0, state.page + (ev.key === 'PageDown' ? 1 : -1));
      render();
    }
  });

  render();
}());
