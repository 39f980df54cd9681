/**
 * Opening the dashboard from chat: with DASHBOARD_URL configured, an official's chat gets the
 * dashboard as its menu button and a web_app button under /trehan and /tiendo; a focal point gets
 * neither; without DASHBOARD_URL no button is offered (Telegram needs https).
 */
import { afterEach, describe, expect, it } from "vitest";
import { seedSmallProvince, startTestBot, type TestBot } from "../support/bot.ts";
import { chat } from "../support/telegram.ts";

const NOW = () => new Date("2026-03-25T03:00:00Z");
const URL_BASE = "https://bang-dieu-khien.example.vn";

describe("dashboard buttons in chat", () => {
  let tb: TestBot;
  afterEach(async () => tb?.stop());

  it("officials get the menu button and a web_app button under /trehan and /tiendo", async () => {
    tb = await startTestBot({ now: NOW, setup: async (t) => void (await seedSmallProvince(t)) });
    tb.deps.config.dashboardUrl = URL_BASE;
    const minh = chat(tb.fake, { id: 801, first_name: "Minh" });
    minh.say("/start inv_xa_a");
    await minh.expectReply("cán bộ quản lý");
    minh.say("/trehan");
    const late = await minh.expectReply("Tình hình báo cáo");
    const button = (m: typeof late) => (m.reply_markup as { inline_keyboard?: Array<Array<{ text: string; web_app?: { url: string } }>> })?.inline_keyboard?.flat().find((b) => b.web_app);
    expect(button(late)).toEqual({ text: "📊 Bảng điều khiển", web_app: { url: `${URL_BASE}/app/` } });
    minh.say("/tiendo");
    const progress = await minh.expectReply("Tiến độ chỉ tiêu");
    expect(button(progress)?.web_app?.url).toBe(`${URL_BASE}/app/`);
    // the menu button is set once for this chat (after the invite made them an official)
    expect(tb.fake.menuButtons.get("801")).toEqual({ type: "web_app", text: "Bảng điều khiển", web_app: { url: `${URL_BASE}/app/` } });
    expect(tb.fake.calls.filter((c) => c.method === "setChatMenuButton")).toHaveLength(1);

    // a focal point gets no dashboard
    const lan = chat(tb.fake, { id: 802, first_name: "Lan" });
    lan.say("/start inv_th_a");
    await lan.expectReply(/Trường Tiểu học Sao Mai/);
    lan.say("/trehan");
    const refused = await lan.expectReply("cán bộ quản lý");
    expect(button(refused)).toBeUndefined();
    expect(tb.fake.menuButtons.has("802")).toBe(false);
  });

  it("offers no button without a dashboard address", async () => {
    tb = await startTestBot({ now: NOW, setup: async (t) => void (await seedSmallProvince(t)) });
    const minh = chat(tb.fake, { id: 803, first_name: "Minh" });
    minh.say("/start inv_xa_a");
    await minh.expectReply("cán bộ quản lý");
    minh.say("/trehan");
    const late = await minh.expectReply("Tình hình báo cáo");
    expect(JSON.stringify(late.reply_markup ?? {})).not.toContain("web_app");
    expect(tb.fake.calls.filter((c) => c.method === "setChatMenuButton")).toHaveLength(0);
  });
});
