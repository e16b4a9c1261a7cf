// The language switch comes back to the page as it is now: live filtering (htmx) may have
// changed the address since the page was rendered, and the form still names the old one.
document.addEventListener("submit", (event) => {
  const form = event.target.closest(".language-form");
  if (form) {
    form.elements.next.value = location.pathname + location.search;
  }
});
