/* Directory search and filters. The page is complete without this script: it lists every
   service by area, and each area and type of service has its own list. With it, the search
   form appears, results follow the query and the filters as they change, and the address
   carries them so that a view can be shared.

   The index is cut into small files under directory/search/ (see src/render/search.rs):
   a search loads the term files of its words, the filter files of its filters and the
   details of the services it shows, and nothing else. Each file is a script that hands its
   data to scopemapSearch(name, data), so the search works on pages opened from disk too.

   Ranking: services that match every word of the query come first, then those that match
   some of them; within each, by how well they match (the whole word, its beginning, or a
   near miss, in the name, in the facts, in the summary or in the description), then by
   name. A phrase from the synonyms also finds what the other phrases of its group find.
   Service text is only ever inserted with textContent, never as HTML. */
(function () {
  'use strict';
  var script = document.currentScript;
  var root = (script && script.getAttribute('data-root')) || '';
  var form = document.getElementById('directory-search');
  var html = document.documentElement;
  if (!form || !window.URLSearchParams || !window.Promise || !document.head) {
    html.classList.remove('search-ready', 'search-pending');
    return;
  }
  var base = root + 'directory/search/';
  var results = document.getElementById('search-results');
  var list = document.getElementById('results-list');
  var partial = document.getElementById('results-partial');
  var allHeading = document.getElementById('results-heading');
  var partialHeading = document.getElementById('partial-heading');
  var count = document.getElementById('results-count');
  var more = document.getElementById('more-results');
  var fullList = document.getElementById('full-list');
  var filterCount = document.getElementById('filter-count');
  var FILTERS = ['area', 'category', 'age', 'delivery', 'referral', 'cost'];
  var PAGE = 20;
  /* How much a match counts, by where the term is (description, summary, facts, name)
     and how it matches (near miss, beginning, whole word). */
  var FIELD = [0.5, 1, 1.5, 3];
  var SYNONYM = 0.9;

  // ------------------------------------------------------------ loading the index

  var loaded = {};
  var waiting = {};
  var meta = null;
  window.scopemapSearch = function (name, data) {
    loaded[name] = data;
    if (waiting[name]) { waiting[name].resolve(data); }
  };
  function load(name) {
    if (loaded[name] !== undefined) { return Promise.resolve(loaded[name]); }
    if (waiting[name]) { return waiting[name].promise; }
    var entry = {};
    entry.promise = new Promise(function (resolve, reject) { entry.resolve = resolve; entry.reject = reject; });
    waiting[name] = entry;
    var tag = document.createElement('script');
    tag.src = base + name + '.js' + (meta ? '?v=' + meta.v : '');
    tag.async = true;
    tag.onerror = function () {
      delete waiting[name];
      entry.reject(new Error('could not load ' + name));
    };
    tag.onload = function () {
      if (loaded[name] === undefined) {
        delete waiting[name];
        entry.reject(new Error(name + ' did not load'));
      }
    };
    document.head.appendChild(tag);
    return entry.promise;
  }
  var ready = load('meta').then(function (m) { meta = m; return m; });

  /* A number list (see src/render/search.rs): gaps less one, five bits a character.
     Calls `each(gap)` for every number. */
  var VALUE = new Int8Array(128);
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').forEach(function (ch, v) {
    VALUE[ch.charCodeAt(0)] = v;
  });
  function eachNumber(text, each) {
    var value = 0, scale = 1;
    for (var i = 0; i < text.length; i++) {
      var v = VALUE[text.charCodeAt(i)];
      value += (v & 31) * scale;
      if (v & 32) { scale *= 32; } else { each(value); value = 0; scale = 1; }
    }
  }
  /* Postings: service numbers and the field each term is in. */
  function postings(text) {
    var docs = new Int32Array(text.length), fields = new Uint8Array(text.length);
    var n = 0, next = 0;
    eachNumber(text, function (v) {
      var doc = next + (v >>> 2);
      docs[n] = doc;
      fields[n++] = v & 3;
      next = doc + 1;
    });
    return { docs: docs.subarray(0, n), fields: fields.subarray(0, n) };
  }
  function docList(text) {
    var next = 0, out = [];
    eachNumber(text, function (v) { next += v; out.push(next); next += 1; });
    return out;
  }

  // ------------------------------------------------------------ reading queries

  function fold(text) {
    return String(text || '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f'\u2019]/g, '');
  }
  function words(text) {
    return fold(text).split(/[^a-z0-9]+/).filter(function (w) {
      return w.length > 0 && !(w.length === 1 && /[a-z]/.test(w)) && meta.stop.indexOf(w) < 0;
    });
  }
  function keyOf(word) { return word.slice(0, 2); }

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

  /* How well each service matches one word: 3 for the whole word, 2 for a word it begins
     (1.5 when the word is `complete`, followed by another, so more likely meant whole),
     1 for a near miss (when `typos`), times the weight of the field. */
  var decoded = {};
  function wordScores(word, typos, complete) {
    var scores = new Float32Array(meta.n);
    var shard = loaded['t/' + keyOf(word)];
    if (!shard) { return scores; }
    var limit = !typos ? 0 : (word.length >= 8 ? 2 : (word.length >= 5 ? 1 : 0));
    for (var t = 0; t < shard.w.length; t++) {
      var term = shard.w[t], quality = 0;
      if (term === word) { quality = 3; }
      else if (term.indexOf(word) === 0) { quality = complete ? 1.5 : 2; }
      else if (limit > 0 && distance(word, term, limit) <= limit) { quality = 1; }
      if (!quality) { continue; }
      var id = keyOf(word) + ':' + t;
      var p = decoded[id] || (decoded[id] = postings(shard.p[t]));
      for (var i = 0; i < p.docs.length; i++) {
        var s = quality * FIELD[p.fields[i]];
        if (s > scores[p.docs[i]]) { scores[p.docs[i]] = s; }
      }
    }
    return scores;
  }

  /* The synonyms a query uses: for each phrase of a group found in the query's words, the
     other phrases of the group, with the words of the query they stand for. A query word
     stands for a phrase's word when it is that word, that word with up to two more letters
     ("visitors" for "visitor"), or, for the last word while it is being typed, its first
     three letters or more. */
  function alternatives(q) {
    var out = [];
    meta.syn.forEach(function (group) {
      group.forEach(function (phrase) {
        for (var i = 0; i + phrase.length <= q.length; i++) {
          var ok = phrase.every(function (w, j) {
            var typed = q[i + j];
            if (typed === w) { return true; }
            if (typed.indexOf(w) === 0 && typed.length - w.length <= 2) { return true; }
            return i + j === q.length - 1 && typed.length >= 3 && w.indexOf(typed) === 0;
          });
          if (!ok) { continue; }
          group.forEach(function (other) {
            if (other !== phrase) { out.push({ from: i, to: i + phrase.length, words: other }); }
          });
        }
      });
    });
    return out;
  }

  /* The services that match a query, best first: [{doc, all}]. A synonym phrase found in
     full stands for the query words it replaces; one found only in part (at least half its
     words, as "postnatal" of "postnatal depression" for "PND") adds a little to the score
     and brings the service in among those that match some of the words. */
  function rank(q, keep) {
    var perWord = q.map(function (w, k) { return wordScores(w, true, k < q.length - 1); });
    var partly = new Float32Array(meta.n);
    alternatives(q).forEach(function (alt) {
      var sum = new Float32Array(meta.n), found = new Uint8Array(meta.n), d;
      alt.words.forEach(function (w) {
        var s = wordScores(w, false, true);
        for (d = 0; d < s.length; d++) { if (s[d] > 0) { sum[d] += s[d]; found[d]++; } }
      });
      var n = alt.words.length;
      for (d = 0; d < meta.n; d++) {
        if (found[d] === n) {
          var v = sum[d] / n * SYNONYM;
          for (var k = alt.from; k < alt.to; k++) { if (v > perWord[k][d]) { perWord[k][d] = v; } }
        } else if (found[d] * 2 >= n) {
          var part = sum[d] / n * SYNONYM / 2;
          if (part > partly[d]) { partly[d] = part; }
        }
      }
    });
    // Each match as one number that sorts in the order wanted: words matched, then score
    // (to a hundredth), then name (service number, reversed), so the sort needs no
    // comparison function: tens of thousands of matches sort in a few milliseconds.
    var keys = new Float64Array(meta.n), found = 0;
    for (var d = 0; d < meta.n; d++) {
      if (keep && !keep[d]) { continue; }
      var matched = 0, total = partly[d];
      for (var k = 0; k < perWord.length; k++) {
        if (perWord[k][d] > 0) { matched++; total += perWord[k][d]; }
      }
      if (total > 0) {
        keys[found++] = (matched * 65536 + Math.min(65535, Math.round(total * 100))) * 33554432 + (33554431 - d);
      }
    }
    var sorted = keys.subarray(0, found).sort();
    var out = [];
    for (var i = found - 1; i >= 0; i--) {
      var key = sorted[i];
      var doc = 33554431 - (key % 33554432);
      out.push({ doc: doc, all: Math.floor(key / 33554432 / 65536) === q.length });
    }
    return out;
  }

  /* The term files a query needs: those of its words and of its synonyms' words. */
  function termFiles(q) {
    var names = {};
    q.forEach(function (w) { names[keyOf(w)] = true; });
    alternatives(q).forEach(function (alt) { alt.words.forEach(function (w) { names[keyOf(w)] = true; }); });
    return Object.keys(names).filter(function (k) { return meta.keys.indexOf(k) >= 0; })
      .map(function (k) { return 't/' + k; });
  }

  /* Which services the filters keep (null: all), or false when a value has no services. */
  function filterMask(state) {
    var wanted = FILTERS.filter(function (f) { return state[f]; });
    if (!wanted.length) { return Promise.resolve(null); }
    for (var i = 0; i < wanted.length; i++) {
      var values = meta.filters[wanted[i]] || [];
      if (values.indexOf(state[wanted[i]]) < 0) { return Promise.resolve(false); }
    }
    return Promise.all(wanted.map(function (f) { return load('f/' + f + '/' + state[f]); }))
      .then(function (lists) {
        var mask = new Uint8Array(meta.n);
        lists.forEach(function (text, i) {
          docList(text).forEach(function (d) { if (mask[d] === i) { mask[d] = i + 1; } });
        });
        for (var d = 0; d < mask.length; d++) { mask[d] = mask[d] === lists.length ? 1 : 0; }
        return mask;
      });
  }

  // ------------------------------------------------------------ showing results

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
    var a = el('a', '', s.n);
    a.href = root + 'directory/' + s.id + '/index.html';
    h.appendChild(a);
    if (s.a) { h.appendChild(document.createTextNode(' ')); h.appendChild(el('span', 'alt', '(' + s.a + ')')); }
    li.appendChild(h);
    if (s.x === 'in-development') { li.appendChild(el('p', 'status status-dev', 'In development')); }
    li.appendChild(el('p', 'summary', s.s));
    var dl = el('dl', 'facts');
    fact(dl, 'Provider', s.p || 'Not stated');
    if (s.r.length) { fact(dl, 'Areas', s.r.join(', ')); }
    if (s.g.length) { fact(dl, 'Ages', labels(s.g, meta.labels.age)); }
    if (s.d.length) { fact(dl, 'How', labels(s.d, meta.labels.delivery)); }
    if (s.f.length) { fact(dl, 'Referral', labels(s.f, meta.labels.referral)); }
    li.appendChild(dl);
    return li;
  }
  function fileOf(doc) { return 'd/' + Math.floor(doc / meta.per); }
  function detailsOf(doc) { return loaded[fileOf(doc)][doc % meta.per]; }

  // ------------------------------------------------------------ the form and the address

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

  var generation = 0;
  var ranked = [];
  var shown = 0;
  var announced = '';

  function say(text) {
    if (text !== announced) { count.textContent = text; announced = text; }
  }
  function clearList() {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    while (partial.firstChild) { partial.removeChild(partial.firstChild); }
  }
  /* Show the next page of results, each as soon as it and those before it have their
     details; resolves once all are on the page. */
  function showMore(mine) {
    var next = ranked.slice(shown, shown + PAGE);
    var drawn = 0;
    function drawReady() {
      if (mine !== generation) { return; }
      while (drawn < next.length && loaded[fileOf(next[drawn].doc)] !== undefined) {
        var r = next[drawn++];
        (r.all ? list : partial).appendChild(card(detailsOf(r.doc)));
        if (drawn === 1) { reveal(); }
      }
      allHeading.hidden = !list.firstChild;
      partialHeading.hidden = !partial.firstChild;
    }
    var files = {};
    next.forEach(function (r) { files[fileOf(r.doc)] = true; });
    return Promise.all(Object.keys(files).map(function (f) { return load(f).then(drawReady); })).then(function () {
      if (mine !== generation) { return; }
      drawReady();
      shown += next.length;
      more.hidden = shown >= ranked.length;
    });
  }
  /* The results in place of the full list. */
  function reveal() {
    html.classList.remove('search-pending');
    results.hidden = false;
    fullList.hidden = true;
    allHeading.hidden = !list.firstChild;
    partialHeading.hidden = !partial.firstChild;
  }
  function failed() {
    html.classList.remove('search-pending');
    results.hidden = true;
    fullList.hidden = false;
    say('The search could not be loaded. Every service is listed below, by area.');
  }

  function render() {
    var state = readForm();
    updateUrl(state);
    var applied = FILTERS.filter(function (n) { return state[n]; }).length;
    filterCount.textContent = applied ? '(' + applied + ' applied)' : '';
    var mine = ++generation;
    var active = state.q || applied;
    if (!active) {
      html.classList.remove('search-pending');
      results.hidden = true;
      fullList.hidden = false;
      clearList();
      say('');
      return Promise.resolve();
    }
    return ready.then(function () {
      var q = words(state.q);
      return Promise.all([filterMask(state), Promise.all(termFiles(q).map(load))]).then(function (got) {
        if (mine !== generation) { return; }
        var mask = got[0];
        if (mask === false || (!q.length && !applied)) {
          // No service has the filter value, or the query has no word the search looks at.
          ranked = [];
        } else if (q.length) {
          ranked = rank(q, mask);
        } else {
          ranked = [];
          for (var d = 0; d < meta.n; d++) { if (!mask || mask[d]) { ranked.push({ doc: d, all: true }); } }
        }
        var all = ranked.filter(function (r) { return r.all; }).length;
        var some = ranked.length - all;
        clearList();
        shown = 0;
        allHeading.textContent = q.length > 1 ? 'Services matching all your words' : 'Matching services';
        partialHeading.textContent = q.length > 1 ? 'Services matching some of your words' : 'Services that may be related';
        return showMore(mine).then(function () {
          if (mine !== generation) { return; }
          reveal();
          var services = function (n) { return n === 1 ? '1 service' : n + ' services'; };
          var verb = function (n) { return n === 1 ? ' matches' : ' match'; };
          if (!ranked.length) {
            say(state.q.trim() && !q.length
              ? 'No services match: try a word that names a service, a place or what you need.'
              : 'No services match. Try fewer words or clear a filter.');
          } else if (q.length > 1 || some) {
            say((all ? services(all) + verb(all) : 'No service matches') +
              (q.length > 1 ? ' all your words' : ' your search') +
              (some ? ', and ' + services(some) + (q.length > 1 ? verb(some) + ' some of them.' : ' may be related.') : '.'));
          } else {
            say(services(ranked.length) + verb(ranked.length) + '.');
          }
        });
      });
    }).catch(function () { if (mine === generation) { failed(); } });
  }

  form.hidden = false;
  writeForm(stateFromUrl());
  form.addEventListener('input', render);
  form.addEventListener('change', function (e) { if (e.target !== form.elements.q) { render(); } });
  form.addEventListener('submit', function (e) { e.preventDefault(); render(); });
  form.addEventListener('reset', function () { window.setTimeout(render, 0); });
  more.addEventListener('click', function () {
    var first = shown;
    showMore(generation).then(function () {
      // Focus moves to the first of the new results, so keyboard users carry on from there.
      var cards = list.querySelectorAll('.service-card').length;
      var target = first < cards
        ? list.querySelectorAll('.service-card .card-title a')[first]
        : partial.querySelectorAll('.service-card .card-title a')[first - cards];
      if (target) { target.focus(); }
    });
  });
  render();
}());
