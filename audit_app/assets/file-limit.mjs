// Evidence files larger than the server takes are refused as soon as they are chosen, on
// section pages: the choice is cleared and the reason shown beside the upload, so that the
// page can still be saved with everything typed on it. The server checks every file again
// (and, without this script, refuses an oversize file on the page it came from).
function showRefusal(input, message) {
  const group = input.closest(".govuk-form-group");
  const id = `${input.id}-size-error`;
  let error = document.getElementById(id);
  if (!error) {
    error = document.createElement("p");
    error.id = id;
    error.className = "govuk-error-message";
    input.before(error);
    input.setAttribute("aria-describedby", `${input.getAttribute("aria-describedby") || ""} ${id}`.trim());
  }
  const hidden = document.createElement("span");
  hidden.className = "govuk-visually-hidden";
  hidden.textContent = "Error: ";
  error.replaceChildren(hidden, message);
  group.classList.add("govuk-form-group--error");
  input.classList.add("govuk-file-upload--error");
}

function clearRefusal(input) {
  const id = `${input.id}-size-error`;
  const error = document.getElementById(id);
  if (!error) return;
  error.remove();
  const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((part) => part && part !== id);
  input.setAttribute("aria-describedby", described.join(" "));
  if (!input.closest(".govuk-form-group").querySelector(".govuk-error-message")) {
    input.closest(".govuk-form-group").classList.remove("govuk-form-group--error");
    input.classList.remove("govuk-file-upload--error");
  }
}

for (const input of document.querySelectorAll("input[type=file][data-max-bytes]")) {
  input.addEventListener("change", () => {
    const limit = Number(input.dataset.maxBytes);
    const tooBig = Array.from(input.files).find((file) => file.size > limit);
    if (!tooBig) {
      clearRefusal(input);
      return;
    }
    input.value = "";
    showRefusal(input, `${input.dataset.tooBig}: "${tooBig.name}" was not added. Choose a smaller file.`);
  });
}
