// Keyboard and screen-reader fixes to viewflow 2.4's Material frontend, whose markup is built by its own
// scripts (WCAG 2.1 AA, checked by axe-core in tests/browser). Labels come translated from the page.
(function () {
  "use strict";
  var labels = document.currentScript ? document.currentScript.dataset : {};

  function fix(root) {
    // The side menu (a Material list) takes every link out of the Tab order and offers arrow keys only
    // once the list has the focus, which Tab never gives it: each entry is a Tab stop again.
    root.querySelectorAll("nav.mdc-drawer__content .mdc-list-item[tabindex='-1']").forEach(function (item) {
      item.setAttribute("tabindex", "0");
    });
    // Icon-only buttons of the page frame: a name instead of the icon's ligature ("menu", "arrow_drop_down").
    root.querySelectorAll(".vf-page__menu-toggle").forEach(function (button) {
      if (labels.menuLabel) button.setAttribute("aria-label", labels.menuLabel);
    });
    root.querySelectorAll(".vf-page__menu-toggle-button").forEach(function (button) {
      if (labels.accountLabel) button.setAttribute("aria-label", labels.accountLabel);
    });
    // Material's select: a button-like anchor may not carry aria-required (the hidden input does). Its name
    // comes from what it shows, the label then the chosen option: an aria-labelledby naming both is read by
    // axe-core as a name that does not contain the visible text (WCAG 2.5.3), so the anchor names itself.
    root.querySelectorAll(".mdc-select__anchor[role='button']").forEach(function (anchor) {
      anchor.removeAttribute("aria-required");
      anchor.removeAttribute("aria-labelledby");
    });
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      fix(document);
    });
  }
  // The frontend's components render after load and again on Turbo visits, and Material's list resets its
  // tabindex on focus changes: fix again after each change.
  new MutationObserver(schedule).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["tabindex", "aria-required", "aria-labelledby"],
  });
  document.addEventListener("DOMContentLoaded", schedule);
  document.addEventListener("turbo:load", schedule);
  schedule();
})();
