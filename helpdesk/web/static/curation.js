// Live preview for the FAQ editor, one per language column: the server renders and sanitises the
// Markdown (the same function readers get), so the preview never differs from what is published.
// Without JS the "preview" button does this.
(function () {
  "use strict";
  var form = document.getElementById("faq-editor");
  if (!form) return;
  var token = form.querySelector("input[name=csrf_token]").value;

  function watch(answer) {
    var preview = document.getElementById(answer.dataset.preview);
    var timer = null;
    var latest = 0;

    function refresh() {
      var request = ++latest;
      var body = new URLSearchParams({ answer: answer.value, csrf_token: token });
      fetch(form.dataset.previewUrl, {
        method: "POST",
        headers: { "X-CSRFToken": token, "Accept": "application/json" },
        body: body,
        credentials: "same-origin",
      })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (request !== latest) return; // an older response arriving late must not win
          if (data.html !== undefined) {
            preview.innerHTML = data.html; // sanitised by the server (nh3 allow-list)
          } else {
            preview.textContent = (data.error && data.error.message) || "";
          }
        })
        .catch(function () { /* keep the last preview; the text itself is untouched */ });
    }

    answer.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    });
  }

  form.querySelectorAll("textarea[data-preview]").forEach(watch);
})();
