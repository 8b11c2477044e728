// The coordinator's page: plain JavaScript over the service's /api/v1 resources, no build step.
// Every word comes from the server (the "words" script element), so the page speaks the chosen language.
"use strict";

const W = JSON.parse(document.getElementById("words").textContent);
const CSRF = document.querySelector('meta[name="csrf-token"]').content;
const LANG = document.getElementById("app").dataset.lang;
const API = "/api/v1";
const $ = (id) => document.getElementById(id);

const state = { community: null, week: null, roster: null, run: null, accepted: {}, source: null };

function say(key, values = {}) {
  return (W[key] || key).replace(/\{(\w+)\}/g, (_, name) => (name in values ? values[name] : ""));
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
  return node;
}

// ------------------------------------------------------------------ talking to the service

async function call(method, path, body, headers = {}) {
  const options = { method, headers: { ...headers }, credentials: "same-origin" };
  if (method !== "GET") options.headers["X-CSRF-Token"] = CSRF;
  if (body !== undefined) {
    if (body instanceof Blob || body instanceof ArrayBuffer) options.body = body;
    else { options.body = JSON.stringify(body); options.headers["Content-Type"] = "application/json"; }
  }
  let response;
  try { response = await fetch(API + path, options); } catch (error) { throw new Error(say("error.network")); }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (error) { data = text; }
  if (!response.ok) {
    const failure = new Error(problemText(data) || response.statusText);
    failure.status = response.status; failure.data = data;
    throw failure;
  }
  return data;
}

function problemText(data) {
  if (!data) return "";
  if (data.errors) return data.errors.map((f) => f.message).join("; ");
  if (typeof data.detail === "string") return data.detail;
  return typeof data === "string" ? data : "";
}

const communityPath = () => `/communities/${encodeURIComponent(state.community)}`;
const weekPath = () => `${communityPath()}/weeks/${encodeURIComponent(state.week)}`;

// ------------------------------------------------------------------ dates as a coordinator writes them

function dayLabel(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
  return `${say("date", { month, day })} ${say("weekday." + weekday)}`;
}

function weekDays(startIso) {
  const [year, month, day] = startIso.split("-").map(Number);
  return Array.from({ length: 7 }, (_, i) => new Date(Date.UTC(year, month - 1, day + i)).toISOString().slice(0, 10));
}

// ------------------------------------------------------------------ problems as a table

function problemsTable(findings) {
  const head = el("tr", {}, ["problems.row", "problems.column", "problems.value", "problems.message", "problems.fix"]
    .map((key) => el("th", { scope: "col" }, say(key))));
  const rows = findings.map((f) => el("tr", {},
    el("td", {}, f.row ?? ""), el("td", {}, f.column ?? ""), el("td", {}, f.value ?? ""),
    el("td", {}, f.message ?? ""), el("td", {}, f.fix ?? "")));
  return el("table", { class: "problems" }, el("thead", {}, head), el("tbody", {}, rows));
}

// ------------------------------------------------------------------ communities

async function loadCommunities() {
  const communities = await call("GET", "/communities");
  const select = $("community");
  select.replaceChildren(...communities.map((c) => el("option", { value: c.id }, c.name || c.id)));
  const remembered = localStorage.getItem("roster.community");
  if (communities.some((c) => c.id === remembered)) select.value = remembered;
  state.community = select.value || null;
  await afterCommunityChange();
}

async function createCommunity(event) {
  event.preventDefault();
  try {
    await call("POST", "/communities", { id: $("new-id").value.trim(), name: $("new-name").value.trim() });
    localStorage.setItem("roster.community", $("new-id").value.trim());
    await loadCommunities();
  } catch (error) { alert(say("error.generic") + error.message); }
}

async function afterCommunityChange() {
  if (!state.community) return;
  localStorage.setItem("roster.community", state.community);
  state.accepted = {};
  for (const kind of ["volunteers", "shifts", "rules"]) $("result-" + kind).replaceChildren();
  await Promise.all([checkWeek(), loadWeeks()]);
}

// ------------------------------------------------------------------ uploads

const FILE_NAMES = {
  volunteers: { xlsx: "volunteers.xlsx", csv: "volunteers.csv", json: "volunteers.json" },
  shifts: { yaml: "shifts.yaml", yml: "shifts.yaml", json: "shifts.json" },
  rules: { yaml: "rules.yaml", yml: "rules.yaml", json: "rules.json" },
};

async function upload(input) {
  const kind = input.dataset.kind;
  const file = input.files[0];
  if (!file || !state.community) return;
  const box = $("result-" + kind);
  const extension = file.name.split(".").pop().toLowerCase();
  const name = FILE_NAMES[kind][extension] || FILE_NAMES[kind][Object.keys(FILE_NAMES[kind])[0]];
  box.replaceChildren(el("p", {}, say("files.uploading")));
  try {
    const stored = await call("PUT", `${communityPath()}/files/${name}`, await file.arrayBuffer());
    state.accepted[kind] = true;
    box.replaceChildren(el("p", { class: "good" }, stored.warnings.length ? say("files.ok_warnings") : say("files.ok")));
    if (stored.warnings.length) box.append(problemsTable(stored.warnings));
  } catch (error) {
    state.accepted[kind] = false;
    const findings = (error.data && error.data.errors) || [{ message: error.message }];
    box.replaceChildren(el("p", { class: "bad", role: "alert" }, say("files.bad")), problemsTable(findings));
  }
  input.value = "";
  await checkWeek();
}

// ------------------------------------------------------------------ the week: validate and supply

async function checkWeek() {
  state.week = $("week").value.trim().toUpperCase();
  const box = $("supply");
  $("plan").disabled = true;
  if (!state.community || !/^\d{4}-W\d{2}$/.test(state.week)) { box.replaceChildren(); return; }
  const rejected = Object.values(state.accepted).some((ok) => ok === false);
  try {
    const report = await call("POST", `${weekPath()}/validate`);
    if (!report.ok) {
      box.replaceChildren(el("p", { class: "bad" }, say("invalid")), problemsTable(report.errors));
    } else {
      const supply = await call("GET", `${weekPath()}/supply?lang=${LANG}`);
      state.timeLimit = supply.time_limit;
      box.replaceChildren(el("h3", {}, say("supply.title")), el("p", {}, supply.headline),
        el("ul", {}, supply.lines.map((line) => el("li", { class: supply.seats_short ? "short-text" : "" }, line))));
      $("plan").disabled = rejected;
    }
  } catch (error) {
    box.replaceChildren(el("p", { class: "bad" }, say("error.generic") + error.message));
  }
  await loadRoster();
}

// ------------------------------------------------------------------ planning

async function startPlan() {
  const options = { lang: LANG };
  if ($("freeze-on").checked && $("freeze-until").value) options.freeze_until = $("freeze-until").value;
  $("plan").disabled = true;
  $("plan-result").textContent = "";
  try {
    const run = await call("POST", `${weekPath()}/runs`, options);
    follow(run);
  } catch (error) {
    const findings = error.data && error.data.errors;
    $("plan-result").replaceChildren(el("span", { class: "bad" }, say("plan.failed") + error.message));
    if (findings) $("plan-result").append(problemsTable(findings));
    $("plan").disabled = false;
  }
}

function follow(run) {
  state.run = run;
  $("progress-box").hidden = false;
  $("stop").hidden = false;
  showProgress(run);
  const source = new EventSource(`${API}/runs/${run.id}/events`);
  state.source = source;
  source.addEventListener("progress", (event) => showProgress({ ...state.run, status: "running", progress: JSON.parse(event.data) }));
  source.addEventListener("end", (event) => { source.close(); finished(JSON.parse(event.data)); });
  source.onerror = () => { source.close(); poll(run.id); };
}

async function poll(id) {
  const run = await call("GET", `/runs/${id}`);
  if (["queued", "running"].includes(run.status)) { showProgress(run); setTimeout(() => poll(id), 1000); }
  else finished(run);
}

function showProgress(run) {
  const bar = $("progress");
  const limit = (run.options && run.options.time_limit) || state.timeLimit || 30;
  const progress = run.progress || run;
  const elapsed = progress.elapsed || 0;
  const percent = run.status === "queued" ? 0 : Math.min(99, Math.round((100 * elapsed) / limit));
  bar.setAttribute("aria-valuenow", String(percent));
  $("progress-fill").style.width = percent + "%";
  $("progress-text").textContent = run.status === "queued" ? say("plan.queued")
    : say("plan.running", { elapsed: Math.round(elapsed), missing: progress.missing ?? "…" });
}

async function finished(run) {
  state.run = null;
  $("stop").hidden = true;
  $("progress").setAttribute("aria-valuenow", "100");
  $("progress-fill").style.width = "100%";
  $("progress-text").textContent = "";
  const result = run.result;
  let message;
  if (run.status === "failed") message = say("plan.failed") + problemText({ errors: Array.isArray(run.error) ? run.error : null, detail: run.error });
  else if (run.status === "stopped") message = say("plan.stopped");
  else if (result && result.status === "partial") message = say("plan.partial", { n: result.seats_needed - result.seats_filled });
  else message = say("plan.done");
  $("plan-result").replaceChildren(el("span", { class: run.status === "failed" ? "bad" : "good", role: "status" }, message));
  $("plan").disabled = false;
  await Promise.all([loadRoster(), loadWeeks()]);
}

async function stopPlan() {
  if (!state.run) return;
  try { await call("DELETE", `/runs/${state.run.id}`); } catch (error) { /* already finished */ }
}

// ------------------------------------------------------------------ the duty roster grid

async function loadRoster() {
  const grid = $("grid");
  try {
    state.roster = await call("GET", `${weekPath()}/roster.json`);
  } catch (error) {
    state.roster = null;
    grid.replaceChildren(el("p", {}, say("grid.none")));
    $("downloads").hidden = true;
    $("changes").replaceChildren();
    return;
  }
  grid.replaceChildren(rosterTable(state.roster));
  for (const [id, name] of [["dl-xlsx", "roster.xlsx"], ["dl-csv", "assignments.csv"], ["dl-duty", "duty_table.csv"]]) {
    $(id).href = `${API}${weekPath()}/${name}`;
    $(id).setAttribute("download", `${state.community}-${state.week}-${name}`);
  }
  $("downloads").hidden = false;
  await loadChanges();
}

function rosterRows(roster) {
  // One row per post and time, as on the notice board; every shift of the week is in one of them.
  const rows = new Map();
  const add = (shift, name, start, end, date) => {
    const key = `${name}\u0000${start}-${end}`;
    if (!rows.has(key)) rows.set(key, { name, time: `${start}-${end}`, cells: {} });
    const row = rows.get(key);
    row.cells[date] = row.cells[date] || { shift, people: [], missing: 0 };
    return row.cells[date];
  };
  for (const a of roster.assignments) add(a.shift, a.name, a.start, a.end, a.date).people.push(a);
  for (const u of roster.unfilled) add(u.shift, u.name, u.start, u.end, u.date).missing = u.missing;
  return [...rows.values()].sort((a, b) => a.time.localeCompare(b.time) || a.name.localeCompare(b.name));
}

function rosterTable(roster) {
  const days = weekDays(roster.period.start);
  const community = $("community").selectedOptions[0]?.textContent || state.community;
  const caption = el("caption", {}, `${community} ${say("grid.caption")} ${dayLabel(days[0])} — ${dayLabel(days[6])}`);
  const head = el("tr", {}, el("th", { scope: "col" }, say("grid.post")), el("th", { scope: "col" }, say("grid.time")),
    days.map((d) => el("th", { scope: "col", class: "day" }, ...dayLabel(d).split(" ").flatMap((part, i) => i ? [el("br"), part] : [part]))));
  const body = rosterRows(roster).map((row) => el("tr", {},
    el("th", { scope: "row" }, row.name), el("td", { class: "time" }, row.time),
    days.map((day) => dutyCell(row.cells[day]))));
  return el("table", { class: "roster" }, caption, el("thead", {}, head), el("tbody", {}, body));
}

function dutyCell(cell) {
  if (!cell) return el("td", { class: "off" });
  const names = cell.people.map((a) => el("button", {
    type: "button", class: "name", "data-volunteer": a.volunteer,
    onclick: (event) => { event.stopPropagation(); explainVolunteer(a.volunteer); },
  }, a.volunteer_name || a.volunteer));
  const missing = cell.missing ? el("span", { class: "missing" }, say("grid.missing", { n: cell.missing })) : null;
  return el("td", {
    class: cell.missing ? "short" : "", "data-shift": cell.shift, tabindex: "0",
    onclick: () => explainShift(cell.shift, cell.missing > 0),
    onkeydown: (event) => { if (event.key === "Enter") explainShift(cell.shift, cell.missing > 0); },
  }, names, missing);
}

// ------------------------------------------------------------------ why, drop-outs, locks

function showWhy(text, actions = []) {
  $("why").hidden = false;
  $("why-text").textContent = text;
  $("why-actions").replaceChildren(...actions);
  $("why").scrollIntoView({ behavior: "smooth", block: "nearest" });
}

async function explainVolunteer(volunteer) {
  try {
    const found = await call("GET", `${weekPath()}/explain?volunteer=${encodeURIComponent(volunteer)}&lang=${LANG}`);
    const mine = (state.roster ? state.roster.assignments : []).filter((a) => a.volunteer === volunteer);
    const actions = mine.length ? [el("p", {}, say("why.volunteer_shifts")), el("ul", {}, mine.map((a) => el("li", {},
      `${dayLabel(a.date)} ${a.start}-${a.end} ${a.name} `,
      el("button", { type: "button", onclick: () => findCover(a.shift, volunteer, a.volunteer_name) }, say("dropout")))))] : [];
    showWhy(found.text, actions);
  } catch (error) { showWhy(say("error.generic") + error.message); }
}

async function explainShift(shift, empty) {
  try {
    const found = await call("GET", `${weekPath()}/explain?shift=${encodeURIComponent(shift)}&lang=${LANG}`);
    const actions = [];
    if (empty) actions.push(el("button", { type: "button", onclick: () => findCover(shift, null, "") }, say("fill.title")));
    actions.push(el("button", { type: "button", onclick: () => lockPicker(shift, found) }, say("lock")));
    showWhy(found.text, actions);
  } catch (error) { showWhy(say("error.generic") + error.message); }
}

async function findCover(shift, without, withoutName) {
  const body = { shift, lang: LANG };
  if (without) body.without = without;
  try {
    const found = await call("POST", `${weekPath()}/cover`, body);
    const list = found.candidates.length ? el("ol", { class: "candidates" }, found.candidates.map((c) => el("li", {},
      `${c.name} `,
      el("button", { type: "button", onclick: () => applyCover(body, c, withoutName) }, say("cover.apply"))))) :
      el("p", {}, say("cover.none"));
    showWhy(found.text, [el("p", {}, without ? say("cover.title") : say("fill.title")), list]);
  } catch (error) { showWhy(say("error.generic") + error.message); }
}

async function applyCover(body, candidate, withoutName) {
  try {
    await call("POST", `${weekPath()}/cover`, { ...body, apply: candidate.rank });
    showWhy(say("cover.applied", { name: candidate.name, without: withoutName || "—" }));
    await loadRoster();
  } catch (error) { showWhy(say("error.generic") + error.message); }
}

function lockPicker(shift, found) {
  // Who else could take the shift, best first, as the explanation ranked them.
  const select = el("select", { "aria-label": say("lock") },
    (found.candidates || []).map((c) => el("option", { value: c.volunteer }, c.name)));
  const button = el("button", { type: "button", onclick: () => addLock(shift, select.value, select.selectedOptions[0]?.textContent) }, say("lock"));
  showWhy($("why-text").textContent, [select, button]);
}

async function addLock(shift, volunteer, name) {
  if (!volunteer) return;
  let rows = "volunteer,shift\n";
  try {
    const response = await fetch(`${API}${communityPath()}/files/locks.csv`, { credentials: "same-origin" });
    if (response.ok) rows = (await response.text()).replace(/\s*$/, "\n");
  } catch (error) { /* no locks yet */ }
  rows += `${volunteer},${shift}\n`;
  try {
    await call("PUT", `${communityPath()}/files/locks.csv`, new Blob([rows], { type: "text/csv" }));
    showWhy(say("locked", { name: name || volunteer }));
  } catch (error) {
    const findings = (error.data && error.data.errors) || [{ message: error.message }];
    showWhy(say("error.generic"), [problemsTable(findings)]);
  }
}

// ------------------------------------------------------------------ changes, earlier weeks, hours

function parseCsv(text) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { row.push(cell); cell = ""; }
    else if (ch === "\n") { row.push(cell.replace(/\r$/, "")); rows.push(row); row = []; cell = ""; }
    else cell += ch;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows.map((r) => r.map((c) => c.replace(/^\ufeff/, "")));
}

function plainTable(rows) {
  const [head, ...body] = rows;
  return el("table", {}, el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, body.map((r) => el("tr", {}, r.map((c) => el("td", {}, c))))));
}

async function loadChanges() {
  const box = $("changes");
  const response = await fetch(`${API}${weekPath()}/changes.csv`, { credentials: "same-origin" });
  const rows = response.ok ? parseCsv(await response.text()).filter((r) => r.some((c) => c)) : [];
  box.replaceChildren(rows.length > 1 ? plainTable(rows) : el("p", {}, say("changes.none")));
}

async function loadWeeks() {
  const box = $("weeks");
  if (!state.community) return;
  try {
    const weeks = await call("GET", `${communityPath()}/weeks`);
    if (!weeks.length) { box.replaceChildren(el("p", {}, say("weeks.none"))); return; }
    box.replaceChildren(el("ul", {}, weeks.map((w) => el("li", {}, `${w.week} `,
      w.status ? el("span", { class: w.status === "partial" ? "short-text" : "" }, say("status." + w.status)) : "", " ",
      el("button", { type: "button", onclick: () => { $("week").value = w.week; checkWeek(); } }, say("weeks.open"))))));
  } catch (error) { box.replaceChildren(el("p", { class: "bad" }, error.message)); }
}

function monthRange(value) {
  const [year, month] = value.split("-").map(Number);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const pad = (n) => String(n).padStart(2, "0");
  return [`${year}-${pad(month)}-01`, `${year}-${pad(month)}-${pad(last)}`];
}

async function showHours() {
  const value = $("hours-month").value;
  if (!value || !state.community) return;
  const [from, to] = monthRange(value);
  const query = `from=${from}&to=${to}`;
  try {
    const ledger = await call("GET", `${communityPath()}/hours?${query}`);
    const rows = ledger.totals.map((t) => el("tr", {}, el("td", {}, t.name ?? t["姓名"] ?? ""),
      el("td", {}, t.shifts ?? t["班次"] ?? ""), el("td", {}, t.hours ?? t["时长"] ?? "")));
    $("hours").replaceChildren(rows.length ? el("table", {}, el("thead", {}, el("tr", {},
      ["hours.name", "hours.shifts", "hours.hours"].map((k) => el("th", { scope: "col" }, say(k))))), el("tbody", {}, rows))
      : el("p", {}, say("hours.none")));
    $("hours-export").href = `${API}${communityPath()}/hours?${query}&format=csv`;
    $("hours-export").hidden = false;
  } catch (error) { $("hours").replaceChildren(el("p", { class: "bad" }, error.message)); }
}

// ------------------------------------------------------------------ wiring

function start() {
  $("community").addEventListener("change", (event) => { state.community = event.target.value; afterCommunityChange(); });
  $("new-community-form").addEventListener("submit", createCommunity);
  for (const input of document.querySelectorAll('input[type="file"]')) input.addEventListener("change", () => upload(input));
  $("week").addEventListener("change", checkWeek);
  $("check").addEventListener("click", checkWeek);
  $("plan").addEventListener("click", startPlan);
  $("stop").addEventListener("click", stopPlan);
  $("print").addEventListener("click", () => window.print());
  $("why-close").addEventListener("click", () => { $("why").hidden = true; });
  $("hours-show").addEventListener("click", showHours);
  $("logout").addEventListener("click", async () => {
    try { await call("DELETE", "/session"); } finally { window.location.replace("/"); }
  });
  const today = new Date();
  $("hours-month").value = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}`;
  if (document.getElementById("app").dataset.admin === "yes") $("new-community").hidden = false;
  // Shown only once every control is wired: a click before that would do nothing.
  $("logout").hidden = false;
  $("app").hidden = false;
  loadCommunities().catch((error) => alert(error.message));
}

start();
