/**
 * A plan file in, reviewed targets out, in chat.
 *
 * An admin, or an official of the issuing unit, sends the plan as a document (.pdf, .docx, .txt,
 * .md). The bot reads it into a draft (core/plans addPlanFromFile) and replies with a summary: how
 * many targets, and where in the text each came from. The reviewer then steps through the targets
 * (keep; edit the threshold, levels, frequency or question; drop; add a missed one typed as a
 * sentence), picks the periods in force and the units it applies to, and publishes. Nothing reaches
 * focal points before publishing.
 *
 * An admin is first asked what the file is (its type read from the header: Quyết định, Kế hoạch,
 * Hướng dẫn, Công văn…): a plan with targets (the review above) or a reference document, which is
 * only added to the Q&A corpus after the admin sees what was read (core/retrieval/reference.ts) and
 * is then cited under its own type. Officials' files go straight to the review; others cannot add files.
 *
 * State: the draft lives in the database; the review position (which plan, which target, what the
 * next typed text means) in the session, which is stored in the database too — a restart loses
 * nothing. /kehoach resumes.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { Frequency, Level } from "../../core/catalog/index.ts";
import { parseThresholdInput } from "../../core/catalog/threshold-input.ts";
import {
  addDraftTargetFromSentence,
  addPlanFromFile,
  dropDraftTarget,
  getPlanDraft,
  documentFormat,
  MAX_DOCUMENT_BYTES,
  planWithSameText,
  publishPlan,
  readDocument,
  setPlanScope,
  updateDraftTarget,
  type DraftTargetView,
  type PlanView,
} from "../../core/plans/index.ts";
import { addReferenceDocument, previewDocument } from "../../core/retrieval/reference.ts";
import { parsePeriodRange, vietnamParts } from "../../core/reporting/periods.ts";
import { cutChars, nfc } from "../../core/text.ts";
import { draftPlansFor, findUnitsByName, unitById, unitNamedAs, unitWithSubtree, type UnitBrief } from "../../core/units/search.ts";
import type { BotContext, SessionData } from "../context.ts";
import { BUTTONS, FREQUENCY_WORDS, M, REVIEW_LEVELS, periodRangeWords, readProblemText } from "../messages/plans.ts";
import { draftEditProblemText, draftProblemText, planPeriodProblemText } from "../messages/drafts.ts";
import { LEVEL_LABELS } from "../../core/units/levels.ts";

export type PlanReviewState = NonNullable<SessionData["planReview"]>;

const FORMATS = /\.(pdf|docx|txt|md)$/i;
const HTML = { parse_mode: "HTML" } as const;

export interface PlansFeatureOptions {
  /** Bot API root the files are downloaded from (default https://api.telegram.org). */
  apiRoot?: string;
  fetch?: typeof fetch;
}

/** Who may send and review plans: admins anywhere, officials for their own unit. */
interface Reviewer {
  admin: boolean;
  unit: UnitBrief | null;
}

async function reviewerOf(ctx: BotContext): Promise<Reviewer | null> {
  const { role, officialUnitId } = ctx.user;
  if (role !== "admin" && role !== "official") return null;
  const unit = officialUnitId ? await unitById(ctx.deps.db, officialUnitId) : null;
  if (role === "official" && !unit) return null;
  return { admin: role === "admin", unit };
}

function mayReview(r: Reviewer, plan: Pick<PlanView, "issuerUnitId">): boolean {
  return r.admin || (!!r.unit && plan.issuerUnitId === r.unit.id);
}

/** The units a plan applies to by default: an official's own unit; for admins, the unit the issuer names. */
async function defaultUnitOf(ctx: BotContext, r: Reviewer, issuer: string): Promise<UnitBrief | null> {
  if (!r.admin) return r.unit;
  return (await unitNamedAs(ctx.deps.db, issuer)) ?? r.unit;
}

const live = (entries: DraftTargetView[]) => entries.filter((e) => !e.withdraw);

export function createPlansFeature(options: PlansFeatureOptions = {}): Composer<BotContext> {
  const apiRoot = (options.apiRoot ?? "https://api.telegram.org").replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const feature = new Composer<BotContext>();
  const pm = feature.chatType("private");

  // ------------------------------------------------------------------ a plan file arrives
  /** The file's bytes from Telegram, or null after telling the user the download failed. */
  async function download(ctx: BotContext, fileId: string): Promise<Uint8Array | null> {
    try {
      const file = await ctx.api.getFile(fileId);
      if (!file.file_path) throw new Error("no file_path");
      const res = await doFetch(`${apiRoot}/file/bot${ctx.api.token}/${file.file_path}`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      ctx.deps.log("warn", "plan file download failed", { error: (e as Error).message });
      await ctx.reply(readProblemText("download_failed"));
      return null;
    }
  }

  pm.on("message:document", async (ctx) => {
    const doc = ctx.message.document;
    const reviewer = await reviewerOf(ctx);
    if (!reviewer) return void (await ctx.reply(M.notAllowed));
    const name = nfc(doc.file_name ?? "ke-hoach");
    if (!FORMATS.test(name)) return void (await ctx.reply(readProblemText("unsupported")));
    if ((doc.file_size ?? 0) > MAX_DOCUMENT_BYTES) return void (await ctx.reply(readProblemText("too_large", { limitBytes: MAX_DOCUMENT_BYTES })));
    await ctx.reply(M.reading(name), HTML);
    const bytes = await download(ctx, doc.file_id);
    if (!bytes) return;
    // officials send their unit's plans; an admin may also add a reference document to the Q&A corpus
    if (!reviewer.admin) return draftPlan(ctx, reviewer, name, bytes);
    const read = await readDocument({ name, bytes });
    if (!read.ok) return void (await ctx.reply(readProblemText(read.problem, { limitBytes: read.limitBytes })));
    const samePlan = await planWithSameText(ctx.deps.db, read.text);
    if (samePlan) return void (await ctx.reply(readProblemText("duplicate_file", { plan: (await getPlanDraft(ctx.deps.db, samePlan))?.plan })));
    ctx.session.pendingDocument = { fileId: doc.file_id, name };
    const kb = new InlineKeyboard().text(BUTTONS.kindPlan, "dc:plan").row().text(BUTTONS.kindReference, "dc:ref").row().text(BUTTONS.cancel, "dc:no");
    await ctx.reply(M.askKind(previewDocument(name, read.text)), { ...HTML, reply_markup: kb });
  });

  // ------------------------------------------------------------------ plan with targets, or reference document
  feature.callbackQuery(/^dc:(plan|ref|add|no)$/, async (ctx) => {
    const action = ctx.match[1]!;
    const reviewer = await reviewerOf(ctx);
    const pending = ctx.session.pendingDocument;
    if (!reviewer?.admin) return void (await ctx.answerCallbackQuery({ text: M.referenceOnlyAdmins, show_alert: true }));
    if (!pending) return void (await ctx.answerCallbackQuery({ text: M.staleButton, show_alert: true }));
    await ctx.answerCallbackQuery();
    if (action === "no") {
      ctx.session.pendingDocument = undefined;
      return void (await ctx.reply(M.referenceCancelled));
    }
    const bytes = await download(ctx, pending.fileId);
    if (!bytes) return;
    if (action === "plan") {
      ctx.session.pendingDocument = undefined;
      return draftPlan(ctx, reviewer, pending.name, bytes);
    }
    const read = await readDocument({ name: pending.name, bytes });
    if (!read.ok) {
      ctx.session.pendingDocument = undefined;
      return void (await ctx.reply(readProblemText(read.problem, { limitBytes: read.limitBytes })));
    }
    if (action === "ref") {
      const kb = new InlineKeyboard().text(BUTTONS.referenceAdd, "dc:add").text(BUTTONS.cancel, "dc:no");
      return void (await ctx.reply(M.referencePreview(previewDocument(pending.name, read.text)), { ...HTML, reply_markup: kb }));
    }
    ctx.session.pendingDocument = undefined;
    const r = await addReferenceDocument(ctx.deps.db, { file: pending.name, text: read.text, actorId: ctx.user.id });
    if (!r.ok) return void (await ctx.reply(r.problem === "plan_file" ? M.referenceNameTaken(pending.name) : readProblemText("empty"), HTML));
    await ctx.deps.qa?.reload();
    ctx.deps.log("info", "reference document added", { passages: r.summary.chunks, status: r.status });
    await ctx.reply(M.referenceAdded(r.preview, r.status === "unchanged"), HTML);
  });

  /** Read a plan file into a draft with its targets and show the summary (the review starts). */
  async function draftPlan(ctx: BotContext, reviewer: Reviewer, name: string, bytes: Uint8Array) {
    const started = performance.now();
    const result = await addPlanFromFile(
      { db: ctx.deps.db, now: ctx.deps.now },
      { name, bytes, issuerUnitId: reviewer.admin ? undefined : reviewer.unit?.id, actorId: ctx.user.id },
    );
    if (!result.ok) {
      if (result.problem === "duplicate_file") {
        const prior = result.planId ? await getPlanDraft(ctx.deps.db, result.planId) : null;
        return void (await ctx.reply(readProblemText("duplicate_file", { plan: prior?.plan })));
      }
      if (result.problem === "duplicate_id" || result.problem === "bad_id") return void (await ctx.reply(readProblemText("unreadable")));
      return void (await ctx.reply(readProblemText(result.problem, { limitBytes: result.limitBytes, detail: result.detail, format: documentFormat(name) ?? undefined })));
    }
    // the plan is answerable in Q&A at once (its text was ingested with the draft)
    await ctx.deps.qa?.reload();
    const defaultUnit = await defaultUnitOf(ctx, reviewer, result.plan.issuer);
    ctx.session.planReview = { planId: result.plan.id, pos: 0, awaiting: null, unitCode: defaultUnit?.code };
    await showSummary(ctx, result.plan, result.entries);
    ctx.deps.log("info", "plan drafted", { targets: result.entries.length, ms: Math.round(performance.now() - started) });
  }

  // ------------------------------------------------------------------ /kehoach: resume a draft
  pm.command("kehoach", async (ctx) => {
    const reviewer = await reviewerOf(ctx);
    if (!reviewer) return void (await ctx.reply(M.notReviewer));
    const drafts = await draftPlansFor(ctx.deps.db, { admin: reviewer.admin, unitId: reviewer.unit?.id ?? null });
    if (!drafts.length) return void (await ctx.reply(M.noDraft));
    const current = ctx.session.planReview;
    if (current && drafts.some((d) => d.id === current.planId)) {
      current.awaiting = null;
      return showCard(ctx, current.pos);
    }
    const kb = new InlineKeyboard();
    for (const d of drafts) kb.text(d.number ? cutChars(`${d.number} — ${d.issuer}`, 60) : cutChars(d.title, 60), `pl:open:${d.id}`).row();
    await ctx.reply(M.pickDraft, { reply_markup: kb });
  });

  // ------------------------------------------------------------------ typed input during a review
  pm.on("message:text", async (ctx, next) => {
    const state = ctx.session.planReview;
    if (!state?.awaiting) return next();
    const text = nfc(ctx.message.text);
    if (text.startsWith("/")) {
      state.awaiting = null;
      if (/^\/huy(@\w+)?$/i.test(text)) return void (await ctx.reply(M.cancelled));
      return next();
    }
    const reviewer = await reviewerOf(ctx);
    const draft = await getPlanDraft(ctx.deps.db, state.planId);
    if (!reviewer || !draft || !mayReview(reviewer, draft.plan) || draft.plan.status !== "draft") {
      ctx.session.planReview = undefined;
      return next();
    }
    const deps = { db: ctx.deps.db, now: ctx.deps.now };
    const entries = live(draft.entries);
    const target = entries.find((e) => e.code === state.code);
    // a question at a period or unit step goes to the plan Q&A; the step stays open
    if ((state.awaiting === "period" || state.awaiting === "units" || state.awaiting === "threshold") && text.includes("?")) return next();
    switch (state.awaiting) {
      case "threshold": {
        if (!target) break;
        const threshold = parseThresholdInput(text, target.entry.threshold);
        if (!threshold) return void (await ctx.reply(M.badThreshold));
        const r = await updateDraftTarget(deps, state.planId, target.code, { threshold });
        if (!r.ok) return void (await ctx.reply(M.invalidEdit(r.invalid && draftEditProblemText(r.invalid))));
        state.awaiting = null;
        await ctx.reply(M.thresholdSaved(r.entry.entry), HTML);
        return showCard(ctx, state.pos);
      }
      case "question": {
        if (!target) break;
        if (text.length < 8) return void (await ctx.reply(M.askQuestion(target.entry), HTML));
        const r = await updateDraftTarget(deps, state.planId, target.code, { question: text });
        if (!r.ok) return void (await ctx.reply(M.invalidEdit(r.invalid && draftEditProblemText(r.invalid))));
        state.awaiting = null;
        await ctx.reply(M.questionSaved);
        return showCard(ctx, state.pos);
      }
      case "add": {
        const r = await addDraftTargetFromSentence(deps, state.planId, text);
        if (!r.ok) return void (await ctx.reply(M.addNotFound));
        state.awaiting = null;
        await ctx.reply(M.added(r.entry.entry), HTML);
        const after = live((await getPlanDraft(ctx.deps.db, state.planId))!.entries);
        return showCard(ctx, Math.max(0, after.findIndex((e) => e.code === r.entry.code)));
      }
      case "period": {
        const range = parsePeriodRange(text);
        if (!range) return void (await ctx.reply(M.badPeriod));
        state.awaiting = null;
        state.from = range.from;
        state.to = range.to;
        return showUnits(ctx);
      }
      case "units": {
        const found = await findUnitsByName(ctx.deps.db, text, reviewer.admin ? undefined : reviewer.unit?.path);
        if (!found.length) return void (await ctx.reply(M.unitsNotFound(text), HTML));
        if (found.length === 1) {
          state.awaiting = null;
          state.unitCode = found[0]!.code;
          return showConfirm(ctx);
        }
        const kb = new InlineKeyboard();
        for (const u of found) kb.text(cutChars(u.name, 60), `pl:unit:${u.code}`).row();
        return void (await ctx.reply(M.pickUnit, { reply_markup: kb }));
      }
    }
    state.awaiting = null;
    return next();
  });

  // ------------------------------------------------------------------ buttons
  feature.callbackQuery(/^pl:([a-z]+)(?::(.*))?$/, async (ctx) => {
    const [, action, arg = ""] = ctx.match as RegExpMatchArray as [string, string, string?];
    const reviewer = await reviewerOf(ctx);
    if (!reviewer) return void (await ctx.answerCallbackQuery({ text: M.notReviewer, show_alert: true }));
    if (action === "open") {
      const draft = await getPlanDraft(ctx.deps.db, arg);
      if (!draft || !mayReview(reviewer, draft.plan) || draft.plan.status !== "draft") {
        return void (await ctx.answerCallbackQuery({ text: M.staleButton, show_alert: true }));
      }
      await ctx.answerCallbackQuery();
      const unit = await defaultUnitOf(ctx, reviewer, draft.plan.issuer);
      ctx.session.planReview = { planId: draft.plan.id, pos: 0, awaiting: null, unitCode: unit?.code };
      return showSummary(ctx, draft.plan, draft.entries);
    }
    const state = ctx.session.planReview;
    const draft = state ? await getPlanDraft(ctx.deps.db, state.planId) : null;
    if (!state || !draft || !mayReview(reviewer, draft.plan) || draft.plan.status !== "draft") {
      return void (await ctx.answerCallbackQuery({ text: M.staleButton, show_alert: true }));
    }
    const deps = { db: ctx.deps.db, now: ctx.deps.now };
    const entries = live(draft.entries);
    const [code, extra] = arg.split(":");
    const index = entries.findIndex((e) => e.code === code);
    const target = index >= 0 ? entries[index]! : undefined;
    const needsTarget = ["keep", "drop", "th", "q", "lv", "lvt", "lvok", "fq", "fqs"].includes(action);
    if (needsTarget && !target) return void (await ctx.answerCallbackQuery({ text: M.staleButton, show_alert: true }));
    state.awaiting = null;
    switch (action) {
      case "review":
        await ctx.answerCallbackQuery();
        return showCard(ctx, 0);
      case "add":
        await ctx.answerCallbackQuery();
        state.awaiting = "add";
        return void (await ctx.reply(M.askAdd));
      case "keep":
        await ctx.answerCallbackQuery();
        return showCard(ctx, index + 1);
      case "drop":
        await dropDraftTarget(deps, state.planId, target!.code);
        await ctx.answerCallbackQuery();
        await ctx.reply(M.dropped(target!.entry), HTML);
        return showCard(ctx, index);
      case "th":
        await ctx.answerCallbackQuery();
        Object.assign(state, { awaiting: "threshold", code: target!.code, pos: index });
        return void (await ctx.reply(M.askThreshold(target!.entry), HTML));
      case "q":
        await ctx.answerCallbackQuery();
        Object.assign(state, { awaiting: "question", code: target!.code, pos: index });
        return void (await ctx.reply(M.askQuestion(target!.entry), HTML));
      case "lv":
        await ctx.answerCallbackQuery();
        state.levels = [...target!.entry.levels];
        state.pos = index;
        return void (await ctx.reply(M.askLevels(target!.entry), { ...HTML, reply_markup: levelsKeyboard(target!.code, state.levels as Level[]) }));
      case "lvt": {
        const lv = extra as Level;
        if (!REVIEW_LEVELS.includes(lv)) return void (await ctx.answerCallbackQuery());
        const chosen = new Set(state.levels ?? target!.entry.levels);
        if (chosen.has(lv)) chosen.delete(lv);
        else chosen.add(lv);
        state.levels = REVIEW_LEVELS.filter((l) => chosen.has(l));
        await ctx.answerCallbackQuery();
        return void (await ctx.editMessageReplyMarkup({ reply_markup: levelsKeyboard(target!.code, state.levels as Level[]) }).catch(() => undefined));
      }
      case "lvok": {
        const levels = (state.levels ?? target!.entry.levels) as Level[];
        if (!levels.length) return void (await ctx.answerCallbackQuery({ text: M.needOneLevel, show_alert: true }));
        const r = await updateDraftTarget(deps, state.planId, target!.code, { levels });
        await ctx.answerCallbackQuery();
        state.levels = undefined;
        if (!r.ok) return void (await ctx.reply(M.invalidEdit(r.invalid && draftEditProblemText(r.invalid))));
        await ctx.reply(M.levelsSaved(levels), HTML);
        return showCard(ctx, index);
      }
      case "fq": {
        await ctx.answerCallbackQuery();
        const kb = new InlineKeyboard();
        for (const f of Object.keys(FREQUENCY_WORDS) as Frequency[]) kb.text(FREQUENCY_WORDS[f], `pl:fqs:${target!.code}:${f}`).row();
        return void (await ctx.reply(M.askFrequency(target!.entry), { ...HTML, reply_markup: kb }));
      }
      case "fqs": {
        const f = extra as Frequency;
        if (!(f in FREQUENCY_WORDS)) return void (await ctx.answerCallbackQuery());
        const r = await updateDraftTarget(deps, state.planId, target!.code, { frequency: f });
        await ctx.answerCallbackQuery();
        if (!r.ok) return void (await ctx.reply(M.invalidEdit(r.invalid && draftEditProblemText(r.invalid))));
        await ctx.reply(M.frequencySaved(f));
        return showCard(ctx, index);
      }
      case "period":
        await ctx.answerCallbackQuery();
        return showPeriod(ctx);
      case "per": {
        const range = parsePeriodRange(arg.replace(":", "-"));
        await ctx.answerCallbackQuery();
        if (!range) return showPeriod(ctx);
        state.from = range.from;
        state.to = range.to;
        return showUnits(ctx);
      }
      case "uok":
        await ctx.answerCallbackQuery();
        return showConfirm(ctx);
      case "uother":
        await ctx.answerCallbackQuery();
        state.awaiting = "units";
        return void (await ctx.reply(M.askUnitsTyped));
      case "unit": {
        const found = await unitWithSubtree(ctx.deps.db, arg);
        if (!found || (!reviewer.admin && !found.unit.path.startsWith(reviewer.unit?.path ?? "\u0000"))) {
          return void (await ctx.answerCallbackQuery({ text: M.staleButton, show_alert: true }));
        }
        await ctx.answerCallbackQuery();
        state.unitCode = found.unit.code;
        return showConfirm(ctx);
      }
      case "fix": {
        await ctx.answerCallbackQuery();
        const first = entries.findIndex((e) => !e.complete);
        return showCard(ctx, Math.max(0, first));
      }
      case "pub":
        await ctx.answerCallbackQuery();
        return publish(ctx, reviewer);
      default:
        return void (await ctx.answerCallbackQuery());
    }
  });

  return feature;
}

function levelsKeyboard(code: string, chosen: Level[]): InlineKeyboard {
  const kb = new InlineKeyboard();
  REVIEW_LEVELS.forEach((l, i) => {
    kb.text(`${chosen.includes(l) ? "☑️" : "⬜"} ${LEVEL_LABELS[l]}`, `pl:lvt:${code}:${l}`);
    if (i % 2 === 1) kb.row();
  });
  return kb.row().text(BUTTONS.done, `pl:lvok:${code}`);
}

async function showSummary(ctx: BotContext, plan: PlanView, entries: DraftTargetView[]) {
  const list = live(entries);
  const kb = new InlineKeyboard();
  if (list.length) kb.text(BUTTONS.review, "pl:review").row();
  kb.text(BUTTONS.add, "pl:add");
  if (list.length) kb.text(BUTTONS.toPeriod, "pl:period");
  await ctx.reply(M.summary(plan, list), { ...HTML, reply_markup: kb });
}

/** The target at `pos`, with its buttons; past the last one, the period step. */
async function showCard(ctx: BotContext, pos: number) {
  const state = ctx.session.planReview!;
  const draft = await getPlanDraft(ctx.deps.db, state.planId);
  if (!draft) return void (await ctx.reply(M.noDraft));
  const entries = live(draft.entries);
  if (pos >= entries.length) {
    state.pos = entries.length;
    return entries.length ? showPeriod(ctx) : showSummary(ctx, draft.plan, draft.entries);
  }
  state.pos = pos;
  const t = entries[pos]!;
  const kb = new InlineKeyboard()
    .text(BUTTONS.keep, `pl:keep:${t.code}`)
    .text(BUTTONS.drop, `pl:drop:${t.code}`)
    .row()
    .text(BUTTONS.threshold, `pl:th:${t.code}`)
    .text(BUTTONS.question, `pl:q:${t.code}`)
    .row()
    .text(BUTTONS.levels, `pl:lv:${t.code}`)
    .text(BUTTONS.frequency, `pl:fq:${t.code}`)
    .row()
    .text(BUTTONS.add, "pl:add")
    .text(BUTTONS.toPeriod, "pl:period");
  await ctx.reply(M.card(t.entry, pos, entries.length, t.problems.map(draftProblemText)), { ...HTML, reply_markup: kb });
}

async function showPeriod(ctx: BotContext) {
  const state = ctx.session.planReview!;
  state.awaiting = "period";
  const year = vietnamParts(ctx.deps.now()).year;
  const kb = new InlineKeyboard()
    .text(BUTTONS.year(year), `pl:per:${year}`)
    .text(BUTTONS.year(year + 1), `pl:per:${year + 1}`)
    .row()
    .text(BUTTONS.add, "pl:add")
    .text(BUTTONS.back, "pl:review");
  await ctx.reply(M.askPeriod(year), { reply_markup: kb });
}

async function showUnits(ctx: BotContext) {
  const state = ctx.session.planReview!;
  const found = state.unitCode ? await unitWithSubtree(ctx.deps.db, state.unitCode) : null;
  if (!found) {
    state.awaiting = "units";
    return void (await ctx.reply(M.askUnitsTyped));
  }
  const kb = new InlineKeyboard().text(BUTTONS.unitsOk, "pl:uok").text(BUTTONS.unitsOther, "pl:uother");
  await ctx.reply(M.askUnitsDefault(found.unit.name, found.below), { ...HTML, reply_markup: kb });
}

async function showConfirm(ctx: BotContext) {
  const state = ctx.session.planReview!;
  if (!state.from || !state.to) return showPeriod(ctx);
  const found = state.unitCode ? await unitWithSubtree(ctx.deps.db, state.unitCode) : null;
  if (!found) return showUnits(ctx);
  const draft = (await getPlanDraft(ctx.deps.db, state.planId))!;
  const kb = new InlineKeyboard().text(BUTTONS.publish, "pl:pub").text(BUTTONS.back, "pl:review");
  await ctx.reply(M.confirm(draft.plan, periodRangeWords(state.from, state.to), found.unit.name, found.below, live(draft.entries).length), {
    ...HTML,
    reply_markup: kb,
  });
}

async function publish(ctx: BotContext, reviewer: Reviewer) {
  const state = ctx.session.planReview!;
  const found = state.unitCode ? await unitWithSubtree(ctx.deps.db, state.unitCode) : null;
  if (!state.from || !state.to) return showPeriod(ctx);
  if (!found) return showUnits(ctx);
  // the catalog store is reloaded on publishing: the new targets are asked from the next /baocao on
  const deps = { db: ctx.deps.db, now: ctx.deps.now, catalog: ctx.deps.catalog };
  const scope = await setPlanScope(deps, state.planId, { validFrom: state.from, validTo: state.to, unitCodes: [found.unit.code], actorId: ctx.user.id });
  if (!scope.ok) return void (await ctx.reply(M.publishFailed(scope.period && planPeriodProblemText(scope.period))));
  const r = await publishPlan(deps, state.planId, { from: state.from, to: state.to, actorId: ctx.user.id });
  if (!r.ok) {
    if (r.problem === "incomplete") {
      const draft = (await getPlanDraft(ctx.deps.db, state.planId))!;
      const items = (r.issues ?? []).map((i) => ({ short: draft.entries.find((e) => e.code === i.code)?.entry.short ?? "", problems: i.problems.map(draftProblemText) }));
      return void (await ctx.reply(M.incomplete(items), { ...HTML, reply_markup: new InlineKeyboard().text(BUTTONS.fixIncomplete, "pl:fix") }));
    }
    if (r.problem === "nothing_to_publish") return void (await ctx.reply(M.nothingToPublish, { reply_markup: new InlineKeyboard().text(BUTTONS.add, "pl:add") }));
    return void (await ctx.reply(M.publishFailed(r.period && planPeriodProblemText(r.period))));
  }
  ctx.session.planReview = undefined;
  ctx.deps.log("info", "plan published", { targets: r.published.length, admin: reviewer.admin });
  await ctx.reply(M.published(r.plan, periodRangeWords(state.from, state.to), found.unit.name, r.published.length), HTML);
}
