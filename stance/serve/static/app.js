// Web page of `stance serve`: sends the form to POST /render and shows the returned fragment.
// Rendering itself lives in stance/render.py (shared with the HTML report), not here.
"use strict";

(function () {
  const form = document.getElementById("form");
  const text = document.getElementById("text");
  const target = document.getElementById("target");
  const submit = document.getElementById("submit");
  const counter = document.getElementById("counter");
  const status = document.getElementById("status");
  const result = document.getElementById("result");
  const json = document.getElementById("json");
  const jsonBody = document.getElementById("json-body");
  const download = document.getElementById("download");
  const fmt = new Intl.NumberFormat("fr-FR");
  let maxChars = null;
  let downloadUrl = null;

  function updateCounter() {
    const n = text.value.length;
    counter.textContent = maxChars
      ? `${fmt.format(n)} / ${fmt.format(maxChars)} caractères`
      : `${fmt.format(n)} caractères`;
  }

  function setStatus(message, isError) {
    status.textContent = message;
    status.classList.toggle("error", Boolean(isError));
  }

  async function errorMessage(response) {
    try {
      const body = await response.json();
      const detail = body.detail;
      if (typeof detail === "string") return detail;
      if (Array.isArray(detail)) return detail.map((d) => d.msg).join(" ; ");
    } catch (_) {
      /* not JSON: fall through */
    }
    return `erreur ${response.status}`;
  }

  function showRecord(record) {
    jsonBody.textContent = JSON.stringify(record, null, 2);
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    downloadUrl = URL.createObjectURL(
      new Blob([jsonBody.textContent], { type: "application/json" })
    );
    download.href = downloadUrl;
    json.hidden = false;
  }

  async function analyse(event) {
    event.preventDefault();
    if (!text.value.trim()) {
      setStatus("Saisissez un texte à analyser.", true);
      return;
    }
    submit.disabled = true;
    setStatus("Analyse en cours…");
    const started = performance.now();
    try {
      const response = await fetch("/render", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text: text.value, target: target.value.trim() || null }),
      });
      if (!response.ok) {
        setStatus(await errorMessage(response), true);
        return;
      }
      const data = await response.json();
      result.innerHTML = data.html; // escaped server-side by stance.render
      showRecord(data.record);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      setStatus(`Analyse terminée en ${seconds.replace(".", ",")} s.`);
    } catch (err) {
      setStatus(`Serveur injoignable (${err.message}).`, true);
    } finally {
      submit.disabled = false;
    }
  }

  async function loadLimits() {
    try {
      const response = await fetch("/health");
      if (response.ok) maxChars = (await response.json()).limits.max_chars;
    } catch (_) {
      /* the counter simply shows no limit */
    }
    updateCounter();
  }

  form.addEventListener("submit", analyse);
  text.addEventListener("input", updateCounter);
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  updateCounter();
  loadLimits();
})();
