// Progressive enhancement of intake forms. Hide a field while its condition on this step's
// answers fails. The server applies the same rules; without JavaScript every
// field stays visible and hidden answers are dropped on submit.
(function () {
  "use strict";
  var form = document.querySelector(".intake-form");
  if (!form) return;
  var prefix = (form.querySelector("[name$='-current_step']") || {}).value;

  function answer(name) {
    var inputs = form.querySelectorAll("[name='" + prefix + "-" + name + "']");
    var values = [];
    inputs.forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) values.push(input.type === "checkbox" && input.value === "on" ? "yes" : input.value);
      } else if (input.value !== "") {
        values.push(input.value);
      }
    });
    return values;
  }

  function matches(rule) {
    var values = answer(rule.field);
    var expected = (rule.value || "").trim();
    var number = parseFloat((values[0] || "").replace(/\s/g, "").replace(",", "."));
    // As on the server: "2,5" is two and a half, whoever wrote it, and
    // "1 200" is twelve hundred.
    var threshold = parseFloat((expected || "").replace(",", "."));
    switch (rule.operator) {
      case "is_checked": return values.indexOf("yes") !== -1 || values.indexOf("on") !== -1;
      case "equals": return values.indexOf(expected) !== -1;
      case "not_equals": return values.indexOf(expected) === -1;
      case "one_of": return expected.split("|").some(function (o) { return values.indexOf(o.trim()) !== -1; });
      case "greater_than": return !isNaN(number) && number > threshold;
      case "less_than": return !isNaN(number) && number < threshold;
    }
    return true;
  }

  function refresh() {
    form.querySelectorAll("[data-show-if]").forEach(function (item) {
      var showIf = JSON.parse(item.getAttribute("data-show-if"));
      var rules = showIf.rules || [];
      var shown = rules.length === 0 || (showIf.match === "any" ? rules.some(matches) : rules.every(matches));
      item.hidden = !shown;
    });
  }

  form.addEventListener("change", refresh);
  form.addEventListener("input", refresh);
  refresh();
  // The error summary takes focus, and its links move focus to their field.
  var summary = document.getElementById("error-summary");
  // A notice (answers kept, form updated) is read out when the page opens.
  var notice = document.querySelector(".messages");
  if (notice && !summary) {
    notice.setAttribute("tabindex", "-1");
    notice.focus();
  }
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (target) { event.preventDefault(); target.focus(); }
    });
  }
})();
