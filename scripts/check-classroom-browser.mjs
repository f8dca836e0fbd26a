// Drives `escalate classroom` in headless Chromium (Debian's `chromium`) through the Chrome DevTools
// protocol, with no package but Node's own (Node 20 with --experimental-websocket, or Node 22+):
// the facilitator's page at 1920×1080 and two students' pages (a phone, 390×844; a laptop,
// 1280×800) play a scripted game to the end by clicking, including a reload of a student's page;
// then the saved decisions must replay with `escalate play --replay` to the room's transcript.
// Screenshots of each page during the game and at its end are written to OUT.
//
//   node --experimental-websocket scripts/check-classroom-browser.mjs [ESCALATE_BINARY] [OUT]
//
// Exits 1, saying what failed, if a page does not show what it should or the replay differs.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const escalate = process.argv[2] || "target/release/escalate";
const out = process.argv[3] || "target/classroom-browser";
mkdirSync(out, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), "classroom-browser-"));
const saved = join(scratch, "game.ron");
const children = [];
const fail = (message) => {
  console.error("check-classroom-browser: " + message);
  for (const c of children) c.kill("SIGKILL");
  process.exit(1);
};
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// Starts a child and resolves with the first match of `pattern` in its output.
function start(cmd, args, stream, pattern) {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((ok, ko) => {
    let text = "";
    const timer = setTimeout(() => ko(new Error(cmd + " printed no " + pattern + ":\n" + text)), 30000);
    child[stream].on("data", (d) => {
      text += d;
      const m = text.match(pattern);
      if (m) { clearTimeout(timer); ok({ child, m, text }); }
    });
    child.on("exit", (code) => ko(new Error(cmd + " exited (" + code + "):\n" + text)));
  });
}

// A DevTools connection with flat sessions.
class Cdp {
  constructor(url) {
    this.ws = new WebSocket(url);
    this.id = 0;
    this.pending = new Map();
    this.ws.onmessage = (m) => {
      const d = JSON.parse(m.data);
      const p = d.id && this.pending.get(d.id);
      if (!p) return;
      this.pending.delete(d.id);
      if (d.error) p.ko(new Error(d.error.message)); else p.ok(d.result);
    };
    this.open = new Promise((ok, ko) => { this.ws.onopen = ok; this.ws.onerror = ko; });
  }
  send(method, params = {}, sessionId) {
    const id = ++this.id;
    this.ws.send(JSON.stringify({ id, method, params, sessionId }));
    return new Promise((ok, ko) => this.pending.set(id, { ok, ko }));
  }
}

// A page in its own browser context (its own localStorage), at a size.
async function page(cdp, url, width, height, mobile) {
  const { browserContextId } = await cdp.send("Target.createBrowserContext");
  const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank", browserContextId });
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
  const s = (m, p) => cdp.send(m, p, sessionId);
  await s("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile });
  await s("Page.enable");
  await s("Page.navigate", { url });
  const p = {
    eval: async (expr) => {
      const r = await s("Runtime.evaluate", { expression: expr, awaitPromise: true, returnByValue: true });
      if (r.exceptionDetails) throw new Error(expr + ": " + JSON.stringify(r.exceptionDetails));
      return r.result.value;
    },
    // Waits until `expr` is truthy in the page.
    until: async (expr, what) => {
      for (let i = 0; i < 200; i++) {
        try { const v = await p.eval(expr); if (v) return v; } catch (e) { /* the page is loading */ }
        await sleep(50);
      }
      fail("timed out waiting for " + what + " (" + expr + ")");
    },
    shot: async (name) => {
      const { data } = await s("Page.captureScreenshot", { format: "png" });
      writeFileSync(join(out, name), Buffer.from(data, "base64"));
    },
    reload: () => s("Page.reload"),
  };
  return p;
}

const text = (id) => `((document.getElementById(${JSON.stringify(id)}) || {}).textContent || "")`;
const visible = (id) => `!document.getElementById(${JSON.stringify(id)}).hidden`;

try {
  const server = await start(escalate, ["classroom", "--port", "0", "--seat", "Borealis", "--arm",
    "with-channels", "--seed", "3", "--save", saved], "stdout", /Ctrl-C stops/);
  const base = server.text.match(/http:\/\/127\.0\.0\.1:\d+/)[0];
  const key = server.text.match(/#key=([0-9a-f]+)/)[1];
  const code = server.text.match(/join with the code (\S+)/)[1];
  const profile = join(scratch, "chromium");
  const browser = await start("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
    "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank"], "stderr", /DevTools listening on (ws:\S+)/);
  const cdp = new Cdp(browser.m[1]);
  await cdp.open;

  const fac = await page(cdp, base + "/facilitator#key=" + key, 1920, 1080, false);
  await fac.until(`${text("join-code")} === ${JSON.stringify(code)}`, "the join code on the projector");
  const ana = await page(cdp, base + "/?code=" + code, 390, 844, true);
  const ben = await page(cdp, base + "/?code=" + code, 1280, 800, false);
  for (const [p, name] of [[ana, "Ana"], [ben, "Ben"]]) {
    await p.until(`document.getElementById("code").value === ${JSON.stringify(code)}`, "the code filled in from the address");
    await p.eval(`document.getElementById("name").value = ${JSON.stringify(name)}; document.querySelector("#join-form button").click(); true`);
    await p.until(`${text("who")} === "You are Borealis"`, name + " seated");
  }
  await fac.until(`${text("seats")}.includes("2 students")`, "two students counted in the seat");

  let decisions = 0, reloaded = false, shots = false;
  for (let guard = 0; guard < 400; guard++) {
    const status = await fac.eval(`${text("subtitle")}`);
    if (status.includes("game over")) break;
    const open = await ana.eval(`${visible("decision")} && document.querySelectorAll("#options button").length > 0`);
    if (!open) {
      if (!status.includes("the seat decides")) {
        await fac.eval(`document.getElementById("step").click(); true`);
      }
      await sleep(60);
      continue;
    }
    const title = await ana.eval(text("decision-title"));
    const point = Number(title.match(/Decision (\d+)/)[1]) - 1;
    await ben.until(`${text("decision-title")} === ${JSON.stringify(title)}`, "Ben sees the same decision");
    if (!shots) {
      await fac.until(`${visible("decision")}`, "the decision on the projector");
      await fac.shot("facilitator-decision-1920x1080.png");
      await ana.shot("student-decision-390x844.png");
      await ben.shot("student-decision-1280x800.png");
      shots = true;
    }
    if (point === 1 && !reloaded) {
      // A reload rejoins the same seat with the token the page kept.
      await ben.reload();
      await ben.until(`${text("who")} === "You are Borealis" && ${text("decision-title")} === ${JSON.stringify(title)}`, "Ben back in his seat after a reload");
      reloaded = true;
    }
    // Ana parts from the doctrine at the first decision (the first option that is not its
    // choice), then follows it; Ben clicks a moment late and is told the decision was taken.
    const pick = point === 0 ? `#options button:not(.doctrine)` : `#options button.doctrine`;
    await ana.eval(`document.querySelector(${JSON.stringify(pick)}).click(); true`);
    await fac.until(`${text("history")}.split("Day ").length - 1 === ${point + 1}`, "decision " + (point + 1) + " on the projector");
    await ana.until(`!(${visible("decision")}) || ${text("decision-title")} !== ${JSON.stringify(title)}`, "Ana's page past decision " + (point + 1));
    decisions++;
  }
  if (decisions < 3 || !reloaded) fail("the game had " + decisions + " decisions (reload: " + reloaded + ")");
  await fac.until(`${visible("ending")}`, "the end screen");
  await fac.eval(`document.getElementById("reveal").click(); true`);
  await fac.until(`${text("truth-note")}.includes("the truth")`, "the truth revealed");
  await fac.shot("facilitator-end-1920x1080.png");
  await fac.eval(`document.getElementById("close-ending").click(); true`);
  await fac.shot("facilitator-revealed-1920x1080.png");
  await ana.until(`${visible("ending")}`, "the end on the phone");
  await ana.shot("student-end-390x844.png");

  const room = await (await fetch(base + "/api/room?key=" + key)).json();
  if (room.decisions.length !== decisions) fail("clicked " + decisions + " decisions; the room took " + room.decisions.length);
  const transcript = await (await fetch(base + "/api/transcript?key=" + key)).text();
  const replay = execFileSync(escalate, ["play", "--replay", saved, "--no-color"], { encoding: "utf8" });
  if (replay !== transcript) fail("`escalate play --replay` of the saved game differs from the room's transcript");
  const ending = await fac.eval(`document.querySelector("#ending-text pre").textContent`);
  const rows = await fac.eval(`document.querySelectorAll("#ending-text table tr").length`);
  if (!replay.includes(ending + "\n\n") || rows < 2) fail("the end screen is not the replay's ending");
  console.log("check-classroom-browser: " + decisions + " decisions played by clicking, a reload, the end screen; " +
    "the replay matches; screenshots in " + out);
  // Chromium may still be writing its profile while it exits: stop it first, then clean up.
  await Promise.all(children.map((c) => new Promise((ok) => {
    if (c.exitCode !== null || c.signalCode !== null) return ok();
    c.on("exit", ok);
    c.kill("SIGINT");
  })));
  rmSync(scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  process.exit(0);
} catch (e) {
  fail(e.stack || String(e));
}
