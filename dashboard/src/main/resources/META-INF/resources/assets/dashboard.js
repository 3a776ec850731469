// FetchSMS dashboard: the little the pages need beyond htmx. No inline script anywhere (the Content-Security-Policy
// allows scripts from this origin only).
(function () {
  'use strict';

  // Countdowns: <time data-countdown="2026-12-07T14:20:00Z"> shows mm:ss left, "expired" at the end.
  function tick() {
    document.querySelectorAll('[data-countdown]').forEach(function (el) {
      var end = Date.parse(el.getAttribute('data-countdown'));
      if (isNaN(end)) { return; }
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      var text = left === 0 ? 'time is up' : Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0');
      if (el.textContent !== text) { el.textContent = text; }
    });
  }

  // Copy buttons: <button data-copy="#selector"> copies that element's text and says so.
  document.addEventListener('click', function (event) {
    var button = event.target.closest('[data-copy]');
    if (!button) { return; }
    var source = document.querySelector(button.getAttribute('data-copy'));
    if (!source || !navigator.clipboard) { return; }
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var label = button.textContent;
      button.textContent = 'Copied';
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });

  // Table search: <input data-filter="#table"> hides the rows whose data-name does not contain the text.
  document.addEventListener('input', function (event) {
    var input = event.target;
    if (!input.matches('[data-filter]')) { return; }
    var needle = input.value.trim().toLowerCase();
    document.querySelectorAll(input.getAttribute('data-filter') + ' tbody tr').forEach(function (row) {
      row.hidden = needle !== '' && (row.getAttribute('data-name') || '').toLowerCase().indexOf(needle) < 0;
    });
  });

  // Live parts: the page's stream (/app/live) only says what changed from the moment it is connected. Whatever changed
  // before (between the page's rendering and the connection, or while it was away: another tab holding the account's
  // streams, a restart) would be missed, so each time the stream opens, every live part of the page fetches itself
  // again, exactly as an event naming it would make it do.
  var streams = [];
  document.addEventListener('htmx:sseOpen', function (event) {
    var source = event.detail && event.detail.source;
    if (source && streams.indexOf(source) < 0) { streams.push(source); }
    document.querySelectorAll('[hx-trigger^="sse:"]').forEach(function (el) {
      var name = el.getAttribute('hx-trigger').split(/[\s,]/)[0];
      htmx.trigger(el, name);
    });
  });
  // An account has a few event streams only: a page the customer leaves gives its stream back at once, even when the
  // browser keeps the page in its back/forward cache; coming back to such a page loads it afresh.
  window.addEventListener('pagehide', function () {
    streams.forEach(function (source) { source.close(); });
    streams = [];
  });
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) { window.location.reload(); }
  });

  // Wide tables: on a narrow screen a table wider than the page scrolls sideways in place (dashboard.css). With nothing
  // focusable in it, a keyboard could not scroll it to its last columns, so while it overflows it takes the focus itself
  // (tabindex 0: Tab reaches it, the arrow keys scroll it) and gives it back once it fits.
  function wideTables() {
    document.querySelectorAll('table.data').forEach(function (table) {
      var overflows = table.scrollWidth > table.clientWidth;
      if (overflows && !table.hasAttribute('tabindex')) {
        table.setAttribute('tabindex', '0');
      } else if (!overflows && table.getAttribute('tabindex') === '0') {
        table.removeAttribute('tabindex');
      }
    });
  }

  tick();
  setInterval(tick, 1000);
  document.addEventListener('htmx:afterSwap', tick);
  wideTables();
  window.addEventListener('load', wideTables);
  window.addEventListener('resize', wideTables);
  document.addEventListener('htmx:afterSettle', wideTables);
})();
