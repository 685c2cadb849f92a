// Web page of `stance serve`: sends the form to POST /render and shows the returned fragment.
// Rendering itself lives in stance/io/html.py (shared with the HTML report), not here.
// Messages follow French typography: no-break space (NBSP) before ":" and units, narrow one
// (NNBSP) before ";".
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
  const NBSP = "\u00a0";
  const NNBSP = "\u202f";
  let maxChars = null;
  let downloadUrl = null;

  function updateCounter() {
    const n = text.value.length;
    counter.textContent = maxChars
      ? `${fmt.format(n)} / ${fmt.format(maxChars)}${NBSP}caractères`
      : `${fmt.format(n)}${NBSP}caractères`;
  }

  function setStatus(message, isError) {
    status.textContent = message;
    status.classList.toggle("error", Boolean(isError));
  }

  async function serverDetail(response) {
    try {
      const detail = (await response.json()).detail;
      if (typeof detail === "string") return detail;
      if (Array.isArray(detail)) return detail.map((d) => d.msg).join(`${NNBSP}; `);
    } catch (_) {
      /* not JSON: no detail */
    }
    return "";
  }

  // A French sentence for the user; the server's (English) detail follows in parentheses.
  async function errorMessage(response) {
    const detail = await serverDetail(response);
    const why = {
      413: "Texte trop long pour le serveur",
      422: "Requête refusée par le serveur",
      500: "Le modèle n’a pas pu analyser ce texte",
      503: "Serveur occupé, réessayez dans quelques secondes",
    }[response.status] || `Erreur ${response.status} du serveur`;
    return detail ? `${why} (${detail}).` : `${why}.`;
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
      result.innerHTML = data.html; // escaped server-side by stance.io.html
      showRecord(data.record);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      setStatus(`Analyse terminée en ${seconds.replace(".", ",")}${NBSP}s.`);
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
