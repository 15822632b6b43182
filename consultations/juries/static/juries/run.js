// Refreshes the progress of a selection while it is computed. The page works without it
// (it has a Refresh link); the live region stays in place and only its content changes.
const region = document.querySelector('[data-widget="jury-progress"]');
if (region) {
  const poll = async () => {
    try {
      const response = await fetch(region.dataset.url, { headers: { "X-Requested-With": "fetch" } });
      if (response.ok) {
        region.innerHTML = await response.text();
        if (region.querySelector("[data-done]")) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // Network trouble: try again at the next tick.
    }
    window.setTimeout(poll, 3000);
  };
  window.setTimeout(poll, 3000);
}
