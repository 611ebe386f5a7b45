/* argmap: overview and detail for the diagram of a map page.
 *
 * The diagram sits in a box (.diagram-scroll). Without this script it is fitted to the
 * width of the page (CSS). With it, the box shows a toolbar (Fit, −, +, Reading size),
 * a finder and, when the map is larger than the window, a minimap:
 *
 * - A diagram that is readable at the width of the page (box text at 12 CSS px or more)
 *   opens at that width and the page scrolls down. A larger one opens fitted, whole,
 *   in a box of the window's height: the reader sees its shape at once.
 * - Clicking a box of a diagram shown smaller than readable zooms to that box at reading
 *   size instead of following its link; at reading size the link is followed.
 * - Find: words of a statement's text, or its number ("P12"); once typing pauses, the
 *   number of statements found is announced; choosing one takes the diagram to its box.
 * - Keys, with the box focused: + and − zoom, F fits, 0 is reading size, arrows move;
 *   the diagram can be dragged.
 *
 * Zooming sets the SVG's displayed size; panning is the box's own scrolling. No library,
 * no network: works from file:// and under the page's Content-Security-Policy.
 */
(function () {
  "use strict";

  var STEP = 1.25;
  var MAX = 4;
  var PAN = 60; // pixels per arrow key press
  var FONT_PX = 11 * 4 / 3; // the boxes' 11-pt text at scale 1
  var READABLE = 12 / FONT_PX; // the smallest scale at which box text is 12 px
  var PAUSE = 500; // ms of no typing before the finder announces what it found
  var MAX_HITS = 30;

  function size(svg, name) {
    // Graphviz writes width="123pt"; 1pt = 4/3 px.
    var value = svg.getAttribute(name) || "";
    var number = parseFloat(value);
    if (isNaN(number)) {
      return null;
    }
    return /pt$/.test(value) ? number * 4 / 3 : number;
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function setUp(scroller) {
    var svg = scroller.querySelector("svg");
    var view = scroller.closest(".view");
    var tools = view && view.querySelector("[data-zoom-controls]");
    if (!svg || !tools) {
      return;
    }
    var width = size(svg, "width");
    var height = size(svg, "height");
    if (!width || !height) {
      return;
    }
    var level = tools.querySelector("[data-zoom-level]");
    var frame = scroller.parentNode;
    var scale = 1;
    var overview = false;

    function inner() {
      var style = window.getComputedStyle(scroller);
      var padX = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
      var padY = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
      return { w: scroller.clientWidth - padX, h: scroller.clientHeight - padY };
    }

    function fitWidth() {
      return Math.min(1, inner().w / width);
    }

    function fitAll() {
      var box = inner();
      var tall = overview ? box.h : window.innerHeight * 0.78;
      return Math.min(1, box.w / width, tall / height);
    }

    function apply(next, centre) {
      var min = Math.min(fitAll(), READABLE);
      next = Math.min(MAX, Math.max(min, next));
      var box = inner();
      var cx = centre ? centre.x : (scroller.scrollLeft + box.w / 2) / (width * scale);
      var cy = centre ? centre.y : (scroller.scrollTop + box.h / 2) / (height * scale);
      scale = next;
      scroller.classList.add("am-sized");
      svg.style.width = width * scale + "px";
      svg.style.height = height * scale + "px";
      scroller.scrollLeft = cx * width * scale - box.w / 2;
      scroller.scrollTop = cy * height * scale - box.h / 2;
      level.textContent = Math.round(scale * 100) + "%";
      scroller.setAttribute("data-scale", String(scale));
      minimap.update();
    }

    function fit() {
      apply(fitAll(), { x: 0.5, y: 0.5 });
    }

    // The node of a statement, by its number ("P12").
    function nodeOf(number) {
      return document.getElementById("_svg_" + number);
    }

    // Zoom to reading size (or keep a larger zoom) with the node in the middle; unless
    // quiet (when the page opens), mark it and give its link the focus.
    function zoomTo(node, quiet) {
      var box = node.getBoundingClientRect();
      var area = svg.getBoundingClientRect();
      var centre = {
        x: (box.left + box.width / 2 - area.left) / area.width,
        y: (box.top + box.height / 2 - area.top) / area.height
      };
      apply(Math.max(scale, 1), centre);
      var after = node.getBoundingClientRect();
      var scrollerBox = scroller.getBoundingClientRect();
      if (!quiet && (after.top < 0 || after.bottom > window.innerHeight)) {
        window.scrollBy(0, after.top - window.innerHeight / 2 + after.height / 2);
      }
      if (after.left < scrollerBox.left || after.right > scrollerBox.right) {
        scroller.scrollLeft += after.left - scrollerBox.left - (scrollerBox.width - after.width) / 2;
      }
      if (quiet) {
        return;
      }
      Array.prototype.forEach.call(svg.querySelectorAll(".am-hit"), function (hit) {
        hit.classList.remove("am-hit");
      });
      node.classList.add("am-hit");
      var link = node.querySelector("a");
      if (link && link.focus) {
        link.focus({ preventScroll: true });
      }
    }

    tools.addEventListener("click", function (event) {
      var button = event.target.closest("[data-zoom]");
      if (!button) {
        return;
      }
      var action = button.getAttribute("data-zoom");
      if (action === "fit") {
        fit();
      } else {
        apply(action === "in" ? scale * STEP : action === "out" ? scale / STEP : 1);
      }
    });

    // A click on a box shown too small to read zooms to it; at reading size it follows.
    svg.addEventListener("click", function (event) {
      var node = event.target.closest("g.node");
      if (node && scale < READABLE - 0.001) {
        event.preventDefault();
        zoomTo(node);
      }
    });

    scroller.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      var moves = {
        ArrowLeft: [-PAN, 0],
        ArrowRight: [PAN, 0],
        ArrowUp: [0, -PAN],
        ArrowDown: [0, PAN]
      };
      if (event.key === "+" || event.key === "=") {
        apply(scale * STEP);
      } else if (event.key === "-" || event.key === "_") {
        apply(scale / STEP);
      } else if (event.key === "0") {
        apply(1);
      } else if (event.key === "f" || event.key === "F") {
        fit();
      } else if (moves[event.key] && event.target === scroller) {
        scroller.scrollBy(moves[event.key][0], moves[event.key][1]);
      } else {
        return;
      }
      event.preventDefault();
    });

    // Dragging pans; a drag that moved does not also follow a link it started on.
    var drag = null;
    scroller.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 || event.pointerType === "touch") {
        return; // touch screens scroll the box natively
      }
      drag = { x: event.clientX, y: event.clientY, left: scroller.scrollLeft,
               top: scroller.scrollTop, moved: false, id: event.pointerId };
    });
    scroller.addEventListener("pointermove", function (event) {
      if (!drag || event.pointerId !== drag.id) {
        return;
      }
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) > 4) {
        drag.moved = true;
        scroller.setPointerCapture(event.pointerId);
        scroller.classList.add("dragging");
      }
      if (drag.moved) {
        scroller.scrollLeft = drag.left - dx;
        scroller.scrollTop = drag.top - dy;
      }
    });
    function end(event) {
      if (drag && drag.moved) {
        scroller.classList.remove("dragging");
        var swallow = function (click) {
          click.preventDefault();
          click.stopPropagation();
        };
        scroller.addEventListener("click", swallow, { capture: true, once: true });
        window.setTimeout(function () {
          scroller.removeEventListener("click", swallow, { capture: true });
        }, 0);
      }
      drag = null;
      if (event && scroller.hasPointerCapture && scroller.hasPointerCapture(event.pointerId)) {
        scroller.releasePointerCapture(event.pointerId);
      }
    }
    scroller.addEventListener("pointerup", end);
    scroller.addEventListener("pointercancel", end);

    var minimap = makeMinimap(frame, scroller, svg, function () {
      return { scale: scale, width: width, height: height, overview: overview };
    });
    scroller.addEventListener("scroll", function () {
      minimap.update();
    }, { passive: true });

    setUpFinder(tools, nodeOf, zoomTo);

    // A large map's overview: it opens with the thesis in view, and a box chosen there
    // takes the diagram to the same box.
    var over = document.querySelector(".overview svg");
    var thesisNumber = document.querySelector("section.node-thesis .number");
    var overThesis = over && thesisNumber &&
      document.getElementById("_svg_o__svg_" + thesisNumber.textContent.trim());
    if (overThesis) {
      var pane = over.parentNode;
      var at = overThesis.getBoundingClientRect();
      var paneBox = pane.getBoundingClientRect();
      pane.scrollTop += at.top - paneBox.top - (pane.clientHeight - at.height) / 2;
      pane.scrollLeft += at.left - paneBox.left - (pane.clientWidth - at.width) / 2;
    }
    if (over) {
      over.addEventListener("click", function (event) {
        var chosen = event.target.closest("g.node");
        var number = chosen && chosen.id.split("_svg_").pop();
        var node = number && nodeOf(number);
        if (node) {
          event.preventDefault();
          zoomTo(node);
        }
      });
    }

    tools.hidden = false;
    // Readable at the page's width: open so, the page scrolls down. Else: fitted whole,
    // unless that is too small to show any shape (a map with an overview of its own):
    // then at reading size, at the thesis.
    if (fitWidth() >= READABLE) {
      apply(fitWidth(), { x: 0.5, y: 0 });
    } else {
      overview = true;
      scroller.classList.add("am-overview");
      fit();
      var start = over && thesisNumber && nodeOf(thesisNumber.textContent.trim());
      if (start && scale < 0.1) {
        zoomTo(start, true);
      }
    }
    window.addEventListener("resize", function () {
      if (overview) {
        minimap.update();
      }
    });
  }

  // A small picture of the whole map (a box per statement) with the part shown framed;
  // a click there moves the view. Shown while a large map is zoomed in.
  function makeMinimap(frame, scroller, svg, state) {
    var holder = null;
    var marker = null;
    var drawnScale = 0;
    var SIDE = 180;

    function draw(s) {
      holder = document.createElement("div");
      holder.className = "minimap";
      holder.setAttribute("aria-hidden", "true");
      var canvas = document.createElement("canvas");
      var ratio = s.width / s.height;
      var w = ratio >= 1 ? SIDE : Math.max(40, SIDE * ratio);
      var h = ratio >= 1 ? Math.max(40, SIDE / ratio) : SIDE;
      canvas.width = Math.round(w);
      canvas.height = Math.round(h);
      holder.appendChild(canvas);
      marker = document.createElement("div");
      marker.className = "minimap-view";
      holder.appendChild(marker);
      frame.appendChild(holder);
      var context = canvas.getContext("2d");
      var area = svg.getBoundingClientRect();
      var k = w / area.width;
      context.fillStyle = "#5c7fa3";
      Array.prototype.forEach.call(svg.querySelectorAll("g.node"), function (node) {
        var r = node.getBoundingClientRect();
        context.fillRect((r.left - area.left) * k, (r.top - area.top) * k,
                         Math.max(1, r.width * k), Math.max(1, r.height * k));
      });
      drawnScale = k;
      holder.addEventListener("click", function (event) {
        var box = canvas.getBoundingClientRect();
        var x = (event.clientX - box.left) / box.width;
        var y = (event.clientY - box.top) / box.height;
        var current = state();
        scroller.scrollLeft = x * current.width * current.scale - scroller.clientWidth / 2;
        scroller.scrollTop = y * current.height * current.scale - scroller.clientHeight / 2;
      });
    }

    return {
      update: function () {
        var s = state();
        var zoomedIn = s.overview && (scroller.scrollWidth > scroller.clientWidth + 2 ||
                                      scroller.scrollHeight > scroller.clientHeight + 2);
        if (!zoomedIn) {
          if (holder) {
            holder.hidden = true;
          }
          return;
        }
        if (!holder) {
          draw(s);
        }
        holder.hidden = false;
        var canvas = holder.firstChild;
        var fx = canvas.width / (s.width * s.scale);
        var fy = canvas.height / (s.height * s.scale);
        marker.style.left = scroller.scrollLeft * fx + "px";
        marker.style.top = scroller.scrollTop * fy + "px";
        marker.style.width = Math.min(canvas.width, scroller.clientWidth * fx) + "px";
        marker.style.height = Math.min(canvas.height, scroller.clientHeight * fy) + "px";
        return drawnScale;
      }
    };
  }

  // The finder: statements by words of their text or by number, from the page's cards.
  function setUpFinder(tools, nodeOf, zoomTo) {
    var input = tools.querySelector("[data-find]");
    var status = tools.querySelector("[data-find-status]");
    var list = tools.querySelector("[data-find-hits]");
    if (!input || !status || !list) {
      return;
    }
    var statements = null;
    var timer = 0;

    function index() {
      if (!statements) {
        statements = Array.prototype.map.call(
          document.querySelectorAll("section.node[id]"),
          function (card) {
            var number = card.querySelector(".number");
            var text = card.querySelector(".text");
            var n = number ? number.textContent.trim() : "";
            var t = text ? text.textContent.replace(/\s+/g, " ").trim() : "";
            return { number: n, text: t, folded: fold(n + " " + t) };
          });
      }
      return statements;
    }

    function search(query) {
      var words = fold(query).split(/\s+/).filter(Boolean);
      if (!words.length) {
        return null;
      }
      var all = index();
      if (words.length === 1) {
        var exact = all.filter(function (s) { return s.number.toLowerCase() === words[0]; });
        if (exact.length) {
          return exact;
        }
      }
      return all.filter(function (s) {
        return words.every(function (word) { return s.folded.indexOf(word) !== -1; });
      });
    }

    function go(statement) {
      var node = nodeOf(statement.number);
      if (node) {
        zoomTo(node);
      }
    }

    function show(announce) {
      var hits = search(input.value);
      list.textContent = "";
      if (hits === null) {
        list.hidden = true;
        status.textContent = "";
        return hits;
      }
      hits.slice(0, MAX_HITS).forEach(function (s) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        var number = document.createElement("span");
        number.className = "number";
        number.textContent = s.number;
        button.appendChild(number);
        button.appendChild(document.createTextNode(s.text));
        button.addEventListener("click", function () { go(s); });
        item.appendChild(button);
        list.appendChild(item);
      });
      list.hidden = hits.length === 0;
      if (announce) {
        var found = hits.length ? plural(hits.length, "statement") + " found" : "No statement found";
        if (hits.length > MAX_HITS) {
          found += "; the first " + MAX_HITS + " are listed";
        }
        status.textContent = found + ".";
      }
      return hits;
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      status.textContent = ""; // an old count is stale; clearing it is not spoken
      timer = window.setTimeout(function () { show(true); }, PAUSE);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        window.clearTimeout(timer);
        var hits = show(true);
        if (hits && hits.length) {
          go(hits[0]);
        }
        event.preventDefault();
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".diagram-scroll"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
