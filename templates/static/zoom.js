/* argmap: zoom and pan for the diagrams of a map page.
 *
 * Each diagram sits in a scrollable box (.diagram-scroll). This script shows the
 * toolbar above it (+, −, Reset) and makes the box respond, while it has the focus,
 * to + and − (zoom), 0 (actual size) and the arrow keys (move); the diagram can also
 * be dragged. Zooming changes the SVG's displayed size and keeps the point in the
 * middle of the box in place; panning is the box's own scrolling. A diagram larger
 * than its box opens at the thesis (a large map's top left corner is mostly empty
 * space): the box scrolls to the thesis's node, found through the statement card
 * marked .node-thesis and the diagram's link to it. No library.
 */
(function () {
  "use strict";

  var STEP = 1.25;
  var MIN = 0.2;
  var MAX = 5;
  var PAN = 60; // pixels per arrow key press

  function size(svg, name) {
    // Graphviz writes width="123pt"; 1pt = 4/3 px.
    var value = svg.getAttribute(name) || "";
    var number = parseFloat(value);
    if (isNaN(number)) {
      return null;
    }
    return /pt$/.test(value) ? number * 4 / 3 : number;
  }

  // The thesis's node in a diagram: the node that links to the thesis's card.
  function thesisNode(svg) {
    var card = document.querySelector("section.node-thesis[id]");
    if (!card) {
      return null;
    }
    var links = svg.querySelectorAll("g.node a");
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href") || links[i].getAttribute("xlink:href") || "";
      if (href.slice(href.indexOf("#") + 1) === card.id) {
        return links[i];
      }
    }
    return null;
  }

  // Scroll the box (never the page) so that the thesis is in the middle of it, once,
  // when the box is shown and overflows; false while the box is hidden.
  function openAtThesis(scroller, svg) {
    if (!scroller.clientWidth) {
      return false; // hidden (the other view): try again when it is shown
    }
    var overflows = scroller.scrollWidth > scroller.clientWidth ||
                    scroller.scrollHeight > scroller.clientHeight;
    var node = overflows ? thesisNode(svg) : null;
    if (node) {
      var box = scroller.getBoundingClientRect();
      var target = node.getBoundingClientRect();
      scroller.scrollLeft += target.left - box.left - (scroller.clientWidth - target.width) / 2;
      scroller.scrollTop += target.top - box.top - (scroller.clientHeight - target.height) / 2;
    }
    return true;
  }

  function setUp(scroller) {
    var svg = scroller.querySelector("svg");
    var controls = scroller.previousElementSibling;
    if (!svg || !controls || !controls.hasAttribute("data-zoom-controls")) {
      return;
    }
    var width = size(svg, "width");
    var height = size(svg, "height");
    if (!width || !height) {
      return;
    }
    var level = controls.querySelector("[data-zoom-level]");
    var scale = 1;

    function zoomTo(next) {
      next = Math.min(MAX, Math.max(MIN, next));
      var cx = (scroller.scrollLeft + scroller.clientWidth / 2) / (width * scale);
      var cy = (scroller.scrollTop + scroller.clientHeight / 2) / (height * scale);
      scale = next;
      if (scale === 1) {
        svg.style.width = "";
        svg.style.height = "";
      } else {
        svg.style.width = width * scale + "px";
        svg.style.height = height * scale + "px";
      }
      scroller.scrollLeft = cx * width * scale - scroller.clientWidth / 2;
      scroller.scrollTop = cy * height * scale - scroller.clientHeight / 2;
      level.textContent = Math.round(scale * 100) + "%";
      scroller.setAttribute("data-scale", String(scale));
    }

    controls.addEventListener("click", function (event) {
      var button = event.target.closest("[data-zoom]");
      if (!button) {
        return;
      }
      var action = button.getAttribute("data-zoom");
      zoomTo(action === "in" ? scale * STEP : action === "out" ? scale / STEP : 1);
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
        zoomTo(scale * STEP);
      } else if (event.key === "-" || event.key === "_") {
        zoomTo(scale / STEP);
      } else if (event.key === "0") {
        zoomTo(1);
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

    controls.hidden = false;

    if (!openAtThesis(scroller, svg)) {
      var radios = document.querySelectorAll("input.view-radio");
      var shown = function () {
        if (openAtThesis(scroller, svg)) {
          Array.prototype.forEach.call(radios, function (radio) {
            radio.removeEventListener("change", shown);
          });
        }
      };
      Array.prototype.forEach.call(radios, function (radio) {
        radio.addEventListener("change", shown);
      });
    }
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
