// Wide tables scroll sideways inside their own box on narrow screens, instead of
// the whole page. A box that really scrolls becomes a named, focusable region so
// that keyboard users can scroll it too (WCAG 2.1.1, axe "scrollable-region-focusable").
(function () {
  "use strict";
  var fallback = document.documentElement.lang === "en" ? "Table" : "Tableau";

  function labelOf(table) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var node = table.parentNode;
    while (node && node !== document.body) {
      var sibling = node.previousElementSibling;
      while (sibling) {
        if (/^H[1-6]$/.test(sibling.tagName)) return sibling.textContent.trim();
        sibling = sibling.previousElementSibling;
      }
      node = node.parentNode;
    }
    return fallback;
  }

  var boxes = [];
  document.querySelectorAll("main table").forEach(function (table) {
    var box = document.createElement("div");
    box.className = "table-scroll";
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
    boxes.push(box);
  });

  function update() {
    boxes.forEach(function (box) {
      var table = box.firstElementChild;
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", labelOf(table));
        box.tabIndex = 0;
      } else {
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        box.removeAttribute("tabindex");
      }
    });
  }
  update();
  window.addEventListener("resize", update);
})();
