// Keeps a job's progress page up to date without reloading it; the page says
// "refresh" for anyone without JavaScript. When the job ends, the page reloads
// once to show the outcome.
const panel = document.getElementById("job-progress");
if (panel) {
  const url = panel.dataset.statusUrl;
  const done = panel.querySelector("[data-job-done]");
  const total = panel.querySelector("[data-job-total]");
  const poll = async () => {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const job = await response.json();
    if (done) done.textContent = job.done;
    if (total) total.textContent = job.total || "?";
    if (job.status === "finished" || job.status === "failed") {
      window.location.reload();
    } else {
      window.setTimeout(poll, 1500);
    }
  };
  window.setTimeout(poll, 1500);
}
