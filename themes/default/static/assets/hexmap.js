/* Hex maps: one stop in the tab order per map instead of one per tile. The tile last
   visited keeps the stop; the arrow keys move to the nearest tile in their direction, Home
   and End to the first and last tile. Without this script every tile is a link in the tab
   order, as in any page. */
(function () {
  'use strict';
  var STEPS = {
    ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1],
    Right: [1, 0], Left: [-1, 0], Down: [0, 1], Up: [0, -1]
  };
  function centre(el) {
    var r = el.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }
  /* The tile nearest to `from` in the direction (dx, dy); sideways distance counts double. */
  function nearest(tiles, from, dx, dy) {
    var c = centre(from), best = null, bestCost = Infinity;
    for (var i = 0; i < tiles.length; i++) {
      if (tiles[i] === from) continue;
      var t = centre(tiles[i]);
      var along = (t.x - c.x) * dx + (t.y - c.y) * dy;
      var across = Math.abs((t.x - c.x) * dy) + Math.abs((t.y - c.y) * dx);
      if (along <= 1) continue;
      var cost = along + 2 * across;
      if (cost < bestCost) { bestCost = cost; best = tiles[i]; }
    }
    return best;
  }
  function setUp(map) {
    var tiles = Array.prototype.slice.call(map.querySelectorAll('a'));
    if (tiles.length < 2) return;
    function stopAt(tile) {
      for (var i = 0; i < tiles.length; i++) tiles[i].setAttribute('tabindex', tiles[i] === tile ? '0' : '-1');
    }
    stopAt(tiles[0]);
    map.addEventListener('focusin', function (e) {
      var tile = e.target.closest ? e.target.closest('a') : null;
      if (tile && tiles.indexOf(tile) >= 0) stopAt(tile);
    });
    map.addEventListener('keydown', function (e) {
      var tile = document.activeElement;
      if (tiles.indexOf(tile) < 0) return;
      var next = null;
      if (e.key === 'Home') next = tiles[0];
      else if (e.key === 'End') next = tiles[tiles.length - 1];
      else if (STEPS[e.key]) next = nearest(tiles, tile, STEPS[e.key][0], STEPS[e.key][1]);
      else return;
      e.preventDefault();
      if (next) { stopAt(next); next.focus(); }
    });
  }
  var maps = document.querySelectorAll('svg.hexmap');
  for (var i = 0; i < maps.length; i++) setUp(maps[i]);
  var hints = document.querySelectorAll('.hexmap-keys');
  for (var j = 0; j < hints.length; j++) hints[j].hidden = false;
})();
