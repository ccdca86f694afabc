// The progress page after signing (templates/workflow/decision_progress.html): reload its status region from the
// same URL every few seconds until the work is done, without reloading the page (the region is aria-live, so a
// screen reader hears the new figures). Served from this origin: the page's Content-Security-Policy allows it.
(function () {
  "use strict";
  var ID = "signing-progress";

  function schedule(region) {
    if (!region || region.dataset.done === "1" || region.dataset.polling) return;
    region.dataset.polling = "1";
    var seconds = parseInt(region.dataset.refreshSeconds, 10) || 2;
    window.setTimeout(function () {
      refresh(region);
    }, seconds * 1000);
  }

  function refresh(region) {
    if (!document.body.contains(region)) return; // the person went to another page
    window
      .fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(ID);
        if (fresh && document.body.contains(region)) {
          // Only a change is written: an unchanged region is not read out again.
          if (fresh.innerHTML !== region.innerHTML) region.innerHTML = fresh.innerHTML;
          region.dataset.done = fresh.dataset.done;
        }
      })
      .catch(function () {
        // A failed poll (network, server restarting) is tried again at the next tick.
      })
      .then(function () {
        delete region.dataset.polling;
        schedule(region);
      });
  }

  var region = document.getElementById(ID);
  // A page restored from Turbo's cache carries the mark of the poll that was running when it was left.
  if (region) delete region.dataset.polling;
  schedule(region);
})();
