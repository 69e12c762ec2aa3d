// Chat without page reloads: posts the question to the JSON API, then appends the server-rendered
// messages (the same HTML as the no-JavaScript page). Without JavaScript the form posts normally.
// Also sends the askers' ratings of answers (the feedback widget stays hidden without JavaScript).
(function () {
  "use strict";
  if (!window.fetch) return;
  var csrfToken = document.querySelector('meta[name="csrf-token"]').content;

  // POST a JSON body with the CSRF header; resolves with the JSON answer, rejects with its error message.
  function postJSON(url, body, failed) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        // Every API error is {"error": {"code", "message"}}, the message in the page's language.
        if (!response.ok || !data) throw new Error(data && data.error && data.error.message ? data.error.message : failed);
        return data;
      });
    });
  }

  setUpAsking();
  setUpFeedback();

  function setUpAsking() {
    var form = document.getElementById("ask-form");
    if (!form) return;
    var textarea = document.getElementById("question");
    var statusBox = document.getElementById("ask-status");
    var errorBox = document.getElementById("ask-error");
    var log = document.getElementById("chat-messages");
    var conversationInput = document.getElementById("conversation-id");
    var button = document.getElementById("ask-submit");

    textarea.addEventListener("keydown", function (event) {
      // Enter sends, Shift+Enter is a newline; Enter that confirms an IME conversion must not send.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        form.requestSubmit();
      }
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.getAttribute("aria-busy") === "true") return;
      ask(textarea.value);
    });

    function ask(question) {
      setBusy(true);
      errorBox.hidden = true;
      statusBox.textContent = form.dataset.working;
      var body = { question: question };
      if (conversationInput.value) body.conversation_id = conversationInput.value;
      postJSON(form.dataset.api, body, form.dataset.failed)
        .then(function (data) {
          conversationInput.value = data.conversation_id;
          return appendNewMessages(data.conversation_id);
        })
        .then(function () {
          textarea.value = ""; // cleared only once the answer is on screen: nothing typed is lost
          statusBox.textContent = form.dataset.done;
        })
        .catch(function (error) {
          statusBox.textContent = "";
          errorBox.textContent = error.message || form.dataset.failed;
          errorBox.hidden = false;
          textarea.focus();
        })
        .then(function () { setBusy(false); });
    }

    function appendNewMessages(conversationId) {
      var shown = log.querySelectorAll("li[data-message-id]");
      var after = shown.length ? shown[shown.length - 1].dataset.messageId : "0";
      var url = form.dataset.fragment.replace("__ID__", encodeURIComponent(conversationId)) + "?after=" + after;
      return fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error(form.dataset.failed);
          return response.text();
        })
        .then(function (html) {
          var template = document.createElement("template");
          template.innerHTML = html; // rendered and sanitised by the server
          var added = Array.prototype.slice.call(template.content.querySelectorAll("li.msg"));
          added.forEach(function (item) { log.appendChild(item); });
          var empty = document.getElementById("chat-empty");
          if (empty) empty.remove();
          var answers = added.filter(function (item) { return item.classList.contains("msg-assistant"); });
          if (answers.length) answers[answers.length - 1].focus(); // move keyboard users to the new answer
        });
    }

    function setBusy(busy) {
      form.setAttribute("aria-busy", busy ? "true" : "false");
      button.disabled = busy;
    }
  }

  // Ratings of answers ("Helpful" / "Not helpful", optional comment), sent to the feedback API.
  function setUpFeedback() {
    var log = document.getElementById("chat-messages");
    if (!log) return;

    function reveal(root) {
      Array.prototype.forEach.call(root.querySelectorAll(".feedback[hidden]"), function (box) { box.hidden = false; });
    }
    reveal(log);
    // Answers appended later (chat without reload) bring their own widgets.
    new MutationObserver(function () { reveal(log); }).observe(log, { childList: true });

    log.addEventListener("click", function (event) {
      var button = event.target.closest(".feedback button");
      if (!button) return;
      var box = button.closest(".feedback");
      var vote = button.dataset.helpful ? button : box.querySelector("button[aria-pressed='true']");
      if (!vote) {
        box.querySelector(".feedback-status").textContent = box.dataset.choose;
        return;
      }
      send(box, vote);
    });

    function send(box, vote) {
      var status = box.querySelector(".feedback-status");
      var body = {
        conversation_id: box.dataset.conversationId,
        message_id: Number(box.dataset.messageId),
        helpful: vote.dataset.helpful === "true",
        comment: box.querySelector(".feedback-comment").value
      };
      postJSON(box.dataset.feedbackApi, body, box.dataset.failed)
        .then(function () {
          Array.prototype.forEach.call(box.querySelectorAll("button[data-helpful]"), function (b) {
            b.setAttribute("aria-pressed", b === vote ? "true" : "false");
          });
          status.textContent = box.dataset.thanks;
        })
        .catch(function (error) { status.textContent = error.message || box.dataset.failed; });
    }
  }
})();
