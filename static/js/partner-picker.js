// The partner picker of the proposal form. Without JavaScript the "Find" button submits the
// form and the page comes back with the matches; with htmx the matches follow the typing.
// Here: pressing Enter in the search box searches instead of submitting the proposal.
document.addEventListener("keydown", (event) => {
  const input = event.target;
  if (event.key !== "Enter" || !(input instanceof HTMLInputElement) || input.id !== "id_partner_search") {
    return;
  }
  if (window.htmx) {
    event.preventDefault();
    window.htmx.trigger(input, "search");
  }
});
