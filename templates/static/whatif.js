/* argmap: the "What if" panel of a map page.
 *
 * The reader rejects statements that the map takes as given and sees which labels
 * change. The labels are worked out here, in the browser, exactly as argmap does it in
 * Python (argmap/evaluate.py translate, argmap/_af.py grounded_codes): the page holds
 * the map's Dung framework without statuses in <script type="application/json"
 * id="_whatif"> (argmap.evaluate.browser_model), a status adds its argument, and the
 * grounded labelling is computed with the same worklist. No library, no network.
 * The panel updates the badges and the "What stands" lists, never the diagram.
 */
(function () {
  "use strict";

  var IN = "IN";
  var OUT = "OUT";
  var UNDEC = "UNDEC";
  var SYMBOLS = { IN: "\u2713", OUT: "\u2717", UNDEC: "?" };
  var LISTED = 5; /* statements named at most, as argmap/analysis/_explain.py */

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  /* The grounded labelling of arguments 0..n-1 under attacks [[attacker, target], ...]
   * (argmap._af.grounded_codes): an argument is IN when its count of attackers not yet
   * OUT reaches zero, OUT as soon as an IN argument attacks it; the rest is UNDEC. */
  function grounded(n, attacks) {
    var targets = [];
    var pending = [];
    var labels = [];
    var work = [];
    var i, k, x, t;
    for (i = 0; i < n; i += 1) {
      targets.push([]);
      pending.push(0);
      labels.push(UNDEC);
    }
    for (i = 0; i < attacks.length; i += 1) {
      targets[attacks[i][0]].push(attacks[i][1]);
      pending[attacks[i][1]] += 1;
    }
    for (i = 0; i < n; i += 1) {
      if (pending[i] === 0) {
        labels[i] = IN;
        work.push(i);
      }
    }
    while (work.length > 0) {
      x = work.pop();
      for (k = 0; k < targets[x].length; k += 1) {
        t = targets[x][k];
        if (labels[x] === IN) {
          if (labels[t] === UNDEC) {
            labels[t] = OUT;
            work.push(t);
          }
        } else {
          pending[t] -= 1;
          if (pending[t] === 0 && labels[t] === UNDEC) {
            labels[t] = IN;
            work.push(t);
          }
        }
      }
    }
    return labels;
  }

  /* Every statement's label, by id, for the statuses given (id -> "accepted",
   * "questioned" or "rejected"; a statement not named is accepted). As in
   * argmap.evaluate.translate, a status counts only on a statement taken as given:
   * "rejected" adds an argument attacking it; "questioned" a self-attacking argument
   * that attacks it and that the statement's rebutters attack. */
  function evaluate(model, statuses) {
    var n = model.arguments;
    var attacks = model.attacks.slice();
    var result = {};
    var labels;
    model.statements.forEach(function (statement, i) {
      var status = has(statuses, statement.id) ? statuses[statement.id] : "accepted";
      var aux;
      if (status !== "accepted" && status !== "rejected" && status !== "questioned") {
        throw new Error("unknown status " + status + " for " + statement.id);
      }
      if (!statement.given || status === "accepted") {
        return;
      }
      aux = n;
      n += 1;
      attacks.push([aux, i]);
      if (status === "questioned") {
        attacks.push([aux, aux]);
        statement.rebutters.forEach(function (r) {
          attacks.push([r, aux]);
        });
      }
    });
    labels = grounded(n, attacks);
    model.statements.forEach(function (statement, i) {
      result[statement.id] = labels[i];
    });
    return result;
  }

  function each(selector, callback) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), callback);
  }

  function names(list) {
    if (list.length <= 1) {
      return list.join("");
    }
    return list.slice(0, -1).join(", ") + " and " + list[list.length - 1];
  }

  /* The first few names and how many others (argmap.analysis._explain._join_capped). */
  function capped(list) {
    if (list.length <= LISTED) {
      return names(list);
    }
    return list.slice(0, LISTED - 1).join(", ") + " and " +
      (list.length - LISTED + 1).toLocaleString("en") + " others";
  }

  /* "R2" before "R10" (argmap.analysis._explain._number_order). */
  function byNumber(a, b) {
    var x = parseInt(a.slice(1), 10);
    var y = parseInt(b.slice(1), 10);
    return a.charAt(0) < b.charAt(0) ? -1 : a.charAt(0) > b.charAt(0) ? 1 : x - y;
  }

  function setUp() {
    var data = document.getElementById("_whatif");
    var panel = document.querySelector("[data-whatif-panel]");
    var model, authors, written, order, numbers, texts, whys, boxes, summary;
    if (!data || !panel) {
      return;
    }
    model = JSON.parse(data.textContent);
    authors = {};
    order = {};
    numbers = {};
    texts = {};
    model.statements.forEach(function (statement, i) {
      authors[statement.id] = statement.status;
      order[statement.id] = i;
      numbers[statement.id] = statement.number;
      texts[statement.id] = model.texts[i];
    });
    written = evaluate(model, authors);
    whys = [];
    each("[data-why]", function (element) {
      whys.push({ element: element, id: element.getAttribute("data-why"), text: element.textContent });
    });
    boxes = Array.prototype.slice.call(panel.querySelectorAll("input[data-whatif]"));
    summary = document.getElementById("_whatif-summary");

    /* A statement's plain words, as argmap.analysis._explain.headline gives them: the
     * three ways to be OUT told apart. */
    function headline(id, labels, statuses) {
      var statement = model.statements[order[id]];
      var seen = {};
      var standing = [];
      if (labels[id] === IN) {
        return "stands";
      }
      if (labels[id] !== OUT) {
        return "undecided";
      }
      if (statement.given && statuses[id] === "rejected") {
        return authors[id] === "rejected" ? "rejected by the author" : "rejected by you";
      }
      statement.rebutters.forEach(function (r) {
        var rebutter = model.statements[r];
        if (labels[rebutter.id] === IN && !has(seen, rebutter.number)) {
          seen[rebutter.number] = true;
          standing.push(rebutter.number);
        }
      });
      standing.sort(byNumber);
      if (standing.length) {
        return "defeated by " + capped(standing);
      }
      return statement.given ? "defeated" : "left without support";
    }

    function badge(id, labels, statuses) {
      return SYMBOLS[labels[id]] + " " + headline(id, labels, statuses) + " (" + labels[id] + ")";
    }

    /* "stands", "still stands", "is now defeated by R1" */
    function verb(words, adverb) {
      var when = adverb ? adverb + " " : "";
      return words === "stands" ? when + "stands" : "is " + when + words;
    }

    function chosen() {
      var statuses = {};
      Object.keys(authors).forEach(function (id) {
        statuses[id] = authors[id];
      });
      boxes.forEach(function (box) {
        var id = box.getAttribute("data-whatif");
        if (box.checked) {
          statuses[id] = "rejected";
        } else if (authors[id] === "rejected") {
          statuses[id] = "accepted";
        }
      });
      return statuses;
    }

    /* The summary as DOM nodes: sentences, with each changed statement's number a link
     * to its section (titled with its text). Built with textContent only. */
    function describe(statuses, labels, changed) {
      var rejected = [];
      var accepted = [];
      var thesis = model.thesis;
      var parts = [];
      model.statements.forEach(function (statement) {
        if (statuses[statement.id] === authors[statement.id]) {
          return;
        }
        (statuses[statement.id] === "rejected" ? rejected : accepted).push(statement.number);
      });
      if (rejected.length === 0 && accepted.length === 0) {
        return [
          "The map as written: the thesis " + numbers[thesis] + " " +
            verb(headline(thesis, written, authors), "") + " (" + written[thesis] + ")."
        ];
      }
      if (rejected.length) {
        parts.push("You reject " + names(rejected) + ". ");
      }
      if (accepted.length) {
        parts.push("You accept " + names(accepted) + ", which the author rejected. ");
      }
      parts.push(
        "The thesis " + numbers[thesis] + " " +
          verb(headline(thesis, labels, statuses),
            labels[thesis] === written[thesis] ? "still" : "now") +
          " (" + labels[thesis] + "). "
      );
      if (!changed.length) {
        parts.push("No label changes.");
        return parts;
      }
      parts.push("Labels that change: ");
      changed.forEach(function (id, k) {
        var link = document.createElement("a");
        link.href = "#" + id;
        link.title = texts[id];
        link.textContent = numbers[id];
        parts.push(link);
        parts.push(
          " from " + badge(id, written, authors) + " to " + badge(id, labels, statuses) +
            (k === changed.length - 1 ? "." : "; ")
        );
      });
      return parts;
    }

    function update() {
      var statuses = chosen();
      var labels = evaluate(model, statuses);
      var changed = model.statements
        .map(function (statement) { return statement.id; })
        .filter(function (id) { return labels[id] !== written[id]; });
      var active = model.statements.some(function (statement) {
        return statuses[statement.id] !== authors[statement.id];
      });
      var counts = { IN: 0, OUT: 0, UNDEC: 0 };
      var items = [];

      each("[data-badge]", function (element) {
        var id = element.getAttribute("data-badge");
        var label = labels[id];
        element.className = "badge badge-" + label.toLowerCase() +
          (label !== written[id] ? " badge-changed" : "");
        element.textContent = badge(id, labels, statuses);
      });
      whys.forEach(function (why) {
        var before = labels[why.id] !== written[why.id] ? written[why.id] + ", " : "";
        why.element.textContent = active ? "as written: " + before + why.text : why.text;
        why.element.classList.toggle("why-as-written", active);
      });
      Object.keys(labels).forEach(function (id) {
        counts[labels[id]] += 1;
      });
      each("[data-count]", function (element) {
        element.textContent = String(counts[element.getAttribute("data-count")]);
      });
      each("[data-group] li[data-node]", function (item) {
        items.push(item);
      });
      items.sort(function (a, b) {
        return order[a.getAttribute("data-node")] - order[b.getAttribute("data-node")];
      });
      items.forEach(function (item) {
        var label = labels[item.getAttribute("data-node")];
        document.querySelector("[data-group='" + label + "'] ul").appendChild(item);
      });
      each("[data-group]", function (group) {
        group.hidden = group.querySelector("li") === null;
      });
      announce(describe(statuses, labels, changed));
    }

    /* The summary is a live region: it is written once the reader pauses, so that
     * ticking three boxes in a row is spoken once, not three times. aria-busy says a
     * new summary is on its way. */
    var pending = null;
    function write(parts) {
      pending = null;
      summary.textContent = "";
      parts.forEach(function (part) {
        summary.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
      });
      summary.removeAttribute("aria-busy");
    }
    function announce(parts) {
      if (pending !== null) {
        window.clearTimeout(pending);
      }
      if (!summary.textContent) {
        write(parts); /* the first summary, when the panel opens: nothing to wait for */
        return;
      }
      summary.setAttribute("aria-busy", "true");
      pending = window.setTimeout(function () { write(parts); }, 600);
    }

    boxes.forEach(function (box) {
      box.addEventListener("change", update);
    });
    panel.querySelector("[data-whatif-reset]").addEventListener("click", function () {
      boxes.forEach(function (box) {
        box.checked = authors[box.getAttribute("data-whatif")] === "rejected";
      });
      update();
    });
    each("[data-whatif-nojs]", function (element) {
      element.hidden = true;
    });
    panel.hidden = false;
    update();
  }

  window.argmapWhatIf = { grounded: grounded, evaluate: evaluate };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
