// Score entry: move down and up the points column like a spreadsheet.
(function () {
  "use strict";
  var form = document.getElementById("score-form");
  if (!form) return;
  var tabDown = document.getElementById("tab-down");
  var cells = Array.prototype.slice.call(form.querySelectorAll("input.score-points"));
  form.addEventListener("keydown", function (event) {
    var index = cells.indexOf(event.target);
    if (index < 0) return;
    var step = 0;
    if (event.key === "Enter" || event.key === "ArrowDown") step = 1;
    else if (event.key === "ArrowUp") step = -1;
    else if (event.key === "Tab" && tabDown && tabDown.checked) step = event.shiftKey ? -1 : 1;
    if (!step) return;
    var next = cells[index + step];
    // Enter never submits from a points cell: a grader saves with the button.
    if (event.key === "Enter") event.preventDefault();
    if (!next) return; // Tab past the first or last row leaves the column as usual.
    event.preventDefault();
    next.focus();
    next.select();
  });
})();
