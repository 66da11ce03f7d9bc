// Passerelle's pages: live updates from the server-sent events stream, and the progress of a
// screening upload. Plain script of Passerelle's own; the pages work without it except for
// uploading a list.
"use strict";

(function () {
  function announce(text) {
    var box = document.getElementById("live-notice");
    if (!box || !text) { return; }
    box.textContent = text;
    clearTimeout(announce.timer);
    announce.timer = setTimeout(function () { box.textContent = ""; }, 6000);
  }

  // A region is refreshed at most once a second: notices may come in bursts (a screening job
  // reports its progress), and each refresh is a request.
  var REFRESH_GAP_MS = 1000;

  function refresh(region) {
    var now = Date.now();
    var last = region.passerelleLast || 0;
    if (region.passerelleBusy || now - last < REFRESH_GAP_MS) {
      if (!region.passerelleTrailing) {
        region.passerelleTrailing = setTimeout(function () {
          region.passerelleTrailing = null;
          refresh(region);
        }, REFRESH_GAP_MS);
      }
      return Promise.resolve();
    }
    region.passerelleBusy = true;
    region.passerelleLast = now;
    var before = {};
    region.querySelectorAll("[data-id]").forEach(function (row) { before[row.dataset.id] = true; });
    return fetch(region.dataset.liveSrc, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (answer) {
        if (answer.redirected) {
          // The session ended or the purpose must be stated again: the whole page says so.
          window.location.reload();
          return null;
        }
        return answer.ok ? answer.text() : null;
      })
      .then(function (html) {
        if (html === null) { return; }
        region.innerHTML = html;
        region.querySelectorAll("[data-id]").forEach(function (row) {
          if (!before[row.dataset.id]) { row.classList.add("new-row"); }
        });
      })
      .catch(function () { /* the next notice or period tries again */ })
      .then(function () { region.passerelleBusy = false; });
  }

  function followStream() {
    var url = document.body.dataset.liveStream;
    if (!url || !window.EventSource) { return; }
    var source = new EventSource(url);
    ["candidate", "hit", "message", "screening"].forEach(function (kind) {
      source.addEventListener(kind, function (event) {
        var notice = {};
        try { notice = JSON.parse(event.data); } catch (e) { notice = {}; }
        var box = document.getElementById("live-notice");
        if (kind !== "screening" && box) { announce(box.dataset[kind]); }
        document.querySelectorAll("[data-live-count='" + kind + "']").forEach(function (badge) {
          badge.textContent = String((parseInt(badge.textContent, 10) || 0) + 1);
          badge.hidden = false;
        });
        document.querySelectorAll("[data-live]").forEach(function (region) {
          if (region.dataset.live.split(" ").indexOf(kind) >= 0) { refresh(region); }
        });
        if (kind === "screening") { document.dispatchEvent(new CustomEvent("passerelle:screening", { detail: notice })); }
      });
    });
    window.addEventListener("beforeunload", function () { source.close(); });
  }

  function refreshPeriodically() {
    document.querySelectorAll("[data-live-every]").forEach(function (region) {
      var seconds = Math.max(2, parseInt(region.dataset.liveEvery, 10) || 10);
      setInterval(function () { refresh(region); }, seconds * 1000);
    });
  }

  function fieldError(id, text) {
    var input = document.getElementById("f-" + id);
    var error = document.getElementById("e-" + id);
    if (input) {
      if (text) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
      input.closest(".field").classList.toggle("invalid", Boolean(text));
    }
    if (error) { error.textContent = text || ""; error.hidden = !text; }
  }

  function uploadList(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var name = form.elements.name.value.trim();
      var file = form.elements.file.files[0];
      var failure = document.getElementById("upload-error");
      failure.hidden = true;
      fieldError("list-name", name ? "" : form.dataset.needName);
      fieldError("list-file", file ? "" : form.dataset.needFile);
      if (!name) { form.elements.name.focus(); return; }
      if (!file) { form.elements.file.focus(); return; }
      var justification = document.querySelector("meta[name='passerelle-justification']");
      var request = new XMLHttpRequest();
      var bar = document.getElementById("upload-bar");
      document.getElementById("upload-progress").hidden = false;
      request.open("POST", "/api/v1/screenings?name=" + encodeURIComponent(name));
      request.setRequestHeader("Content-Type", "text/csv; charset=utf-8");
      if (justification) { request.setRequestHeader("Passerelle-Justification", justification.content); }
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) { bar.value = Math.round(100 * progress.loaded / progress.total); }
      });
      request.addEventListener("load", function () {
        var body = {};
        try { body = JSON.parse(request.responseText); } catch (e) { body = {}; }
        if (request.status === 202 && body.id) {
          bar.value = 100;
          window.location.assign("/screening/" + body.id);
          return;
        }
        var detail = body.detail || form.dataset.failed;
        if (body.field === "name") { fieldError("list-name", detail); form.elements.name.focus(); }
        else if (body.field) { fieldError("list-file", detail + " (" + body.field + ")"); form.elements.file.focus(); }
        else { failure.textContent = detail; failure.hidden = false; }
      });
      request.addEventListener("error", function () {
        failure.textContent = form.dataset.failed;
        failure.hidden = false;
      });
      request.send(file);
    });
  }

  function followJob(section) {
    var labels = JSON.parse(section.dataset.labels || "{}");
    var finished = function (status) { return status === "done" || status === "failed"; };
    if (finished(section.dataset.status)) { return; }
    var timer = null;
    function poll() {
      fetch("/api/v1/screenings/" + section.dataset.job, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (answer) { return answer.ok ? answer.json() : null; })
        .then(function (job) {
          if (!job) { return; }
          document.getElementById("job-done").textContent = job.done;
          document.getElementById("job-total").textContent = job.total;
          var bar = document.getElementById("job-bar");
          bar.max = job.total || 1;
          bar.value = job.done;
          document.getElementById("job-candidates").textContent = job.candidates;
          document.getElementById("job-status").textContent = labels[job.status] || job.status;
          section.dataset.status = job.status;
          if (job.error) { var error = document.getElementById("job-error"); error.textContent = job.error; error.hidden = false; }
          if (finished(job.status)) {
            clearInterval(timer);
            if (job.finished_at) { document.getElementById("job-finished").textContent = job.finished_at.replace("T", " ").slice(0, 16) + " UTC"; }
            document.getElementById("job-next").hidden = false;
          }
        })
        .catch(function () { /* polled again */ });
    }
    timer = setInterval(poll, 500);
    document.addEventListener("passerelle:screening", function (event) {
      if (event.detail && event.detail.id === section.dataset.job) { poll(); }
    });
    poll();
  }

  document.addEventListener("DOMContentLoaded", function () {
    followStream();
    refreshPeriodically();
    document.querySelectorAll("form[data-screening-upload]").forEach(uploadList);
    var job = document.querySelector("#job[data-job]");
    if (job) { followJob(job); }
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
}());
