/* The review site's shared script: interface words, the reviewer's name, decisions kept in
   this browser (localStorage) and their download as a JSON file for `nianbao audit --import`.
   Every text goes into the page through textContent: nothing is parsed as markup. */
(function () {
  'use strict';

  var STORE = 'nianbao-review-decisions-v1';
  var NAME = 'nianbao-review-reviewer';
  var W = JSON.parse(document.getElementById('words').textContent);

  function load() {
    try {
      var list = JSON.parse(localStorage.getItem(STORE) || '[]');
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return [];
    }
  }

  function store(list) {
    localStorage.setItem(STORE, JSON.stringify(list));
    showPending();
  }

  function reviewer() {
    return (localStorage.getItem(NAME) || '').trim();
  }

  /* A decision replaces this reviewer's earlier one on the same report and cell. */
  function add(d) {
    var list = load().filter(function (x) {
      return !(x.report_id === d.report_id && x.cell === d.cell && x.reviewer === d.reviewer);
    });
    list.push(d);
    store(list);
  }

  function remove(reportId, cell) {
    store(load().filter(function (x) {
      return !(x.report_id === reportId && x.cell === cell);
    }));
  }

  /* Drop local decisions the warehouse already holds (imported, then the site rewritten). */
  function forgetImported(reportId, imported) {
    var seen = {};
    Object.keys(imported).forEach(function (k) {
      var d = imported[k];
      if (d.at) { seen[d.reviewer + '|' + Date.parse(d.at + 'Z')] = true; }
    });
    var list = load();
    var kept = list.filter(function (x) {
      return !(x.report_id === reportId && seen[x.reviewer + '|' + Date.parse(x.decided_at)]);
    });
    if (kept.length !== list.length) { store(kept); }
  }

  function download() {
    var list = load();
    var payload = {
      schema: 'nianbao.reviewer_decisions',
      version: 1,
      exported_at: new Date().toISOString(),
      decisions: list
    };
    var blob = new Blob([JSON.stringify(payload, null, 1)], { type: 'application/json' });
    var a = document.createElement('a');
    var stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
    a.download = 'nianbao-decisions-' + stamp + '.json';
    a.href = URL.createObjectURL(blob);
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function showPending() {
    var n = load().length;
    var out = document.getElementById('pending');
    if (out) { out.textContent = n ? W.ui.local_decisions + ' ' + n : ''; }
  }

  /* Whether a key press belongs to a text field (then shortcuts stay off). */
  function typing(ev) {
    var t = ev.target;
    return t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' ||
                 t.isContentEditable);
  }

  var name = document.getElementById('reviewer');
  if (name) {
    name.value = reviewer();
    name.addEventListener('input', function () { localStorage.setItem(NAME, name.value.trim()); });
  }
  var button = document.getElementById('download');
  if (button) { button.addEventListener('click', download); }
  showPending();

  window.Review = {
    W: W, load: load, add: add, remove: remove, reviewer: reviewer, download: download,
    forgetImported: forgetImported, el: el, typing: typing
  };
}());
