/* Directory search and filters. The page is complete without this script: it lists every
   service by area. With it, the search form appears, results follow the query and filters
   as they change, and the address bar carries them so a view can be shared. Service text
   is only ever inserted with textContent, never as HTML. */
(function () {
  'use strict';
  var data = window.SCOPEMAP_DIRECTORY;
  var script = document.currentScript;
  var root = (script && script.getAttribute('data-root')) || '';
  var form = document.getElementById('directory-search');
  if (!data || !form || !window.URLSearchParams) { return; }
  var results = document.getElementById('search-results');
  var list = document.getElementById('results-list');
  var count = document.getElementById('results-count');
  var fullList = document.getElementById('full-list');
  var FILTERS = ['area', 'category', 'age', 'delivery', 'referral', 'cost'];

  function fold(text) {
    return String(text || '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }
  function words(text) {
    return fold(text).split(/[^a-z0-9]+/).filter(function (w) { return w.length > 0; });
  }
  /* Edit distance with adjacent swaps, stopping early once it exceeds `limit`. */
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) { return limit + 1; }
    var prev2 = null, prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) { prev[j] = j; }
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          v = Math.min(v, prev2[j - 2] + 1);
        }
        cur[j] = v;
        if (v < best) { best = v; }
      }
      if (best > limit) { return limit + 1; }
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }
  /* How well one query word matches a field's words: exact 3, prefix 2, near miss 1. */
  function wordScore(q, fieldWords) {
    var best = 0;
    var limit = q.length >= 8 ? 2 : (q.length >= 5 ? 1 : 0);
    for (var i = 0; i < fieldWords.length && best < 3; i++) {
      var w = fieldWords[i];
      if (w === q) { best = 3; }
      else if (w.indexOf(q) === 0 && best < 2) { best = 2; }
      else if (limit > 0 && best < 1 && distance(q, w, limit) <= limit) { best = 1; }
    }
    return best;
  }
  var WEIGHTS = { name: 3, alt: 3, provider: 1.5, interventions: 1.5, towns: 1.5, areas: 1.5, summary: 1, text: 0.5 };
  var prepared = data.services.map(function (s) {
    return {
      s: s,
      fields: {
        name: words(s.name), alt: words(s.alt), provider: words(s.provider),
        interventions: words(s.interventions.join(' ')), towns: words(s.towns.join(' ')),
        areas: words(s.area_labels.join(' ')), summary: words(s.summary), text: words(s.text)
      }
    };
  });
  function score(entry, queryWords) {
    var total = 0;
    for (var i = 0; i < queryWords.length; i++) {
      var best = 0;
      for (var f in WEIGHTS) {
        var v = wordScore(queryWords[i], entry.fields[f]) * WEIGHTS[f];
        if (v > best) { best = v; }
      }
      if (best === 0) { return 0; }
      total += best;
    }
    return total;
  }
  function passes(s, filters) {
    if (filters.area && s.places.indexOf(filters.area) < 0) { return false; }
    if (filters.category && s.categories.indexOf(filters.category) < 0) { return false; }
    if (filters.age && s.ages.indexOf(filters.age) < 0) { return false; }
    if (filters.delivery && s.delivery.indexOf(filters.delivery) < 0) { return false; }
    // "not-stated" finds the services whose sources do not say.
    if (filters.referral === 'not-stated') {
      if (s.referral.length) { return false; }
    } else if (filters.referral && s.referral.indexOf(filters.referral) < 0) { return false; }
    if (filters.cost === 'not-stated') {
      if (s.cost) { return false; }
    } else if (filters.cost && s.cost !== filters.cost) { return false; }
    return true;
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function fact(dl, term, value) {
    var div = el('div');
    div.appendChild(el('dt', '', term));
    div.appendChild(el('dd', '', value));
    dl.appendChild(div);
  }
  function labels(codes, table) {
    return codes.map(function (c) { return (table && table[c]) || c; }).join(', ');
  }
  function card(s) {
    var li = el('li', 'service-card');
    var h = el('h3', 'card-title');
    var a = el('a', '', s.name);
    a.href = root + 'directory/' + s.id + '/index.html';
    h.appendChild(a);
    if (s.alt) { h.appendChild(document.createTextNode(' ')); h.appendChild(el('span', 'alt', '(' + s.alt + ')')); }
    li.appendChild(h);
    if (s.status === 'in-development') { li.appendChild(el('p', 'status status-dev', 'In development')); }
    li.appendChild(el('p', 'summary', s.summary));
    var dl = el('dl', 'facts');
    fact(dl, 'Provider', s.provider || 'Not stated');
    if (s.area_labels.length) { fact(dl, 'Areas', s.area_labels.join(', ')); }
    if (s.ages.length) { fact(dl, 'Ages', labels(s.ages, data.labels.ages)); }
    if (s.delivery.length) { fact(dl, 'How', labels(s.delivery, data.labels.delivery)); }
    if (s.referral.length) { fact(dl, 'Referral', labels(s.referral, data.labels.referral)); }
    li.appendChild(dl);
    return li;
  }
  function readForm() {
    var state = { q: form.elements.q.value.trim() };
    FILTERS.forEach(function (name) { state[name] = form.elements[name].value; });
    return state;
  }
  function writeForm(state) {
    form.elements.q.value = state.q || '';
    FILTERS.forEach(function (name) {
      var select = form.elements[name];
      var wanted = state[name] || '';
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === wanted; });
      select.value = known ? wanted : '';
    });
  }
  function stateFromUrl() {
    var params = new URLSearchParams(window.location.search);
    var state = { q: params.get('q') || '' };
    FILTERS.forEach(function (name) { state[name] = params.get(name) || ''; });
    return state;
  }
  function updateUrl(state) {
    var params = new URLSearchParams();
    if (state.q) { params.set('q', state.q); }
    FILTERS.forEach(function (name) { if (state[name]) { params.set(name, state[name]); } });
    var query = params.toString();
    try {
      window.history.replaceState(null, '', query ? '?' + query : window.location.pathname);
    } catch (e) { /* some browsers refuse this for pages opened from disk */ }
  }
  function render() {
    var state = readForm();
    updateUrl(state);
    var active = state.q || FILTERS.some(function (n) { return state[n]; });
    results.hidden = !active;
    fullList.hidden = !!active;
    if (!active) { return; }
    var queryWords = words(state.q);
    var found = prepared
      .filter(function (e) { return passes(e.s, state); })
      .map(function (e) { return { s: e.s, score: queryWords.length ? score(e, queryWords) : 1 }; })
      .filter(function (r) { return r.score > 0; })
      .sort(function (a, b) { return b.score - a.score || a.s.name.localeCompare(b.s.name); });
    while (list.firstChild) { list.removeChild(list.firstChild); }
    found.forEach(function (r) { list.appendChild(card(r.s)); });
    count.textContent = found.length === 0
      ? 'No services match. Try fewer words or clear a filter.'
      : found.length + (found.length === 1 ? ' service matches.' : ' services match.');
  }
  form.hidden = false;
  writeForm(stateFromUrl());
  form.addEventListener('input', render);
  form.addEventListener('change', render);
  form.addEventListener('submit', function (e) { e.preventDefault(); render(); });
  form.addEventListener('reset', function () { window.setTimeout(render, 0); });
  render();
}());
