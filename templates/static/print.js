/* argmap: the diagram of a map page on paper, in readable parts.
 *
 * Printed whole at the width of the paper, a map's diagram would print its text at a
 * few points. Before printing, this script cuts the page's one drawing into parts that
 * each fit a portrait page (A4 or US Letter, the handouts' 15 mm margins) with no text
 * under 8 pt (the arrows' labels; the boxes' text prints at 9.8 pt). Cuts run between
 * columns of boxes and, within a column of parts, between boxes, so that no box is cut
 * where the map leaves room; a box taller or wider than a part is the only exception.
 * Each part is an <svg> window on the drawing, holding copies of what shows in it, made
 * only when the page is printed (the page itself holds the drawing once).
 * The style sheet shows the parts on paper only, and hides the controls. A map that
 * needs more than MAX_PARTS pages prints the outline and the statements only, with a
 * note. No library, no network.
 */
(function () {
  "use strict";

  var PT_PER_MM = 72 / 25.4;
  var PAGE_W = 210 - 30; // mm: A4's width (the narrower), less the margins
  var PAGE_H = 279.4 - 30; // mm: Letter's height (the shorter), less the margins
  var CAPTION_PT = 40; // room for the part's caption
  var PRINT_SCALE = 8 / 9; // the smallest text (9 pt: arrows' and junctions' labels) at 8 pt
  var MAX_PARTS = 40;

  function boxes(svg, graph, selector) {
    var shift = /translate\(\s*([-\d.]+)[\s,]+([-\d.]+)\s*\)/.exec(
      graph.getAttribute("transform") || "");
    var dx = shift ? parseFloat(shift[1]) : 0;
    var dy = shift ? parseFloat(shift[2]) : 0;
    return Array.prototype.map.call(svg.querySelectorAll(selector || "g.node"), function (g) {
      var b = g.getBBox();
      return { x0: b.x + dx, x1: b.x + b.width + dx, y0: b.y + dy, y1: b.y + b.height + dy,
               statement: !!g.querySelector("a") }; // a junction links nowhere
    });
  }

  // Where to end a part that starts at `from` and may reach `to`, given the boxes'
  // spans [start, end] on that axis: the point in the last half of the range that cuts
  // the fewest boxes (the furthest of those), just outside a box's edge or at `to`.
  function cut(spans, from, to) {
    var near = spans.filter(function (s) { return s[1] > from && s[0] < to; });
    var candidates = [to];
    near.forEach(function (s) {
      candidates.push(s[0] - 2, s[1] + 2);
    });
    var half = from + (to - from) / 2;
    var best = to;
    var fewest = Infinity;
    candidates.forEach(function (c) {
      if (c < half || c > to) {
        return;
      }
      var crossed = 0;
      for (var i = 0; i < near.length; i++) {
        if (near[i][0] < c && near[i][1] > c) {
          crossed += 1;
        }
      }
      if (crossed < fewest || (crossed === fewest && c > best)) {
        fewest = crossed;
        best = c;
      }
    });
    return best;
  }

  function parts(svg) {
    var graph = svg.querySelector("g.graph");
    var view = (svg.getAttribute("viewBox") || "").split(/[\s,]+/).map(parseFloat);
    if (!graph || view.length !== 4) {
      return null;
    }
    var all = boxes(svg, graph);
    var partW = PAGE_W * PT_PER_MM / PRINT_SCALE;
    var partH = (PAGE_H * PT_PER_MM - CAPTION_PT) / PRINT_SCALE;
    var found = [];
    var x = Math.min.apply(null, all.map(function (b) { return b.x0; })) - 4;
    var right = Math.max.apply(null, all.map(function (b) { return b.x1; })) + 4;
    while (x < right - 1) {
      var x1 = Math.min(right, cut(all.map(function (b) { return [b.x0, b.x1]; }), x, x + partW));
      var column = all.filter(function (b) { return b.x1 > x && b.x0 < x1; });
      var y = Math.min.apply(null, column.map(function (b) { return b.y0; })) - 4;
      var bottom = Math.max.apply(null, column.map(function (b) { return b.y1; })) + 4;
      while (column.length && y < bottom - 1) {
        var y1 = Math.min(bottom, cut(column.map(function (b) { return [b.y0, b.y1]; }), y, y + partH));
        var top = y;
        var shown = column.filter(function (b) {
          return b.statement && b.y1 > top && b.y0 < y1;
        });
        if (shown.length) {
          found.push({ x: x, y: y, w: x1 - x, h: y1 - y });
        }
        if (found.length > MAX_PARTS) {
          return found;
        }
        // the next part starts at the top of the boxes this one cut, to show them whole
        var cutBoxes = column.filter(function (b) { return b.y0 < y1 && b.y1 > y1; });
        y = cutBoxes.length ? Math.min.apply(null, cutBoxes.map(function (b) {
          return b.y0;
        })) - 2 : y1;
        if (y <= top + 1) {
          y = y1; // a box taller than a part: cut it, go on
        }
      }
      x = x1;
    }
    return found;
  }

  function prepare() {
    var svg = document.querySelector(".diagram-scroll svg.argmap-diagram");
    var holder = document.querySelector("[data-print-parts]");
    var graph = svg && svg.querySelector("g.graph");
    if (!svg || !holder || !graph || !graph.id) {
      return;
    }
    holder.textContent = "";
    var found = parts(svg);
    if (!found) {
      return;
    }
    var ns = "http://www.w3.org/2000/svg";
    if (found.length > MAX_PARTS) {
      var note = document.createElement("p");
      note.className = "print-note";
      note.textContent = "The diagram of this map needs more than " + MAX_PARTS +
        " pages to print readably; the outline and the statements below give the same argument.";
      holder.appendChild(note);
      document.documentElement.classList.add("am-print-no-diagram");
      return;
    }
    document.documentElement.classList.remove("am-print-no-diagram");
    // what each part shows: the drawing's statements, arrows and frames in its window,
    // copied for paper only (the page itself holds the drawing once)
    var shift = boxes(svg, graph, "g.node, g.edge, g.cluster");
    var shapes = Array.prototype.map.call(
      svg.querySelectorAll("g.node, g.edge, g.cluster"), function (element, i) {
        return { element: element, box: shift[i] };
      });
    found.forEach(function (part, index) {
      var figure = document.createElement("figure");
      figure.className = "print-part";
      var caption = document.createElement("figcaption");
      caption.textContent = found.length > 1
        ? "Diagram, part " + (index + 1) + " of " + found.length +
          " (the parts run top to bottom, then on to the right)"
        : "Diagram";
      var tile = document.createElementNS(ns, "svg");
      tile.setAttribute("class", "argmap-diagram print-tile");
      tile.setAttribute("viewBox", [part.x, part.y, part.w, part.h].join(" "));
      tile.setAttribute("width", (part.w * PRINT_SCALE).toFixed(1) + "pt");
      tile.setAttribute("height", (part.h * PRINT_SCALE).toFixed(1) + "pt");
      tile.setAttribute("aria-hidden", "true");
      var layer = document.createElementNS(ns, "g");
      // the drawing group's attributes: its shift, and the texts' font, size, anchor and
      // colour, which the texts inherit from it (argmap.render.layers)
      Array.prototype.forEach.call(graph.attributes, function (attribute) {
        if (attribute.name !== "id") {
          layer.setAttribute(attribute.name, attribute.value);
        }
      });
      shapes.forEach(function (shape) {
        var b = shape.box;
        if (b.x1 > part.x && b.x0 < part.x + part.w && b.y1 > part.y && b.y0 < part.y + part.h) {
          var copy = shape.element.cloneNode(true);
          copy.removeAttribute("id");
          Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (e) {
            e.removeAttribute("id");
          });
          layer.appendChild(copy);
        }
      });
      tile.appendChild(layer);
      figure.appendChild(caption);
      figure.appendChild(tile);
      holder.appendChild(figure);
    });
  }

  window.addEventListener("beforeprint", prepare);
})();
