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
