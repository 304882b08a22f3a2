// Compare areas: shows the picker (the page without JavaScript shows every area), hides
// the columns of the areas not chosen and keeps the choice in the address, as
// ?areas=knowsley,liverpool, so a reload or a shared link shows the same columns.
(function () {
  'use strict';
  var form = document.getElementById('compare-picker');
  var summary = document.getElementById('compare-summary');
  if (!form || !summary) return;
  var boxes = Array.prototype.slice.call(form.querySelectorAll('input[name="areas"]'));
  var known = boxes.map(function (b) { return b.value; });
  var names = {};
  boxes.forEach(function (b) { names[b.value] = document.querySelector('label[for="' + b.id + '"]').textContent; });
  var cells = Array.prototype.slice.call(document.querySelectorAll('table.compare-areas [data-area]'));
  var allText = summary.textContent;

  function fromAddress() {
    var params = new URLSearchParams(window.location.search);
    var chosen = [];
    params.getAll('areas').forEach(function (v) {
      v.split(',').forEach(function (id) {
        id = id.trim();
        if (known.indexOf(id) >= 0 && chosen.indexOf(id) < 0) chosen.push(id);
      });
    });
    // In the order of the table.
    return known.filter(function (id) { return chosen.indexOf(id) >= 0; });
  }

  function inWords(list) {
    if (list.length < 2) return list.join('');
    return list.slice(0, -1).join(', ') + ' and ' + list[list.length - 1];
  }

  function show(chosen) {
    boxes.forEach(function (b) { b.checked = chosen.indexOf(b.value) >= 0; });
    cells.forEach(function (c) { c.hidden = chosen.length > 0 && chosen.indexOf(c.getAttribute('data-area')) < 0; });
    if (chosen.length === 0) {
      summary.textContent = allText;
    } else {
      var text = 'Comparing ' + chosen.length + ' of ' + known.length + ' areas: ' +
        inWords(chosen.map(function (id) { return names[id]; })) + ', with all areas of the region.';
      if (chosen.length === 1) text += ' Choose at least one more area to compare.';
      summary.textContent = text;
    }
  }

  function address(chosen) {
    var url = window.location.pathname;
    if (chosen.length > 0) url += '?areas=' + chosen.map(encodeURIComponent).join(',');
    return url + window.location.hash;
  }

  function choose(chosen) {
    window.history.pushState(null, '', address(chosen));
    show(chosen);
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    choose(boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }));
  });
  document.getElementById('compare-all').addEventListener('click', function () { choose([]); });
  window.addEventListener('popstate', function () { show(fromAddress()); });
  form.hidden = false;
  show(fromAddress());
})();
