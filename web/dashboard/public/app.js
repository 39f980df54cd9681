// The officials' dashboard (Telegram Mini App). Plain JS, no build step, nothing from a CDN.
// Init data comes from Telegram (the #tgWebAppData fragment, or Telegram.WebApp when present) and is
// sent with every API call; the server validates it each time.
"use strict";

const state = { initData: "", me: null, period: "", view: null, route: "overview", params: new URLSearchParams() };

function readInitData() {
  const tg = window.Telegram && window.Telegram.WebApp;
  if (tg && tg.initData) return tg.initData;
  const hash = location.hash.replace(/^#/, "");
  const p = new URLSearchParams(hash);
  const fromHash = p.get("tgWebAppData");
  if (fromHash) {
    sessionStorage.setItem("initData", fromHash);
    history.replaceState(null, "", location.pathname + "#overview");
    return fromHash;
  }
  return sessionStorage.getItem("initData") || "";
}

const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const pct = (v) => (v == null ? "—" : `${String(Math.round(v * 10) / 10).replace(".", ",")}%`);
const main = () => document.getElementById("main");

async function api(path, opts = {}) {
  const res = await fetch(`/api/dashboard/${path}`, {
    method: opts.method || "GET",
    headers: { authorization: `tma ${state.initData}`, ...(opts.body ? { "content-type": "application/json" } : {}) },
    body: opts.body ? JSON.stringify(opts.body) : undefined,
  });
  if (opts.raw && res.ok) return res;
  const body = await res.json().catch(() => ({ error: "Có lỗi khi tải dữ liệu. Hãy thử lại." }));
  if (!res.ok) throw Object.assign(new Error(body.error || "Có lỗi khi tải dữ liệu."), { status: res.status });
  return body;
}

function showError(e) {
  main().innerHTML = `<div class="error" data-testid="error">${esc(e.message)}</div>`;
}

function go(route, params) {
  const p = new URLSearchParams(params || {});
  location.hash = `${route}${[...p].length ? "?" + p : ""}`;
}

function parseHash() {
  const h = location.hash.replace(/^#/, "");
  const [route, query] = h.split("?");
  state.route = route || "overview";
  state.params = new URLSearchParams(query || "");
}

function crumbs(list) {
  document.getElementById("crumbs").innerHTML = (list || [])
    .map((c) => `<li><a href="#overview?under=${encodeURIComponent(c.ref)}">${esc(c.label)}</a></li>`)
    .join("");
}

function bar(v) {
  return `<div class="bar"><i style="width:${Math.max(0, Math.min(100, v || 0))}%"></i></div>`;
}

function qs(extra) {
  const p = new URLSearchParams({ period: state.period });
  const under = state.params.get("under");
  if (under) p.set("under", under);
  for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
  return p.toString();
}

async function renderOverview() {
  const v = await api(`overview?${qs()}`);
  state.view = "overview";
  crumbs(v.crumbs);
  const t = v.totals;
  const areas = v.rows.filter((r) => r.kind === "area");
  const schools = v.rows.filter((r) => r.kind === "school");
  main().innerHTML = `
    <h1 data-testid="title">Tình hình báo cáo ${esc(v.periodLabel)} — ${esc(v.under.label)}</h1>
    <div class="muted">${esc(v.deadlineLabel)}</div>
    <div class="cards">
      <div class="card">Đã nộp<b data-testid="submitted">${t.submitted}/${t.expected}</b>đơn vị</div>
      <div class="card">Tỷ lệ báo cáo<b data-testid="reporting-rate">${pct(t.reportingRate)}</b></div>
      <div class="card">Đúng hạn<b data-testid="on-time-rate">${pct(t.onTimeRate)}</b>${t.onTime} đơn vị</div>
      <div class="card">Chưa nộp<b>${t.missing}</b>trễ hạn ${t.late}</div>
    </div>
    ${areas.length ? `<h2>Theo đơn vị quản lý</h2>
    <table data-testid="areas"><thead><tr><th>Đơn vị</th><th class="num">Đã nộp</th><th class="num">Tỷ lệ báo cáo</th><th class="num">Đúng hạn</th></tr></thead><tbody>
    ${areas.map((r) => `<tr class="link" data-under="${esc(r.ref)}"><td><a class="unit" href="#overview?under=${encodeURIComponent(r.ref)}">${esc(r.label)}</a>${bar(r.reportingRate)}</td>
      <td class="num">${r.submitted}/${r.expected}</td><td class="num">${pct(r.reportingRate)}</td><td class="num">${pct(r.onTimeRate)}</td></tr>`).join("")}
    </tbody></table>` : ""}
    ${schools.length ? `<h2>Trường</h2>
    <table data-testid="schools"><thead><tr><th>Trường</th><th>Tình trạng</th><th class="hide-sm">Nộp lúc</th></tr></thead><tbody>
    ${schools.map((r) => `<tr class="link" data-school="${esc(r.ref)}"><td><a class="unit" href="#school?under=${encodeURIComponent(r.ref)}">${esc(r.label)}</a></td>
      <td class="${r.statusLabel === "Đúng hạn" ? "ok" : r.statusLabel === "Trễ hạn" ? "warn" : "bad"}">${esc(r.statusLabel)}</td><td class="hide-sm">${esc(r.submittedLabel)}</td></tr>`).join("")}
    </tbody></table>` : ""}
    ${!areas.length && !schools.length ? `<p>Không có đơn vị nào phải báo cáo kỳ này.</p>` : ""}
    ${v.withoutPlan.length ? `<p class="warn">Chưa có kế hoạch áp dụng cho: ${esc(v.withoutPlan.join(", "))}. Quản trị viên cần gắn kế hoạch cho các đơn vị này.</p>` : ""}`;
}

async function renderSchool() {
  const v = await api(`school?${qs()}`);
  state.view = "school";
  crumbs(v.crumbs);
  main().innerHTML = `
    <h1 data-testid="title">Báo cáo của ${esc(v.unit.label)}</h1>
    <div class="muted">Cấp học: ${esc(v.unit.levels)}</div>
    ${v.periods.length ? "" : "<p>Trường chưa có báo cáo nào.</p>"}
    ${v.periods.map((p, i) => `<section class="target" data-testid="period">
      <div class="head"><b>${esc(p.label)}</b><span>${esc(p.statusLabel)}${p.submittedLabel ? ` — ${esc(p.submittedLabel)}` : ""}${p.revisions ? `, sửa ${p.revisions} lần` : ""}</span></div>
      ${i > 0 ? `<details><summary>Xem chi tiết</summary>` : ""}
      ${p.groups.map((g) => `<h2>${esc(g.plan)}</h2><table><thead><tr><th>Chỉ tiêu</th><th>Trả lời</th><th class="hide-sm">Mức chỉ tiêu</th></tr></thead><tbody>
        ${g.answers.map((a) => `<tr><td>${esc(a.target)}${a.reason ? `<div class="reason">Lý do: ${esc(a.reason)}</div>` : ""}</td>
          <td class="${a.meets === false ? "bad" : a.meets ? "ok" : ""}" data-testid="answer">${esc(a.value.text)}${a.meets === false ? " ⚠️" : ""}</td><td class="hide-sm">${esc(a.threshold)}</td></tr>`).join("")}
      </tbody></table>`).join("")}
      ${i > 0 ? `</details>` : ""}
    </section>`).join("")}`;
}

async function renderProgress() {
  const v = await api(`progress?${qs()}`);
  state.view = "progress";
  crumbs(v.crumbs);
  main().innerHTML = `
    <h1 data-testid="title">Tiến độ chỉ tiêu ${esc(v.periodLabel)} — ${esc(v.under.label)}</h1>
    ${v.plans.length ? "" : "<p>Chưa có chỉ tiêu nào cho kỳ này.</p>"}
    ${v.plans.map((p) => `<h2 data-testid="plan">${esc(p.plan)}</h2>
      ${p.targets.map((t) => `<div class="target" data-testid="target" data-ref="${esc(t.ref)}">
        <div class="head"><b><span class="${t.meets === null ? "muted" : t.meets ? "ok" : "bad"}" title="${t.meets === null ? "Chưa có số liệu" : t.meets ? "Đạt" : "Chưa đạt"}">●</span> ${esc(t.label)}</b>
          <span data-testid="target-value">${esc(t.value.text)}</span></div>
        <div class="muted">${t.meets === null ? "Chưa có số liệu" : t.meets ? "Đạt" : "Chưa đạt"} · chỉ tiêu ${esc(t.threshold)} · ${t.answered}/${t.expectedUnits} đơn vị đã báo cáo, ${t.meetingUnits} đạt${t.changeLabel ? ` · ${esc(t.changeLabel)}` : ""}${t.meets === false && t.missingLabel ? ` · ${esc(t.missingLabel)}` : ""}</div>
        ${t.value.unit === "%" && t.value.value != null ? bar(t.value.value) : ""}
        <button type="button" data-trend="${esc(t.ref)}">Xu hướng</button>
        <div class="trend"></div>
        ${t.belowCount > 0 && !t.below.length ? `<button type="button" data-below="${esc(t.ref)}">Xem ${t.belowCount} đơn vị chưa đạt</button>` : ""}
        ${t.below.length ? belowList(t) : ""}
      </div>`).join("")}`).join("")}`;
  main().querySelectorAll("button[data-below]").forEach((b) =>
    b.addEventListener("click", async () => {
      b.disabled = true;
      try {
        const one = await api(`progress?${qs({ target: b.dataset.below })}`);
        const t = one.plans.flatMap((p) => p.targets).find((x) => x.ref === b.dataset.below);
        b.outerHTML = t ? belowList(t) : "";
      } catch (e) {
        b.outerHTML = `<div class="error">${esc(e.message)}</div>`;
      }
    }),
  );
  main().querySelectorAll("button[data-trend]").forEach((b) =>
    b.addEventListener("click", async () => {
      const box = b.nextElementSibling;
      box.innerHTML = "Đang tải…";
      try {
        box.innerHTML = trendSvg(await api(`trend?${qs({ target: b.dataset.trend })}`));
      } catch (e) {
        box.innerHTML = `<div class="error">${esc(e.message)}</div>`;
      }
    }),
  );
}

function belowList(t) {
  return `<div class="muted">Chưa đạt (${t.belowCount}):</div><ul class="below" data-testid="below">
    ${t.below.map((b) => `<li><a class="unit" href="#school?under=${encodeURIComponent(b.ref)}">${esc(b.label)}</a>${b.parent ? ` — ${esc(b.parent)}` : ""}: ${esc(b.value)}${b.gapLabel ? `, ${esc(b.gapLabel)}` : ""}
      ${b.reason ? `<div class="reason">Lý do: ${esc(b.reason)}</div>` : ""}${b.outlier ? `<div class="flag">⚠️ ${esc(b.outlier)}</div>` : ""}</li>`).join("")}
    ${t.belowCount > t.below.length ? `<li class="muted">… và ${t.belowCount - t.below.length} đơn vị khác</li>` : ""}</ul>`;
}

function trendSvg(t) {
  const pts = t.points;
  const max = Math.max(1, ...pts.map((p) => p.value || 0));
  const isPct = pts.some((p) => /%$/.test(p.text));
  const top = isPct ? 100 : max;
  const w = 320, h = 130, bw = w / pts.length;
  const bars = pts
    .map((p, i) => {
      const bh = p.value == null ? 0 : (p.value / top) * (h - 40);
      const x = i * bw + 6, y = h - 22 - bh;
      return `<rect x="${x}" y="${y}" width="${bw - 12}" height="${bh}" fill="var(--accent)" rx="3"></rect>
        <text x="${x + (bw - 12) / 2}" y="${y - 3}" text-anchor="middle">${esc(p.text)}</text>
        <text x="${x + (bw - 12) / 2}" y="${h - 6}" text-anchor="middle">${esc(p.label.replace(/^tháng /, "T").replace(/^quý /, "Q"))}</text>`;
    })
    .join("");
  return `<div data-testid="trend"><div class="muted">${esc(t.target)} — ${esc(t.under)} (chỉ tiêu ${esc(t.threshold)})</div>
    <svg viewBox="0 0 ${w} ${h}" width="100%" style="max-width:480px" role="img" aria-label="Xu hướng">${bars}</svg>
    <table>${pts.map((p) => `<tr><td>${esc(p.label)}</td><td class="num">${esc(p.text)}</td><td class="num muted">${p.answered} đơn vị</td></tr>`).join("")}</table></div>`;
}

async function renderLate() {
  const v = await api(`late?${qs()}`);
  state.view = "late";
  crumbs([]);
  main().innerHTML = `
    <h1 data-testid="title">Đơn vị chưa nộp báo cáo ${esc(v.periodLabel)} — ${esc(v.under.label)}</h1>
    <div class="muted">${esc(v.deadlineLabel)} · Đã nộp ${v.totals.submitted}/${v.totals.expected} (${pct(v.totals.reportingRate)})</div>
    ${state.me.canNudge && v.missing.length ? `<p><button class="primary" id="nudge" type="button">📨 Nhắc các đơn vị chưa nộp</button></p>` : ""}
    <h2>Chưa nộp (${v.missing.length})</h2>
    ${v.missing.length ? `<table data-testid="missing"><thead><tr><th>Đơn vị</th><th class="hide-sm">Trực thuộc</th><th>Đầu mối</th></tr></thead><tbody>
      ${v.missing.map((m) => `<tr><td><a class="unit" href="#school?under=${encodeURIComponent(m.ref)}">${esc(m.label)}</a><div class="muted">${esc(m.state)}</div></td><td class="hide-sm">${esc(m.parent)}</td>
        <td>${esc(m.focal)}${m.phone ? `<div><a href="tel:${esc(m.phone)}">${esc(m.phone)}</a></div>` : ""}</td></tr>`).join("")}
    </tbody></table>` : `<p class="ok">Tất cả đơn vị đã nộp.</p>`}
    <h2>Nộp trễ hạn (${v.late.length})</h2>
    ${v.late.length ? `<table data-testid="late"><tbody>${v.late.map((m) => `<tr><td>${esc(m.label)}</td><td class="hide-sm">${esc(m.parent)}</td><td>${esc(m.submittedLabel)}</td></tr>`).join("")}</tbody></table>` : "<p>Không có.</p>"}`;
  const btn = document.getElementById("nudge");
  if (btn) btn.addEventListener("click", () => nudge(v));
}

async function nudge(v) {
  const dlg = document.getElementById("dialog");
  const body = document.getElementById("dialog-body");
  const req = { period: state.period, under: state.params.get("under") || state.me.root.ref };
  body.innerHTML = "Đang chuẩn bị…";
  dlg.showModal();
  try {
    const p = await api("nudge/preview", { method: "POST", body: req });
    body.innerHTML = `<h2>Nhắc báo cáo ${esc(p.periodLabel)}</h2>
      <p data-testid="nudge-preview">Sẽ gửi ${p.messages} tin nhắn tới đầu mối của ${p.reach.length} đơn vị:</p>
      <ul>${p.reach.map((r) => `<li>${esc(r.unit)} — ${esc(r.people.join(", "))}</li>`).join("")}</ul>
      ${p.unreachable.length ? `<p>Không nhắn được (chưa đăng ký với bot) — vui lòng gọi trực tiếp:</p><ul data-testid="unreachable">${p.unreachable
        .map((u) => `<li>${esc(u.unit)}${u.focal ? ` — ${esc(u.focal)}` : ""}${u.phone ? `, <a href="tel:${esc(u.phone)}">${esc(u.phone)}</a>` : ", chưa có số điện thoại"}</li>`)
        .join("")}</ul>` : ""}
      <div class="row"><button type="button" id="nudge-cancel">Hủy</button>${p.messages ? `<button type="button" class="primary" id="nudge-confirm">Xác nhận gửi</button>` : ""}</div>`;
    document.getElementById("nudge-cancel").onclick = () => dlg.close();
    const ok = document.getElementById("nudge-confirm");
    if (ok)
      ok.onclick = async () => {
        ok.disabled = true;
        const r = await api("nudge/confirm", { method: "POST", body: req });
        body.innerHTML = `<p data-testid="nudge-result">Đã gửi ${r.sent} tin nhắn.${r.skipped ? ` ${r.skipped} đầu mối đã được nhắc hôm nay, không gửi lại.` : ""}${r.failed ? ` ${r.failed} tin chưa gửi được.` : ""}</p>
          <div class="row"><button type="button" id="nudge-close">Đóng</button></div>`;
        document.getElementById("nudge-close").onclick = () => dlg.close();
      };
  } catch (e) {
    body.innerHTML = `<div class="error">${esc(e.message)}</div><div class="row"><button type="button" onclick="this.closest('dialog').close()">Đóng</button></div>`;
  }
}

async function renderQueue() {
  const status = state.params.get("status") || "pending";
  const v = await api(`queue?${qs({ status })}`);
  state.view = "queue";
  crumbs([]);
  const tabs = [["pending", "Chờ duyệt"], ["returned", "Đã trả lại"], ["approved", "Đã duyệt"]]
    .map(([k, l]) => `<a href="#queue?status=${k}" class="${k === status ? "on" : ""}">${l}</a>`)
    .join("");
  main().innerHTML = `
    <h1 data-testid="title">Duyệt báo cáo ${esc(v.periodLabel)}</h1>
    <nav>${tabs}</nav>
    <div class="muted">${v.total} báo cáo</div>
    ${v.items.length ? "" : "<p>Không có báo cáo nào.</p>"}
    ${v.items.map((i) => `<div class="target" data-testid="queue-item" data-report="${i.ref}">
      <div class="head"><b><a class="unit" href="#school?under=${encodeURIComponent(i.unitRef)}">${esc(i.unit)}</a></b><span data-testid="queue-status">${esc(i.statusLabel)}</span></div>
      <div class="muted">${esc(i.parent)}${i.parent ? " · " : ""}${esc(i.periodLabel)} · nộp ${esc(i.submittedLabel)} · ${i.answered} câu trả lời</div>
      ${i.flags.length ? `<ul class="below">${i.flags.map((f) => `<li class="bad">${esc(f.target)}: ${esc(f.answer)} — chưa đạt${f.reason ? `<div class="reason">Lý do: ${esc(f.reason)}</div>` : ""}</li>`).join("")}</ul>` : `<div class="ok">Không có chỉ tiêu nào chưa đạt.</div>`}
      <div class="row">
        ${status === "pending" ? `<button type="button" data-act="return">↩️ Trả lại</button><button type="button" class="primary" data-act="approve">✅ Duyệt</button>` : ""}
        ${status === "approved" ? `<button type="button" data-act="unapprove">🔓 Bỏ duyệt</button>` : ""}
      </div>
    </div>`).join("")}`;
  main().querySelectorAll("[data-act]").forEach((b) =>
    b.addEventListener("click", () => approvalStep(b.dataset.act, Number(b.closest("[data-report]").dataset.report))),
  );
}

async function approvalStep(act, report) {
  const dlg = document.getElementById("dialog");
  const body = document.getElementById("dialog-body");
  const send = async (reason) => {
    try {
      const r = await api(act, { method: "POST", body: { report, reason } });
      body.innerHTML = `<p data-testid="approval-result">${esc(r.unit)} — ${esc(r.periodLabel)}: ${esc(r.statusLabel)}.${act === "approve" ? "" : " Đơn vị đã được báo kèm lý do."}</p><div class="row"><button type="button" id="approval-close">Đóng</button></div>`;
      if (!dlg.open) dlg.showModal();
      document.getElementById("approval-close").onclick = () => {
        dlg.close();
        render();
      };
    } catch (e) {
      body.innerHTML = `<div class="error">${esc(e.message)}</div><div class="row"><button type="button" id="approval-close">Đóng</button></div>`;
      if (!dlg.open) dlg.showModal();
      document.getElementById("approval-close").onclick = () => dlg.close();
    }
  };
  if (act === "approve") return send("");
  body.innerHTML = `<h2>${act === "return" ? "Trả lại báo cáo để sửa" : "Bỏ duyệt báo cáo"}</h2>
    <label>Lý do (đơn vị sẽ nhận được):<br><textarea id="approval-reason" rows="3" style="width:100%"></textarea></label>
    <div class="row"><button type="button" id="approval-cancel">Hủy</button><button type="button" class="primary" id="approval-send">${act === "return" ? "Trả lại" : "Bỏ duyệt"}</button></div>`;
  dlg.showModal();
  document.getElementById("approval-cancel").onclick = () => dlg.close();
  document.getElementById("approval-send").onclick = () => send(document.getElementById("approval-reason").value);
}

const VIEWS = { overview: renderOverview, school: renderSchool, progress: renderProgress, late: renderLate, queue: renderQueue };

async function render() {
  parseHash();
  const under = state.params.get("under");
  document.querySelectorAll("#tabs a").forEach((a) => {
    a.classList.toggle("on", a.dataset.tab === state.route || (state.route === "school" && a.dataset.tab === "overview"));
    a.setAttribute("href", `#${a.dataset.tab}${under ? `?under=${encodeURIComponent(under)}` : ""}`);
  });
  main().innerHTML = `<p class="muted">Đang tải…</p>`;
  try {
    await (VIEWS[state.route] || renderOverview)();
  } catch (e) {
    showError(e);
  }
}

async function exportXlsx() {
  const kind = state.view || "overview";
  const btn = document.getElementById("export");
  btn.disabled = true;
  try {
    const res = await api(`export?${qs({ view: kind })}`, { raw: true });
    const name = (res.headers.get("content-disposition") || "").match(/filename="([^"]+)"/);
    const url = URL.createObjectURL(await res.blob());
    const a = Object.assign(document.createElement("a"), { href: url, download: name ? name[1] : "bang-dieu-khien.xlsx" });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) {
    alert(e.message);
  } finally {
    btn.disabled = false;
  }
}

async function start() {
  state.initData = readInitData();
  const tg = window.Telegram && window.Telegram.WebApp;
  if (tg) tg.ready();
  if (!state.initData) {
    document.getElementById("who").textContent = "";
    return showError(new Error("Hãy mở bảng điều khiển từ nút trong Telegram (menu của bot, hoặc nút dưới /tiendo, /trehan)."));
  }
  try {
    state.me = await api("me");
  } catch (e) {
    document.getElementById("who").textContent = "";
    return showError(e);
  }
  document.getElementById("who").textContent = `${state.me.name || ""} · ${state.me.role} · ${state.me.root.label}`;
  const sel = document.getElementById("period");
  sel.innerHTML = state.me.periods.map((p) => `<option value="${esc(p.ref)}">${esc(p.label)}</option>`).join("");
  state.period = sessionStorage.getItem("period") || state.me.period;
  sel.value = state.period;
  sel.addEventListener("change", () => {
    state.period = sel.value;
    sessionStorage.setItem("period", state.period);
    render();
  });
  document.getElementById("export").addEventListener("click", exportXlsx);
  window.addEventListener("hashchange", render);
  if (!location.hash || location.hash === "#") history.replaceState(null, "", location.pathname + "#overview");
  render();
}

start();
