// Narrow screens (issue 22): tables reflow into one block per row (_static/reader.css). Each cell
// gets its column's header (if the table has a header row) as a data-label, which the stacked layout
// shows before the cell's text.
document.addEventListener("DOMContentLoaded", () => {
  for (const table of document.querySelectorAll("article table")) {
    const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    table.classList.add("reflow");
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, i) => {
        if (!cell.textContent.trim()) cell.classList.add("empty");
        else if (heads[i]) cell.setAttribute("data-label", heads[i]);
      });
    }
  }
});
