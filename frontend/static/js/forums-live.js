// Live thread island: <div data-widget="forum-live"> (forums/thread.html, thread_screen.html).
// Without this file, or without websockets, the page works by reload.
//
// The server numbers every change of a thread (forums/events.py). The page starts from the
// number it was rendered at (data-last-seq) and applies events strictly in order: an event
// already applied is ignored, a gap is filled over HTTP (data-events-url?apres=N) before
// going on. On every (re)connection the page asks what it missed the same way, so nothing
// is lost and nothing is shown twice. Fragments come rendered by the server; the composer
// is never touched and focus never moves. A polite live region announces each change.
(function () {
  "use strict";

  var MAX_BACKOFF_MS = 30000;
  var PING_MS = 25000;

  function mount(root) {
    var state = {
      lastSeq: parseInt(root.getAttribute("data-last-seq"), 10) || 0,
      pending: {},
      catchingUp: false,
      catchUpAgain: false,
      socket: null,
      attempts: 0,
      pingTimer: null,
      stopped: false,
    };
    var viewer = root.getAttribute("data-viewer") || "anonymous";
    var viewerKey = root.getAttribute("data-viewer-key") || "";
    var csrfToken = root.getAttribute("data-csrf-token") || "";
    var screenMode = root.getAttribute("data-mode") === "screen";
    var announcer = root.querySelector("[data-live-announcer]");
    var status = root.querySelector("[data-live-status]");
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    // Both texts are translated by the template that renders the island.
    var texts = { live: root.getAttribute("data-text-live"), offline: root.getAttribute("data-text-offline") };

    // ------------------------------------------------------------ helpers

    function setStatus(text, online) {
      if (!status) return;
      status.hidden = false;
      status.textContent = text;
      status.setAttribute("data-online", online ? "true" : "false");
    }

    var announceQueue = [];
    var announceTimer = null;
    function announce(text) {
      if (!announcer || !text) return;
      // Batch what arrives together into one message, so a burst is read once.
      announceQueue.push(text);
      if (announceTimer) return;
      announceTimer = window.setTimeout(function () {
        announcer.textContent = announceQueue.join(" ");
        announceQueue = [];
        announceTimer = null;
      }, 400);
    }

    function fragment(html) {
      var template = document.createElement("template");
      template.innerHTML = html.trim();
      return template.content.firstElementChild;
    }

    // Reveal, in a pushed fragment, the controls that concern this viewer (the server checks
    // every action again), and give its forms this page's CSRF token.
    function prepare(element) {
      if (!element) return element;
      var cards = element.matches("[data-author-key]") ? [element] : [];
      cards = cards.concat(Array.prototype.slice.call(element.querySelectorAll("[data-author-key]")));
      cards.forEach(function (card) {
        var isAuthor = viewerKey !== "" && card.getAttribute("data-author-key") === viewerKey;
        var roles = { public: true, participant: viewer === "participant", author: isAuthor };
        roles.reactor = roles.participant && !isAuthor;
        roles.public = !roles.reactor;
        card.querySelectorAll("[data-show-for]").forEach(function (control) {
          var show = control
            .getAttribute("data-show-for")
            .split(" ")
            .some(function (role) {
              return roles[role];
            });
          control.hidden = !show;
        });
      });
      element.querySelectorAll("input[data-csrf]").forEach(function (input) {
        input.value = csrfToken;
      });
      return element;
    }

    function highlight(element) {
      if (!element || reduceMotion) return;
      element.classList.add("is-new");
      window.setTimeout(function () {
        element.classList.remove("is-new");
      }, 3000);
    }

    function byId(id) {
      return id ? document.getElementById(id) : null;
    }

    function dropEmptyNotice(list) {
      var empty = list.parentNode.querySelector(":scope > [data-live-empty]");
      if (empty) empty.remove();
    }

    // ------------------------------------------------------------ applying events

    function applyComment(event) {
      var existing = byId(event.id);
      if (event.kind === "comment.reacted") {
        if (!existing) return;
        var card = existing.querySelector(":scope > article");
        if (!card) return;
        var counts = card.querySelectorAll(".reaction__count");
        if (counts.length === 2) {
          counts[0].textContent = event.up;
          counts[1].textContent = event.down;
        }
        var score = card.querySelector("[data-score]");
        if (score && event.score) {
          var newScore = fragment(event.score);
          newScore.hidden = score.hidden;
          score.replaceWith(newScore);
        }
        return;
      }
      if (event.kind === "comment.created") {
        if (existing) return; // already on the page (rendered after the event, or applied before)
        var item = prepare(fragment(event.html));
        if (!item) return;
        if (event.parent) {
          var parent = byId(event.parent);
          if (!parent) return;
          var replies = parent.querySelector(":scope > ol.comment-list--replies");
          if (!replies) {
            replies = document.createElement("ol");
            replies.className = "comment-list comment-list--replies";
            parent.appendChild(replies);
          }
          replies.appendChild(item);
        } else {
          var list = root.querySelector('[data-comment-list="' + event.list + '"]') || root.querySelector('[data-comment-list="all"]');
          if (!list) return;
          var where = list.getAttribute("data-insert");
          if (where === "start") list.insertBefore(item, list.firstChild);
          else if (where === "end") list.appendChild(item);
          else {
            var elsewhere = root.querySelector("[data-live-elsewhere]");
            if (elsewhere) elsewhere.hidden = false;
            announce(event.announce);
            return;
          }
          dropEmptyNotice(list);
        }
        highlight(item);
        announce(event.announce);
        return;
      }
      if (!existing) return;
      var oldCard = existing.querySelector(":scope > article");
      var newCard = prepare(fragment(event.html));
      if (!oldCard || !newCard) return;
      if (event.kind === "comment.edited") {
        // Only the text and its header change: the viewer's own controls stay as they are.
        var oldBody = oldCard.querySelector('[data-part="body"]');
        var newBody = newCard.querySelector('[data-part="body"]');
        if (oldBody && newBody) oldBody.replaceWith(newBody);
        else oldCard.replaceWith(newCard);
      } else {
        oldCard.replaceWith(newCard);
      }
      highlight(existing);
      announce(event.announce);
    }

    function applyQuestion(event) {
      if (event.screen !== undefined) {
        var screen = root.querySelector("[data-live-screen]");
        if (screen) screen.innerHTML = event.screen;
      }
      if (screenMode) {
        if (event.screen !== undefined) announce(event.announce);
        return;
      }
      var existing = byId(event.id);
      if (event.kind === "question.voted") {
        if (!existing) return;
        var label = existing.querySelector("[data-vote-label]");
        if (label && event.votes_label) label.textContent = event.votes_label;
        return;
      }
      if (!event.html) {
        if (existing) existing.remove();
        announce(event.announce);
        return;
      }
      var item = prepare(fragment(event.html));
      var list = root.querySelector('[data-question-list="' + event.status + '"]');
      if (existing) {
        // Keep the viewer's own support state: the pushed fragment cannot know it.
        var oldVote = existing.querySelector('button[aria-pressed="true"]');
        if (oldVote) {
          var newVote = item.querySelector('form[action$="/soutenir/"] button');
          var field = item.querySelector('form[action$="/soutenir/"] input[name="soutien"]');
          if (newVote) newVote.setAttribute("aria-pressed", "true");
          if (field) field.value = "0";
        }
        if (list && existing.parentNode !== list) {
          existing.remove();
          list.appendChild(item);
          dropEmptyNotice(list);
        } else {
          existing.replaceWith(item);
        }
      } else if (list) {
        list.appendChild(item);
        dropEmptyNotice(list);
      }
      highlight(item);
      announce(event.announce);
    }

    function applyThread(event) {
      if (event.kind === "thread.closed") {
        var conclusion = root.querySelector("[data-live-conclusion]");
        if (conclusion && event.html) conclusion.innerHTML = event.html;
        // The composer stays with what was typed in it (it can still be copied), but cannot be sent.
        root.querySelectorAll("[data-composer] button[type=submit]").forEach(function (button) {
          button.disabled = true;
        });
      }
      announce(event.announce);
    }

    function apply(event) {
      var kind = event.kind || "";
      if (kind.indexOf("comment.") === 0) applyComment(event);
      else if (kind.indexOf("question.") === 0) applyQuestion(event);
      else if (kind.indexOf("thread.") === 0) applyThread(event);
    }

    // Apply in order; keep what comes early until the gap before it is filled.
    function receive(event) {
      if (typeof event.seq !== "number" || event.seq <= state.lastSeq) return;
      if (event.seq > state.lastSeq + 1) {
        state.pending[event.seq] = event;
        catchUp();
        return;
      }
      apply(event);
      state.lastSeq = event.seq;
      while (state.pending[state.lastSeq + 1]) {
        var next = state.pending[state.lastSeq + 1];
        delete state.pending[state.lastSeq + 1];
        apply(next);
        state.lastSeq = next.seq;
      }
      Object.keys(state.pending).forEach(function (seq) {
        if (Number(seq) <= state.lastSeq) delete state.pending[seq];
      });
      root.setAttribute("data-last-seq", String(state.lastSeq));
    }

    function catchUp() {
      if (state.catchingUp) {
        state.catchUpAgain = true;
        return;
      }
      state.catchingUp = true;
      var url = root.getAttribute("data-events-url") + "?apres=" + state.lastSeq;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("catch-up answered " + response.status);
          return response.json();
        })
        .then(function (data) {
          if (data.reload) {
            var reload = root.querySelector("[data-live-reload]");
            if (reload) reload.hidden = false;
            state.lastSeq = data.last_seq;
            state.pending = {};
            return;
          }
          data.events.forEach(receive);
        })
        .catch(function () {
          state.catchUpAgain = true;
        })
        .then(function () {
          state.catchingUp = false;
          if (state.catchUpAgain) {
            state.catchUpAgain = false;
            window.setTimeout(catchUp, 1000);
          }
        });
    }

    // ------------------------------------------------------------ the socket

    function connect() {
      if (state.stopped || !("WebSocket" in window)) return;
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      var path = root.getAttribute("data-socket-path");
      var lang = root.getAttribute("data-lang") || document.documentElement.lang || "";
      var socket = new WebSocket(scheme + window.location.host + path + "?lang=" + encodeURIComponent(lang));
      state.socket = socket;
      socket.addEventListener("open", function () {
        state.attempts = 0;
        setStatus(texts.live, true);
        root.setAttribute("data-live-connected", "true");
        catchUp();
        state.pingTimer = window.setInterval(function () {
          if (socket.readyState === WebSocket.OPEN) socket.send("ping");
        }, PING_MS);
      });
      socket.addEventListener("message", function (message) {
        try {
          receive(JSON.parse(message.data));
        } catch (error) {
          // A malformed message is skipped; the next one's number reveals the gap.
        }
      });
      socket.addEventListener("close", function () {
        root.removeAttribute("data-live-connected");
        window.clearInterval(state.pingTimer);
        if (state.stopped) return;
        setStatus(texts.offline, false);
        state.attempts += 1;
        var delay = Math.min(MAX_BACKOFF_MS, 1000 * Math.pow(2, state.attempts - 1));
        window.setTimeout(connect, delay / 2 + Math.random() * (delay / 2));
      });
    }

    window.addEventListener("pagehide", function () {
      state.stopped = true;
      if (state.socket) state.socket.close();
    });
    // Back from the browser's page cache: follow the thread again, from where the page was.
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;
      state.stopped = false;
      connect();
    });
    // Controls of fragments rendered with the page follow the same rules as pushed ones.
    prepare(root);
    connect();
  }

  window.civicWidgets = window.civicWidgets || {};
  window.civicWidgets["forum-live"] = mount;
})();
