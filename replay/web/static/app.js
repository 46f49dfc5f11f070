// livetext pages: the match list and a match page (scoreboard, line-ups, stats, events,
// a slider over every minute, live updates over server-sent events).
// Text from the feed only ever reaches the page through textContent: it is never HTML.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await response.json();
    } catch (_) {
      body = null;
    }
    if (!response.ok) {
      throw new Error((body && body.detail) || `${response.status} ${response.statusText}`);
    }
    return body;
  }

  // --- the list page -----------------------------------------------------------------

  async function indexPage() {
    const status = $("list-status");
    const list = $("match-list");
    try {
      const data = await getJSON("/api/matches");
      list.replaceChildren();
      for (const m of data.matches) {
        const item = el("li", "match-item");
        const link = el("a", "match-link", `${m.home || "?"} v ${m.away || "?"}`);
        link.href = `/matches/${encodeURIComponent(m.match_id)}`;
        const clock = m.last_clock ? ` · ${m.last_clock.label}` : "";
        const meta = el("span", "muted", `${m.match_id} · ${m.event_count} events${clock}`);
        item.append(link, meta);
        list.append(item);
      }
      status.textContent = data.matches.length
        ? `${data.matches.length} match${data.matches.length === 1 ? "" : "es"} in the store`
        : "No match in the store yet: livetext ingest SOURCE --store PATH";
    } catch (err) {
      status.textContent = `Cannot list the matches: ${err.message}`;
    }
  }

  // --- the match page ----------------------------------------------------------------

  // The team stats, one row each, from the server's stat table (projections/stat_table.py).
  let STATS = [];

  const TYPE_LABELS = {
    goal: "Goal",
    attempt: "Shot",
    corner: "Corner",
    offside: "Offside",
    foul: "Foul",
    free_kick_won: "Free kick",
    handball: "Handball",
    dangerous_play: "Dangerous play",
    substitution: "Sub",
    var_decision: "VAR",
    penalty_awarded: "Penalty",
    penalty_conceded: "Penalty",
    penalty_missed: "Penalty missed",
    delay: "Delay",
    delay_over: "Resumed",
    lineups_announced: "Line-ups",
    period_start: "Start",
    period_end: "End",
    added_time: "Added time",
    match_end: "Full time",
    retraction: "Retracted",
    unrecognised: "Text",
  };
  const CARD_LABELS = { yellow: "Yellow card", second_yellow: "Second yellow", red: "Red card" };

  const S = {
    id: "",
    minutes: [],
    index: 0,
    following: true,
    pending: false,
    latest: null, // the newest state pushed by the server
    events: [], // every event in seq order, each with a minute key
    lastSeq: 0,
    cache: new Map(), // at -> state
    request: 0,
    eventsChain: Promise.resolve(),
    connected: false,
  };

  function minuteKey(m) {
    return [m.period, m.minute, m.added];
  }

  function compareKeys(a, b) {
    for (let i = 0; i < 3; i += 1) {
      if (a[i] !== b[i]) return a[i] - b[i];
    }
    return 0;
  }

  function periodOf(minute) {
    if (minute <= 45) return 1;
    if (minute <= 90) return 2;
    if (minute <= 105) return 3;
    return 4;
  }

  // The minute a ?at= value names: an exact `at`, a break (ht, ft), else the last
  // minute at or before the clock.
  function indexForAt(at) {
    if (!at || !S.minutes.length) return -1;
    const text = at.trim().replace(/'/g, "").split(/\s+/).join("+").replace(/\+\++/g, "+");
    const exact = S.minutes.findIndex((m) => m.at === text);
    if (exact >= 0) return exact;
    const breaks = { ht: "HT", ft: "FT", aet: "AET", pso: "PSO" };
    const name = breaks[text.toLowerCase()];
    if (name) return S.minutes.findIndex((m) => m.break === name || m.label === name);
    const parsed = /^(\d{1,3})(?:\+(\d{1,2}))?$/.exec(text);
    if (!parsed) return -1;
    const minute = Number(parsed[1]);
    const key = [periodOf(minute), minute, Number(parsed[2] || 0)];
    let found = -1;
    S.minutes.forEach((m, i) => {
      if (compareKeys(minuteKey(m), key) <= 0) found = i;
    });
    return found;
  }

  function currentMinute() {
    return S.minutes[S.index] || null;
  }

  function lastIndex() {
    return Math.max(S.minutes.length - 1, 0);
  }

  function setMinutes(minutes) {
    const at = currentMinute() ? currentMinute().at : null;
    S.minutes = minutes;
    const slider = $("minute-slider");
    slider.max = String(lastIndex());
    slider.disabled = minutes.length === 0;
    $("slider-start").textContent = minutes.length ? minutes[0].label : "";
    $("slider-end").textContent = minutes.length ? minutes[minutes.length - 1].label : "";
    if (S.following) {
      S.index = lastIndex();
    } else if (at !== null) {
      const i = S.minutes.findIndex((m) => m.at === at);
      S.index = i >= 0 ? i : Math.min(S.index, lastIndex());
    }
  }

  function addEvents(events) {
    let key = S.events.length ? S.events[S.events.length - 1].key : [0, 0, 0];
    for (const event of events) {
      // an event without a clock is placed by the event before it
      if (event.clock) key = minuteKey(event.clock);
      event.key = key;
      S.events.push(event);
    }
    S.events.sort((a, b) => a.seq - b.seq);
  }

  function fetchNewEvents() {
    S.eventsChain = S.eventsChain.then(async () => {
      const url = `/api/matches/${encodeURIComponent(S.id)}/events?from_seq=${S.lastSeq + 1}`;
      const data = await getJSON(url);
      addEvents(data.events);
      S.lastSeq = Math.max(S.lastSeq, data.last_seq);
    });
    return S.eventsChain;
  }

  // --- rendering -----------------------------------------------------------------------

  function teamName(state, side) {
    return (state.teams && state.teams[side]) || (side === "home" ? "Home" : "Away");
  }

  function renderScoreboard(state) {
    const home = teamName(state, "home");
    const away = teamName(state, "away");
    $("home-name").textContent = home;
    $("away-name").textContent = away;
    $("stats-home").textContent = home;
    $("stats-away").textContent = away;
    $("home-score").textContent = String(state.score.home);
    $("away-score").textContent = String(state.score.away);
    const shootout = $("shootout");
    if (state.shootout) {
      shootout.hidden = false;
      shootout.textContent = `pens ${state.shootout.home}-${state.shootout.away}`;
    } else {
      shootout.hidden = true;
    }
    const m = currentMinute();
    const label = m ? m.label : "";
    document.title = `${home} ${state.score.home}-${state.score.away} ${away} · ${label} — livetext`;
  }

  function renderClock(m) {
    $("clock-label").textContent = m ? m.label : "–";
    const brk = $("break-label");
    brk.hidden = !(m && m.break);
    brk.textContent = m && m.break ? m.break : "";
  }

  function cardsBySide(state, side) {
    const cards = new Map();
    for (const c of state.cards || []) {
      if (c.team !== side || !c.player) continue;
      const list = cards.get(c.player.name) || [];
      list.push(c);
      cards.set(c.player.name, list);
    }
    return cards;
  }

  // The starting XI slot by slot, each slot followed through its substitutions.
  function placeSlots(lineup) {
    const slots = lineup.starting.map((p) => ({ player: p, on: null, replaced: null, sentOff: null }));
    for (const sub of lineup.substitutions || []) {
      if (!sub.off || !sub.on) continue;
      const slot = slots.find((s) => s.player.name === sub.off.name && !s.sentOff);
      if (slot) {
        slot.replaced = slot.player;
        slot.player = sub.on;
        slot.on = sub.clock;
      }
    }
    for (const off of lineup.sent_off || []) {
      const slot = slots.find((s) => s.player.name === off.name);
      if (slot) slot.sentOff = off;
    }
    const placed = new Set(slots.map((s) => s.player.name));
    for (const p of lineup.on_pitch || []) {
      if (!placed.has(p.name)) slots.push({ player: p, on: null, replaced: null, sentOff: null });
    }
    return slots;
  }

  function formationRows(formation, slots) {
    const lines = String(formation || "")
      .split(/[^0-9]+/)
      .filter(Boolean)
      .map(Number);
    const rows = [];
    if (lines.length && lines.reduce((a, b) => a + b, 0) + 1 === slots.length) {
      rows.push(slots.slice(0, 1));
      let at = 1;
      for (const n of lines) {
        rows.push(slots.slice(at, at + n));
        at += n;
      }
      return rows;
    }
    rows.push(slots.slice(0, 1));
    for (let at = 1; at < slots.length; at += 4) rows.push(slots.slice(at, at + 4));
    return rows;
  }

  function playerChip(slot, cards) {
    const p = slot.player;
    const chip = el("div", "player");
    chip.dataset.player = p.name;
    const shirt = el("span", "shirt", p.number === null || p.number === undefined ? "" : p.number);
    const name = el("span", "pname", p.name);
    const marks = el("span", "marks");
    const notes = [p.number !== null && p.number !== undefined ? `${p.number} ${p.name}` : p.name];
    for (const c of cards.get(p.name) || []) {
      const card = el("i", `card ${c.card}`);
      const when = c.clock ? ` ${c.clock.label}` : "";
      card.title = `${CARD_LABELS[c.card] || c.card}${when}`;
      card.setAttribute("aria-label", card.title);
      marks.append(card);
      notes.push(card.title);
    }
    if (slot.on) {
      chip.classList.add("subbed-on");
      const mark = el("span", "sub-on", `↑${slot.on.label}`);
      marks.append(mark);
      notes.push(`on ${slot.on.label} for ${slot.replaced ? slot.replaced.name : "?"}`);
    }
    if (slot.sentOff) {
      chip.classList.add("sent-off");
      const when = slot.sentOff.clock ? ` ${slot.sentOff.clock.label}` : "";
      notes.push(`sent off${when}`);
    }
    chip.title = notes.join(" · ");
    chip.append(shirt, name, marks);
    return chip;
  }

  function renderPitch(state) {
    const pitch = $("pitch");
    const benches = $("benches");
    pitch.replaceChildren();
    benches.replaceChildren();
    for (const side of ["away", "home"]) {
      const half = el("div", `half ${side}`);
      const lineup = state.lineups && state.lineups[side];
      const team = teamName(state, side);
      const label = el("span", "half-label", `${team}${lineup && lineup.formation ? ` · ${lineup.formation}` : ""}`);
      half.append(label);
      const cards = cardsBySide(state, side);
      if (lineup && lineup.starting && lineup.starting.length) {
        for (const row of formationRows(lineup.formation, placeSlots(lineup))) {
          const rowEl = el("div", "row");
          for (const slot of row) rowEl.append(playerChip(slot, cards));
          half.append(rowEl);
        }
      } else if (lineup && lineup.on_pitch && lineup.on_pitch.length) {
        const rowEl = el("div", "row wrap");
        for (const p of lineup.on_pitch) rowEl.append(playerChip({ player: p }, cards));
        half.append(rowEl);
      } else {
        half.append(el("p", "unknown", "Line-up not known"));
      }
      pitch.append(half);
      benches.append(renderBench(side, team, lineup));
    }
  }

  function renderBench(side, team, lineup) {
    const box = el("div", `bench ${side}`);
    box.append(el("h3", null, team));
    if (!lineup) return box;
    const subs = el("ul", "subs");
    for (const sub of lineup.substitutions || []) {
      const item = el("li");
      item.append(
        el("span", "when", sub.clock ? sub.clock.label : ""),
        el("span", "on", `↑ ${sub.on ? sub.on.name : "?"}`),
        el("span", "off", `↓ ${sub.off ? sub.off.name : "?"}`),
      );
      if (sub.injury) item.append(el("span", "muted", "(injury)"));
      subs.append(item);
    }
    for (const off of lineup.sent_off || []) {
      const item = el("li", "red");
      item.append(
        el("span", "when", off.clock ? off.clock.label : ""),
        el("span", null, `${off.name} sent off`),
      );
      subs.append(item);
    }
    if (subs.children.length) box.append(subs);
    const used = new Set((lineup.substitutions || []).filter((s) => s.on).map((s) => s.on.name));
    const unused = (lineup.bench || []).filter((p) => !used.has(p.name)).map((p) => p.name);
    if (unused.length) box.append(el("p", "muted unused", `Bench: ${unused.join(", ")}`));
    return box;
  }

  function renderStats(state) {
    const box = $("stats");
    box.replaceChildren();
    const home = (state.stats && state.stats.home) || {};
    const away = (state.stats && state.stats.away) || {};
    for (const { name: key, label } of STATS) {
      const h = Number(home[key] || 0);
      const a = Number(away[key] || 0);
      const row = el("div", "stat");
      row.dataset.stat = key;
      const bar = el("div", "bar");
      const hb = el("i", "h");
      const ab = el("i", "a");
      const total = h + a;
      hb.style.width = total ? `${(100 * h) / total}%` : "0%";
      ab.style.width = total ? `${(100 * a) / total}%` : "0%";
      bar.append(hb, ab);
      row.append(el("span", "v home", h), el("span", "label", label), el("span", "v away", a), bar);
      box.append(row);
    }
  }

  function typeLabel(event) {
    if (event.type === "booking") return CARD_LABELS[event.card] || "Card";
    return TYPE_LABELS[event.type] || event.type.replace(/_/g, " ");
  }

  function renderEvents() {
    const m = currentMinute();
    const list = $("events");
    list.replaceChildren();
    if (!m) return;
    const key = minuteKey(m);
    const shown = S.events
      .filter((e) => compareKeys(e.key, key) <= 0)
      .sort((a, b) => compareKeys(a.key, b.key) || a.seq - b.seq)
      .reverse();
    for (const event of shown) {
      const item = el("li", `event t-${event.type}`);
      if (compareKeys(event.key, key) === 0) item.classList.add("now");
      if (event.type === "booking" && event.card) item.classList.add(`card-${event.card}`);
      item.dataset.seq = String(event.seq);
      const clock = event.clock ? `${event.clock_inferred ? "~" : ""}${event.clock.label}` : "";
      item.append(el("span", "ev-clock", clock), el("span", "ev-type", typeLabel(event)));
      const text = el("span", "ev-text", event.text);
      if (event.source && event.source !== "live_text") {
        text.append(el("span", "ev-source", ` (${event.source.replace(/_/g, " ")})`));
      }
      item.append(text);
      list.append(item);
    }
    $("events-count").textContent = `${shown.length}/${S.events.length}`;
  }

  function renderState(state, at) {
    renderScoreboard(state);
    renderPitch(state);
    renderStats(state);
    const board = $("scoreboard");
    board.dataset.at = at;
    board.dataset.lastSeq = String(state.last_seq);
  }

  function renderControls() {
    const slider = $("minute-slider");
    slider.value = String(S.index);
    const m = currentMinute();
    slider.setAttribute("aria-valuetext", m ? m.label : "");
    $("go-live").hidden = S.following;
    $("go-live").textContent = S.pending ? "Back to live • new" : "Back to live";
    $("go-live").classList.toggle("pending", S.pending);
    $("live-badge").hidden = !(S.following && S.connected);
    document.body.classList.toggle("following", S.following);
  }

  function updateUrl() {
    const m = currentMinute();
    if (!m) return;
    const url = `${location.pathname}?at=${m.at}`;
    if (`${location.pathname}${location.search}` !== url) history.replaceState(null, "", url);
  }

  function showError(err) {
    const box = $("error");
    box.hidden = false;
    box.textContent = String(err && err.message ? err.message : err);
  }

  function show() {
    const m = currentMinute();
    renderControls();
    renderClock(m);
    renderEvents();
    if (!m) return;
    updateUrl();
    if (S.following && S.latest) {
      renderState(S.latest, m.at);
      return;
    }
    const cached = S.cache.get(m.at);
    if (cached) {
      renderState(cached, m.at);
      return;
    }
    const token = ++S.request;
    const url = `/api/matches/${encodeURIComponent(S.id)}/state?at=${encodeURIComponent(m.at)}`;
    getJSON(url)
      .then((state) => {
        S.cache.set(m.at, state);
        if (token === S.request) renderState(state, m.at);
      })
      .catch(showError);
  }

  function goTo(index) {
    S.index = Math.max(0, Math.min(index, lastIndex()));
    S.following = S.index === lastIndex();
    if (S.following) S.pending = false;
    show();
  }

  function goLive() {
    S.following = true;
    S.pending = false;
    S.index = lastIndex();
    show();
  }

  async function onLive(payload) {
    if (payload.last_seq !== null && payload.last_seq !== undefined && payload.last_seq !== S.lastSeq) {
      S.cache.clear();
      if (payload.last_seq > S.lastSeq && S.lastSeq > 0 && !S.following) S.pending = true;
      await fetchNewEvents();
    }
    if (payload.minutes) setMinutes(payload.minutes);
    S.latest = payload.state;
    show();
  }

  function connect() {
    const source = new EventSource(`/api/matches/${encodeURIComponent(S.id)}/live`);
    source.addEventListener("state", (message) => {
      let payload;
      try {
        payload = JSON.parse(message.data);
      } catch (err) {
        showError(err);
        return;
      }
      onLive(payload).catch(showError);
    });
    source.onopen = () => {
      S.connected = true;
      $("connection").textContent = "connected";
      $("connection").className = "connection on";
      renderControls();
    };
    source.onerror = () => {
      S.connected = false;
      $("connection").textContent = "reconnecting…";
      $("connection").className = "connection off";
      renderControls();
    };
  }

  function bindControls() {
    const slider = $("minute-slider");
    slider.addEventListener("input", () => goTo(Number(slider.value)));
    $("prev").addEventListener("click", () => goTo(S.index - 1));
    $("next").addEventListener("click", () => goTo(S.index + 1));
    $("go-live").addEventListener("click", goLive);
    document.addEventListener("keydown", (event) => {
      const target = event.target;
      if (target === slider || event.altKey || event.ctrlKey || event.metaKey) return;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      if (event.key === "ArrowLeft") {
        event.preventDefault();
        goTo(S.index - 1);
      } else if (event.key === "ArrowRight") {
        event.preventDefault();
        goTo(S.index + 1);
      }
    });
  }

  async function matchPage() {
    S.id = decodeURIComponent(location.pathname.split("/")[2] || "");
    bindControls();
    try {
      const base = `/api/matches/${encodeURIComponent(S.id)}`;
      const [minutes, table] = await Promise.all([
        getJSON(`${base}/minutes`),
        getJSON("/api/stats"),
        fetchNewEvents(),
      ]);
      STATS = table.stats;
      const at = new URLSearchParams(location.search).get("at");
      S.following = true;
      setMinutes(minutes.minutes);
      const i = indexForAt(at);
      if (i >= 0 && i < lastIndex()) {
        S.following = false;
        S.index = i;
      }
      show();
    } catch (err) {
      showError(err);
    }
    connect();
  }

  if (document.body.dataset.page === "match") {
    matchPage();
  } else {
    indexPage();
  }
})();
