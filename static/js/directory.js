// The directory's live search sends the form as the user types. Leaving the search box then
// fires "change" for the same words: do not send a search the page has already asked for.
document.addEventListener("htmx:confirm", (event) => {
  const form = event.detail.elt;
  if (!(form instanceof HTMLFormElement) || !form.matches(".directory-filters")) {
    return;
  }
  const query = new URLSearchParams(new FormData(form)).toString();
  if (query === form.dataset.sentQuery) {
    event.preventDefault();
    return;
  }
  form.dataset.sentQuery = query;
});

// A search that failed may be sent again unchanged.
for (const failure of ["htmx:responseError", "htmx:sendError"]) {
  document.addEventListener(failure, (event) => {
    const form = event.detail.elt;
    if (form instanceof HTMLFormElement) {
      delete form.dataset.sentQuery;
    }
  });
}

// A search typed, or a box ticked, before htmx was running (a slow phone or connection) sent
// nothing. Once htmx has started on the page, send the form if it no longer shows what the
// page was rendered with.
document.addEventListener("htmx:load", (event) => {
  if (event.detail.elt !== document.body) {
    return;
  }
  const form = document.querySelector("form.directory-filters");
  if (form && changedSinceRendered(form)) {
    htmx.trigger(form, "change");
  }
});

function changedSinceRendered(form) {
  return Array.from(form.elements).some((element) => {
    if (element.type === "checkbox" || element.type === "radio") {
      return element.checked !== element.defaultChecked;
    }
    if (element instanceof HTMLSelectElement) {
      const options = Array.from(element.options);
      if (element.multiple) {
        return options.some((option) => option.selected !== option.defaultSelected);
      }
      // Without a "selected" option, a list shows its first.
      const rendered = Math.max(options.findIndex((option) => option.defaultSelected), 0);
      return options.length > 0 && element.selectedIndex !== rendered;
    }
    return "defaultValue" in element && element.value !== element.defaultValue;
  });
}
