// When a form comes back with mistakes, move the focus to its error summary, so keyboard and
// screen-reader users start from the list of what to correct; each entry links to its field.
const errorSummary = document.querySelector(".error-summary");
if (errorSummary) {
  errorSummary.focus();
}
