// Reveals and hides questions as earlier answers change, on section pages.
// Each question that depends on others carries its condition in data-show-if;
// the server has already shown or hidden it from the saved answers, so the page
// works without this script, and the server works out again what to keep when
// the page is saved. The reason asked for when "not applicable" is chosen is
// revealed the same way (the server always shows it). A condition on a question on another page comes settled
// ("holds"); one on this page holds when that question is shown and one of the
// values is chosen.
const dependents = Array.from(document.querySelectorAll("[data-show-if]"));
const form = dependents.length ? dependents[0].closest("form") : null;

function chosenValues(name) {
  return Array.from(form.elements)
    .filter((input) => input.name === name && (input.type === "radio" || input.type === "checkbox") && input.checked)
    .map((input) => input.value);
}

function isShown(questionId) {
  const block = document.getElementById(`question-${questionId}`);
  return block !== null && !block.hidden;
}

function holds(condition) {
  if ("holds" in condition) return condition.holds;
  if (!isShown(condition.question)) return false;
  return chosenValues(condition.question).some((value) => condition.values.includes(value));
}

function update() {
  // Conditions only name earlier questions, so one pass in page order settles them all.
  for (const block of dependents) {
    const rule = JSON.parse(block.dataset.showIf);
    const results = rule.conditions.map(holds);
    block.hidden = !(rule.mode === "all" ? results.every(Boolean) : results.some(Boolean));
  }
}

if (form) {
  form.addEventListener("change", update);
  update();
}
