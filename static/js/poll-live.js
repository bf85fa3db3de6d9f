// Presenter view: refresh a poll's counts every few seconds, without reloading.
(function () {
  "use strict";
  var section = document.querySelector(".poll-results[data-live]");
  if (!section || !window.fetch) return;
  var url = section.getAttribute("data-results-url");
  var timer = null;

  function render(data) {
    var total = section.querySelector('[data-field="answers"]');
    if (total) total.textContent = data.answers;
    (data.choices || []).forEach(function (choice) {
      var row = section.querySelector('[data-choice="' + choice.id + '"]');
      if (!row) return;
      row.querySelector('[data-field="count"]').textContent = choice.count;
      row.querySelector('[data-field="percent"]').textContent = choice.percent;
      var bar = row.querySelector("progress");
      if (bar) bar.value = choice.percent;
    });
    var texts = section.querySelector('[data-field="texts"]');
    if (texts && data.texts) {
      texts.replaceChildren.apply(
        texts,
        data.texts.map(function (text) {
          var item = document.createElement("li");
          item.textContent = text; // text, never HTML
          return item;
        })
      );
    }
    if (data.state !== "open" && timer) {
      window.clearInterval(timer);
      var state = document.querySelector('[data-testid="poll-state"]');
      if (state) state.textContent = "Closed";
    }
  }

  function refresh() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) render(data);
      })
      .catch(function () {}); // a missed refresh is retried at the next tick
  }

  timer = window.setInterval(refresh, 3000);
})();
