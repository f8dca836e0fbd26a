// escalate classroom: the facilitator's page and the student's page share this script.
// Every state comes from the server's JSON API; the pages wait for a change by long-polling.
"use strict";

const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};
const PALETTE = ["--a", "--b", "--c", "--d"].map((v) => getComputedStyle(document.documentElement).getPropertyValue(v).trim());

async function api(method, path, body) {
  const opts = { method, headers: {} };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const r = await fetch(path, opts);
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (!r.ok) {
    const err = new Error((data && data.error) || ("HTTP " + r.status));
    err.status = r.status;
    throw err;
  }
  return data;
}

// Waits for each new version of `path` and hands it to `render`; retries after a lost connection.
async function follow(path, render, onRefused) {
  let since = 0, delay = 500;
  for (;;) {
    try {
      const sep = path.includes("?") ? "&" : "?";
      const data = await api("GET", path + sep + "since=" + since);
      $("link").textContent = "";
      delay = 500;
      since = data.version;
      render(data);
    } catch (e) {
      if (e.status === 401 || e.status === 403) { onRefused(e); return; }
      $("link").textContent = "Connection lost: reconnecting…";
      await new Promise((ok) => setTimeout(ok, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
}

function fill(list, items, make) {
  list.replaceChildren(...items.map(make));
}

function showHistory(list, decisions) {
  if (!decisions.length) { list.replaceChildren(el("li", "none", "None yet.")); return; }
  fill(list, decisions, (d) => el("li", "", "Day " + d.day + ": " + d.choice.label +
    (d.as_doctrine ? " (as the doctrine would)" : " (not the doctrine's choice)") + ", by " + d.by));
}

function decisionCard(d, onChoose, mine, votes) {
  $("decision").hidden = !d;
  if (!d) return;
  $("decision-title").textContent = "Decision " + (d.point + 1) + " · day " + d.day;
  // The first line of `lines` is play's heading (the card's title says it) and the options line
  // repeats the buttons.
  fill($("decision-lines"), d.lines.slice(1).filter((l) => !l.startsWith("Options:")), (l) => el("li", "", l));
  fill($("options"), d.options, (o) => {
    const b = el("button", o.code === d.doctrine.code ? "doctrine" : "", o.label);
    const tags = [];
    if (o.code === d.doctrine.code) tags.push("the doctrine's choice");
    if (votes) {
      const t = votes.find((v) => v.code === o.code);
      tags.push((t ? t.votes : 0) + " vote" + (t && t.votes === 1 ? "" : "s"));
    }
    if (mine === o.code) { b.classList.add("mine"); tags.push("your vote"); }
    if (tags.length) b.appendChild(el("span", "tag", tags.join(" · ")));
    b.dataset.code = o.code;
    b.addEventListener("click", () => onChoose(d.point, o.code));
    return b;
  });
}

// The ending of `play`: its text, then its closing table (after the last blank line) as a table,
// so that a phone's narrow screen wraps the text without breaking the table's columns.
function showEnding(box, lines) {
  const cut = lines.lastIndexOf("");
  const text = cut < 0 ? lines : lines.slice(0, cut);
  const rows = cut < 0 ? [] : lines.slice(cut + 1);
  const pre = el("pre", "ending", text.join("\n"));
  const table = el("table", "ending");
  rows.forEach((line, i) => {
    const cells = line.trim().split(/\s{2,}/);
    if (i === 0) cells.unshift("");
    const tr = el("tr");
    cells.forEach((c, j) => tr.appendChild(el(i === 0 || j === 0 ? "th" : "td", "", c)));
    table.appendChild(tr);
  });
  box.replaceChildren(pre, table);
}

// ---------------------------------------------------------------- the student's page
function student() {
  const params = new URLSearchParams(location.search);
  const STORE = "escalate-classroom-token";
  const showJoin = (message) => {
    $("seat").hidden = true;
    $("join").hidden = false;
    $("join-error").textContent = message || "";
    if (params.get("code")) $("code").value = params.get("code");
  };
  const start = (token) => {
    $("join").hidden = true;
    $("seat").hidden = false;
    follow("/api/seat?token=" + encodeURIComponent(token), (s) => renderSeat(s, token), (e) => {
      localStorage.removeItem(STORE);
      showJoin(e.message);
    });
  };
  const renderSeat = (s, token) => {
    $("who").textContent = "You are " + s.seat;
    $("when").textContent = s.scenario + " · day " + s.day + " of " + s.horizon + " · " +
      s.students + " student" + (s.students === 1 ? "" : "s") + " in this seat";
    const last = s.decisions[s.decisions.length - 1];
    let status;
    if (s.status === "over") status = "The game is over.";
    else if (s.status === "deciding") status = s.voting
      ? (s.your_vote !== null ? "You voted. The facilitator locks the room's choice." : "Your state must decide: vote below.")
      : "Your state must decide: the first choice sent is the room's.";
    else if (s.status === "ready") status = "Waiting for the facilitator to start.";
    else status = "The world moves on. Waiting for your state's next decision…";
    if (last && s.status !== "deciding") status += " Last decision (day " + last.day + "): " + last.choice.label + ", by " + last.by + ".";
    $("status").textContent = status;
    $("choose-error").textContent = "";
    decisionCard(s.decision, async (point, code) => {
      try {
        await api("POST", "/api/choose", { token, point, choice: code });
      } catch (e) {
        $("choose-error").textContent = e.message;
      }
    }, s.your_vote, null);
    showHistory($("history"), s.decisions);
    $("ending").hidden = !s.ending;
    if (s.ending) showEnding($("ending-text"), s.ending);
  };
  $("join-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const j = await api("POST", "/api/join", { code: $("code").value.trim(), name: $("name").value.trim() });
      localStorage.setItem(STORE, j.token);
      start(j.token);
    } catch (e) {
      $("join-error").textContent = e.message;
    }
  });
  // A rejoin link (#token=…) moves a seat to another device.
  const linked = new URLSearchParams(location.hash.slice(1)).get("token");
  if (linked) {
    localStorage.setItem(STORE, linked);
    history.replaceState(null, "", location.pathname + location.search);
  }
  const token = localStorage.getItem(STORE);
  if (token) start(token); else showJoin();
}

// ---------------------------------------------------------------- the facilitator's page
function pairChart(room, pair) {
  const W = 640, H = 200, L = 150, R = 30, T = 10, B = 26;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 " + W + " " + H);
  const top = room.ladder.length - 1;
  const x = (d) => L + (W - L - R) * d / Math.max(1, room.horizon);
  const y = (r) => T + (H - T - B) * (1 - r / Math.max(1, top));
  const add = (tag, attrs, text) => {
    const e = document.createElementNS(ns, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    svg.appendChild(e);
    return e;
  };
  add("rect", { x: L, y: y(top), width: W - L - R, height: y(room.crisis_rung - 0.5) - y(top), fill: "#fdedec" });
  room.ladder.forEach((name, r) => {
    add("line", { x1: L, x2: W - R, y1: y(r), y2: y(r), stroke: "#eaeded" });
    add("text", { x: L - 6, y: y(r) + 4, "text-anchor": "end", "font-size": 11, fill: "#5d6d7e" }, r + " " + name);
  });
  for (let d = 0; d <= room.horizon; d += 60) {
    add("text", { x: x(d), y: H - 8, "text-anchor": "middle", "font-size": 11, fill: "#5d6d7e" }, "day " + d);
  }
  add("line", { x1: x(room.day), x2: x(room.day), y1: T, y2: H - B, stroke: "#1f618d", "stroke-width": 2, "stroke-dasharray": "4 3" });
  let prev = null;
  for (const p of pair.points) {
    if (prev) add("line", { x1: x(prev.day), y1: y(prev.rung), x2: x(p.day), y2: y(p.rung), stroke: "#aab7b8" });
    prev = p;
  }
  for (const p of pair.points) {
    add("circle", { cx: x(p.day), cy: y(p.rung), r: 6, fill: PALETTE[p.by % PALETTE.length], stroke: "#fff" })
      .appendChild(document.createElementNS(ns, "title")).textContent =
        "day " + p.day + ": " + room.states[p.by].name + " climbs to " + room.ladder[p.rung];
  }
  return svg;
}

function facilitator() {
  const key = new URLSearchParams(location.hash.slice(1)).get("key") || "";
  let room = null, endingClosed = false;
  const control = async (action, extra) => {
    $("control-error").textContent = "";
    try {
      await api("POST", "/api/control", Object.assign({ key, action }, extra || {}));
    } catch (e) {
      $("control-error").textContent = e.message;
    }
  };
  $("start").addEventListener("click", () => control("start"));
  $("pause").addEventListener("click", () => control("pause"));
  $("step").addEventListener("click", () => control("step"));
  $("reveal").addEventListener("click", () => control(room && room.revealed ? "hide" : "reveal"));
  $("close-ending").addEventListener("click", () => { endingClosed = true; $("ending").hidden = true; });
  $("save").addEventListener("click", async (ev) => {
    ev.preventDefault();
    try {
      const r = await fetch("/api/decisions?key=" + encodeURIComponent(key));
      const text = await r.text();
      const a = el("a");
      a.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
      a.download = "classroom-game.ron";
      a.click();
    } catch (e) {
      $("control-error").textContent = "Cannot save: " + e.message;
    }
  });
  const render = (r) => {
    room = r;
    $("title").textContent = r.scenario;
    $("subtitle").textContent = "arm \u201c" + r.arm + "\u201d · seed " + r.seed + " · " +
      ({ ready: "ready to start", playing: r.running ? "running" : "paused", deciding: "the seat decides", over: "game over" })[r.status];
    $("day").textContent = "Day " + r.day + " of " + r.horizon;
    $("bar-fill").style.width = (100 * r.day / Math.max(1, r.horizon)) + "%";
    $("join-code").textContent = r.code;
    $("join-url").textContent = location.host + "/";
    $("start").disabled = r.running || r.status === "over";
    $("pause").disabled = !r.running;
    $("step").disabled = r.status === "deciding" || r.status === "over";
    $("reveal").textContent = r.revealed ? "Hide the truth" : "Reveal the truth";
    $("truth-note").textContent = r.revealed ? "(the truth: who really did what)" : "(what the states could see)";
    const states = r.states;
    fill($("pairs"), r.pairs, (p) => {
      const box = el("div", "pair");
      const h = el("h3", "", states[p.states[0]].name + " and " + states[p.states[1]].name + " ");
      h.appendChild(el("span", "sub", p.points.length ? p.points.length + " responses" : "no response yet"));
      box.append(h, pairChart(r, p));
      return box;
    });
    fill($("seats"), states, (s, i) => {
      const li = el("li");
      const dot = el("span", "", "\u25cf ");
      dot.style.color = PALETTE[i % PALETTE.length];
      li.append(dot, el("b", "", s.name + ": "));
      if (s.seat && s.students > 0) li.appendChild(el("span", "filled", s.students + " student" + (s.students === 1 ? "" : "s")));
      else if (s.seat) li.appendChild(el("span", "", "the students' seat, empty: the model plays it"));
      else li.appendChild(el("span", "sub", "played by the model"));
      return li;
    });
    // Newest first; the events of the room's day are highlighted.
    fill($("events"), r.events.slice().reverse(), (e) => {
      const li = el("li", (e.key ? "key " : "") + (e.day === r.day ? "new" : ""));
      li.append(el("span", "d", "day " + e.day), document.createTextNode(e.text));
      return li;
    });
    const seatName = states.find((s) => s.seat).name;
    decisionCard(r.decision, (point, code) => control("lock", { point, choice: code }), null, r.accept === "vote" ? r.votes : null);
    if (r.decision) {
      $("decision-title").textContent = seatName + " decides (decision " + (r.decision.point + 1) + ", day " + r.decision.day + ")";
      $("lock-note").textContent = r.accept === "vote"
        ? "Students vote; click a choice to lock it as the room's."
        : "The first student's choice is taken; click one to decide for the room.";
    }
    showHistory($("history"), r.decisions);
    if (r.ending && !endingClosed) {
      $("ending").hidden = false;
      showEnding($("ending-text"), r.ending);
    }
  };
  follow("/api/room?key=" + encodeURIComponent(key), render, (e) => {
    $("control-error").textContent = e.message;
  });
}

if (document.body.dataset.page === "student") student(); else facilitator();
