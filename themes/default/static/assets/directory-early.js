/* Loaded in the directory page's <head>, before anything is drawn: marks <html> so that
   assets/directory.css shows the search form at once and, when the address carries a
   search, its results in place of the full list (so nothing is drawn only to be hidden).
   assets/directory.js undoes this if it cannot run. */
(function (d) {
  'use strict';
  if (!window.Promise || !window.URLSearchParams || !d.head) { return; }
  d.documentElement.classList.add('search-ready');
  if (/[?&](q|area|category|age|delivery|referral|cost)=[^&]/.test(window.location.search)) {
    d.documentElement.classList.add('search-pending');
  }
}(document));
