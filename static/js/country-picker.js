// The countries picker (organisations/widgets.py). Without JavaScript it is a checkbox per
// country, grouped by region. Here it gains a search box that suggests countries as one types
// (an ARIA combobox with a listbox) and shows the chosen countries as chips that remove them.
// The checkboxes stay the form's inputs: choosing or removing a country ticks or unticks its
// checkbox, and the chips are redrawn from the checkboxes, so both ways agree.

function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
}

function fill(template, country) {
  return template.replace("%(country)s", country);
}

// The regions list countries region by region; suggestions come in alphabetical order.
const collator = new Intl.Collator(document.documentElement.lang || undefined);

function enhance(picker) {
  const content = picker.querySelector("template").content.cloneNode(true);
  picker.prepend(content);
  const search = picker.querySelector("[data-search]");
  const listbox = picker.querySelector("[data-options]");
  const chips = picker.querySelector("[data-chips]");
  const none = picker.querySelector("[data-none]");
  const noMatch = picker.querySelector("[data-no-match]");
  const announce = picker.querySelector("[data-announce]");
  const countries = Array.from(picker.querySelectorAll("input[type=checkbox]"), (box) => ({
    box: box,
    code: box.value,
    name: box.labels[0].textContent.trim(),
    key: fold(box.labels[0].textContent.trim()),
  }));
  let matches = [];
  let active = -1;

  function say(message) {
    // A fresh text node, so the same message twice is announced twice.
    announce.textContent = "";
    window.setTimeout(() => {
      announce.textContent = message;
    }, 50);
  }

  function drawChips() {
    chips.replaceChildren();
    const chosen = countries
      .filter((country) => country.box.checked)
      .sort((a, b) => collator.compare(a.name, b.name));
    for (const country of chosen) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "country-chip";
      button.dataset.code = country.code;
      button.setAttribute("aria-label", fill(picker.dataset.remove, country.name));
      const name = document.createElement("span");
      name.textContent = country.name;
      const cross = document.createElement("span");
      cross.setAttribute("aria-hidden", "true");
      cross.textContent = "×";
      button.append(name, cross);
      item.append(button);
      chips.append(item);
    }
    none.hidden = chosen.length > 0;
  }

  function close() {
    listbox.hidden = true;
    search.setAttribute("aria-expanded", "false");
    search.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function optionId(country) {
    return `${listbox.id}_${country.code}`;
  }

  function show(text) {
    const wanted = fold(text.trim());
    if (!wanted) {
      matches = [];
      noMatch.hidden = true;
      close();
      return;
    }
    // Names that start with the text first, then names with a word that does, then the rest.
    const rank = (key) => (key.startsWith(wanted) ? 0 : key.includes(` ${wanted}`) ? 1 : 2);
    matches = countries
      .filter((country) => country.key.includes(wanted))
      .sort((a, b) => rank(a.key) - rank(b.key) || collator.compare(a.name, b.name));
    listbox.replaceChildren(
      ...matches.map((country) => {
        const option = document.createElement("li");
        option.id = optionId(country);
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", String(country.box.checked));
        option.dataset.code = country.code;
        option.textContent = country.name;
        return option;
      }),
    );
    noMatch.hidden = matches.length > 0;
    if (!matches.length) {
      say(noMatch.textContent.trim());
      close();
      return;
    }
    listbox.hidden = false;
    search.setAttribute("aria-expanded", "true");
    move(0);
  }

  function move(to) {
    const options = listbox.children;
    if (!options.length) {
      return;
    }
    active = (to + options.length) % options.length;
    for (const [index, option] of Array.from(options).entries()) {
      option.classList.toggle("country-option-active", index === active);
    }
    search.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  function toggle(country) {
    country.box.checked = !country.box.checked;
    country.box.dispatchEvent(new Event("change", { bubbles: true }));
    say(fill(country.box.checked ? picker.dataset.added : picker.dataset.removed, country.name));
    search.value = "";
    matches = [];
    close();
  }

  search.addEventListener("input", () => show(search.value));
  search.addEventListener("keydown", (event) => {
    const open = !listbox.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) {
        show(search.value);
      } else {
        move(active + (event.key === "ArrowDown" ? 1 : -1));
      }
    } else if (event.key === "Enter") {
      // Enter chooses; it never sends the whole form from this box.
      event.preventDefault();
      if (open && active >= 0) {
        toggle(matches[active]);
      }
    } else if (event.key === "Escape" && (open || search.value)) {
      event.preventDefault();
      search.value = "";
      noMatch.hidden = true;
      close();
    }
  });
  search.addEventListener("blur", close);
  // Choosing with a pointer: keep the focus in the search box.
  listbox.addEventListener("mousedown", (event) => event.preventDefault());
  listbox.addEventListener("click", (event) => {
    const option = event.target.closest("[role=option]");
    if (option) {
      toggle(countries.find((country) => country.code === option.dataset.code));
      search.focus();
    }
  });
  chips.addEventListener("click", (event) => {
    const chip = event.target.closest(".country-chip");
    if (!chip) {
      return;
    }
    const country = countries.find((each) => each.code === chip.dataset.code);
    const following = chip.parentElement.nextElementSibling || chip.parentElement.previousElementSibling;
    const next = following ? following.querySelector("button").dataset.code : null;
    toggle(country);
    // The focus goes to the neighbouring chip, or back to the search box when none is left.
    const neighbour = next && chips.querySelector(`[data-code="${next}"]`);
    (neighbour || search).focus();
  });
  picker.addEventListener("change", (event) => {
    if (event.target.type === "checkbox") {
      drawChips();
    }
  });
  drawChips();
  picker.classList.add("country-picker-ready");
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-country-picker]").forEach(enhance);
});
