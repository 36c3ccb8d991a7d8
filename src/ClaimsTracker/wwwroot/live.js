// ClaimsTracker live updates: one server-sent event stream per page; the part of the page marked #live is
// fetched again from the server (the same HTML a reload would give) when a change it shows is reported.
(function () {
  "use strict";

  var region = document.getElementById("live");
  if (region) {
    follow(region);
  }
  var rebuild = document.getElementById("rebuild-form");
  if (rebuild) {
    rebuild.addEventListener("submit", startRebuild);
  }

  function follow(region) {
    var topic = region.getAttribute("data-live-topic");
    var claim = region.getAttribute("data-live-claim");
    var source = region.getAttribute("data-live-src");
    var status = document.querySelector("[data-live-status]");
    var statusText = status && status.querySelector("[data-live-text]");
    var busy = false, again = false, lastRefresh = 0;

    function show(state, text) {
      document.documentElement.setAttribute("data-live", state);
      if (status) {
        status.hidden = false;
        status.setAttribute("data-state", state);
        statusText.textContent = text;
      }
    }

    function refresh() {
      if (busy) { again = true; return; }
      var wait = Math.max(0, lastRefresh + 250 - Date.now());
      busy = true;
      setTimeout(function () {
        fetch(source, { headers: { "Accept": "text/html" }, cache: "no-store" })
          .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
          .then(function (html) {
            var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live");
            if (fresh) { replace(region, fresh); }
            var n = Number(region.getAttribute("data-refreshed") || "0") + 1;
            region.setAttribute("data-refreshed", String(n));
            show("connected", "Live · updated " + new Date().toISOString().slice(11, 19) + " UTC");
          })
          .catch(function () { show("stale", "Live · could not refresh; reload the page"); })
          .finally(function () {
            busy = false;
            lastRefresh = Date.now();
            if (again) { again = false; refresh(); }
          });
      }, wait);
    }

    var stream = new EventSource("/events/stream");
    stream.addEventListener("ready", function () { show("connected", "Live · changes appear as they are recorded"); });
    stream.addEventListener("error", function () { show("reconnecting", "Live · reconnecting…"); });
    stream.addEventListener(topic, function (event) {
      if (claim) {
        var change = JSON.parse(event.data);
        if (change.id !== claim) { return; }
      }
      refresh();
    });
    window.addEventListener("pagehide", function () { stream.close(); });
  }

  // keeps keyboard focus where it was when the element it was on comes back in the fresh markup
  function replace(region, fresh) {
    var focused = document.activeElement;
    var key = focused && region.contains(focused) ? (focused.id || focused.getAttribute("href")) : null;
    region.replaceChildren.apply(region, Array.prototype.slice.call(fresh.childNodes).map(function (node) {
      return document.importNode(node, true);
    }));
    if (key) {
      var again = document.getElementById(key) || region.querySelector('[href="' + CSS.escape(key) + '"]');
      if (again) { again.focus(); }
    }
  }

  function startRebuild(event) {
    event.preventDefault();
    var form = event.target;
    var name = form.elements.projection.value;
    var out = document.getElementById("rebuild-result");
    out.textContent = "Starting the rebuild of " + name + "…";
    fetch("/api/admin/projections/" + encodeURIComponent(name) + "/rebuild", {
      method: "POST",
      headers: { "Authorization": "Bearer " + form.elements.key.value }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.status === 202) {
          out.textContent = "Rebuild of " + name + " started by " + body.startedBy + "; its progress shows in the table.";
        } else {
          out.textContent = (body.title || ("Refused (" + response.status + ")")) + (body.detail ? ": " + body.detail : "");
        }
      });
    }).catch(function () { out.textContent = "The service could not be reached; try again."; });
  }
})();
