/* argmap: the filter of the index page.
 *
 * The data is search-index.js at the top of the site (one JSON document assigned to
 * window.argmapSearchIndex: a script, because fetch() fails on file://). Typing words
 * keeps the maps whose title, summary, tags or statements contain every word, and lists
 * under each map the statements that do, linked to their permalinks (page.html#id).
 * No library, no network; without JavaScript the filter stays hidden.
 */
(function () {
  "use strict";

  var MAX_HITS = 8;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function all(haystack, words) {
    for (var i = 0; i < words.length; i += 1) {
      if (haystack.indexOf(words[i]) === -1) {
        return false;
      }
    }
    return true;
  }

  function start() {
    var box = document.querySelector("[data-search]");
    var data = window.argmapSearchIndex;
    if (!box || !data || !data.maps) {
      return;
    }
    var input = box.querySelector("input");
    var status = document.getElementById("_search-status");
    var none = document.querySelector("[data-search-none]");
    var byHref = {};
    data.maps.forEach(function (m) {
      var nodes = m.nodes.map(function (n) {
        return { id: n[0], number: n[1], text: n[2], folded: fold(n[1] + " " + n[2]) };
      });
      byHref[m.href] = {
        map: m,
        nodes: nodes,
        folded: fold([m.title, m.summary, m.tags.join(" ")].join(" ")),
        everything: fold([m.title, m.summary, m.tags.join(" ")].concat(
          nodes.map(function (n) { return n.text; })).join(" "))
      };
    });
    var cards = Array.prototype.slice.call(document.querySelectorAll("[data-map]"));

    function update() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      var found = 0;
      cards.forEach(function (card) {
        var entry = byHref[card.getAttribute("data-map")];
        var list = card.querySelector("[data-search-hits]");
        list.textContent = "";
        list.hidden = true;
        var match = !words.length || (entry && all(entry.everything, words));
        card.hidden = !match;
        if (!match) {
          return;
        }
        shown += 1;
        if (!words.length || !entry) {
          return;
        }
        var hits = entry.nodes.filter(function (n) { return all(n.folded, words); });
        found += hits.length;
        hits.slice(0, MAX_HITS).forEach(function (n) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = card.querySelector("h2 a").getAttribute("href") + "#" + n.id;
          link.className = "search-hit";
          var number = document.createElement("span");
          number.className = "number";
          number.textContent = n.number;
          link.appendChild(number);
          link.appendChild(document.createTextNode(" " + n.text));
          item.appendChild(link);
          list.appendChild(item);
        });
        if (hits.length > MAX_HITS) {
          var more = document.createElement("li");
          more.className = "search-more";
          more.textContent = "and " + (hits.length - MAX_HITS) + " more statements";
          list.appendChild(more);
        }
        list.hidden = hits.length === 0;
      });
      Array.prototype.forEach.call(document.querySelectorAll("h2.folder"), function (heading) {
        var list = heading.nextElementSibling;
        heading.hidden = !!list && !list.querySelector("[data-map]:not([hidden])");
      });
      none.hidden = shown !== 0;
      status.textContent = words.length
        ? shown + " of " + cards.length + " maps match; " + found + " statements"
        : "";
    }

    box.hidden = false;
    input.addEventListener("input", update);
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      input.value = query;
    }
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
