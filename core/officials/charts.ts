/**
 * Charts for officials as PNG, rendered on the server: Vega-Lite → Vega View.toSVG() → resvg.
 *
 *   const png = await progressChartPng(await progressReport(db, catalog, { period, under }));
 *   const png2 = await reportingRateChartPng(await lateReport(db, catalog, { period, under }));
 *
 * Text is drawn with the TTF files of Be Vietnam Pro (npm @expo-google-fonts/be-vietnam-pro),
 * loaded into resvg with system fonts off: resvg ignores WOFF files and would then draw no text.
 */
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { aggregateUnit } from "../reporting/format.ts";
import type { LateReport } from "./late.ts";
import type { IndicatorProgress, ProgressReport } from "./progress.ts";

export const CHART_FONT = "Be Vietnam Pro";

/** What the charts say; the caller words it (bot/messages/officials.ts CHART_WORDS). Numbers come formatted. */
export interface ChartWords {
  /** Legend of a bar: the target met, or not. */
  meets: string;
  below: string;
  /** Legend of the reporting-rate bars. */
  onTime: string;
  late: string;
  /** "1,5/3 giáo viên — chỉ tiêu ≥ 90%" under a target's name. */
  valueAgainstTarget(value: string, target: string): string;
  progressTitle(periodLabel: string): string;
  /** The line under the area's name: how to read the chart. */
  progressNote: string;
  progressHidden(shown: number, hidden: number): string;
  progressAxis: string;
  schoolsTitle(targetName: string, periodLabel: string): string;
  schoolsSubtitle(underName: string, target: string): string;
  schoolsHidden(shown: number, hidden: number): string;
  schoolsAxis: string;
  /** "đã nộp 3/4" under a unit's name. */
  submitted(submitted: number, expected: number): string;
  rateTitle(periodLabel: string): string;
  rateSubtitle(underName: string, submitted: number, expected: number, rate: string, onTime: string, missing: number): string;
  rateHidden(shown: number, hidden: number): string;
  rateAxis: string;
  /** What a count of units is counted in ("đơn vị"), after a count_yes target's value. */
  unitsNoun: string;
}

/** TTF files of Be Vietnam Pro: assets/fonts/ when present, else the npm package. */
export function chartFontFiles(): string[] {
  const local = fileURLToPath(new URL("../../assets/fonts/", import.meta.url));
  const names = ["400Regular/BeVietnamPro_400Regular.ttf", "600SemiBold/BeVietnamPro_600SemiBold.ttf", "700Bold/BeVietnamPro_700Bold.ttf"];
  const inAssets = names.map((n) => path.join(local, path.basename(n)));
  if (inAssets.every((f) => existsSync(f))) return inAssets;
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve("@expo-google-fonts/be-vietnam-pro/package.json"));
  return names.map((n) => path.join(dir, n));
}

const CONFIG = {
  font: CHART_FONT,
  background: "white",
  padding: 16,
  view: { stroke: null },
  title: { fontSize: 16, fontWeight: 700, anchor: "start", offset: 12, subtitleFontSize: 12, subtitleColor: "#555" },
  axis: { labelFontSize: 12, titleFontSize: 12, labelLimit: 380, gridColor: "#e5e5e5" },
  legend: { labelFontSize: 12, titleFontSize: 12, orient: "top" },
} as const;

/** Vietnamese number format for axes and any Vega-formatted number: decimal comma, dot for thousands ("1.234,5"). */
const VI_LOCALE = { number: { decimal: ",", thousands: ".", grouping: [3], currency: ["", " ₫"] } };

/** Render a Vega-Lite spec to SVG (no browser, no canvas), numbers in Vietnamese format. */
export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  const { spec: vgSpec } = compile(spec);
  const view = new vega.View(vega.parse(vgSpec), { renderer: "none", locale: VI_LOCALE as unknown as vega.ViewOptions["locale"] });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** SVG → PNG with the bundled Vietnamese font. */
export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    font: { fontFiles: chartFontFiles(), loadSystemFonts: false, defaultFontFamily: CHART_FONT },
    fitTo: { mode: "zoom", value: scale },
    background: "white",
  });
  return resvg.render().asPng();
}

const fmt = (x: number) => x.toLocaleString("vi-VN", { maximumFractionDigits: 1 });

/** At most this many bars per image: the worst ones, and a note saying how many are left out. */
export const MAX_BARS = 10;

/**
 * Wrap a label into lines of at most `width` characters at spaces. A real name is never cut; an
 * absurd one (a word longer than a line, more than `maxLines` lines) is, with "…", so one label
 * cannot make the image thousands of pixels tall or wide.
 */
export function wrapLabel(text: string, width = 30, maxLines = 4): string[] {
  const lines: string[] = [];
  let line = "";
  const words = text.split(/\s+/).filter(Boolean).flatMap((w) => (w.length > width ? (w.match(new RegExp(`.{1,${width}}`, "gu")) ?? [w]) : [w]));
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
      if (lines.length === maxLines) return [...lines.slice(0, -1), `${lines[maxLines - 1]!.slice(0, width - 1)}…`];
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

interface Bar {
  /** The label's lines: the name wrapped, then the value and target (so no text is drawn across the target line). */
  lines: string[];
  /** 0–100. */
  bar: number;
  /** 0–100. */
  target: number;
  status: "meets" | "below";
}

/** Bars sorted worst first (furthest below target), at most MAX_BARS; returns how many were left out. */
function worstFirst(bars: Bar[]): { shown: Bar[]; hidden: number } {
  const sorted = [...bars].sort((a, b) => a.bar - a.target - (b.bar - b.target));
  return { shown: sorted.slice(0, MAX_BARS), hidden: Math.max(0, sorted.length - MAX_BARS) };
}

/** A horizontal bar chart on a 0–100 axis with a target tick per bar; labels on the left carry name, value and target. */
function barChartSpec(words: ChartWords, title: string, subtitle: string[], bars: Bar[], axisTitle: string): TopLevelSpec {
  const rows = bars.map((b) => ({ label: b.lines.join("\n"), bar: b.bar, target: b.target, status: b.status === "meets" ? words.meets : words.below }));
  const maxLines = Math.max(1, ...bars.map((b) => b.lines.length));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CONFIG,
    title: { text: title, subtitle },
    width: 300,
    height: { step: 16 * maxLines + 14 },
    data: { values: rows },
    encoding: {
      y: {
        field: "label",
        type: "nominal",
        sort: null,
        title: null,
        axis: { labelExpr: "split(datum.label, '\\n')", labelLimit: 0, labelAlign: "right", labelLineHeight: 15, labelFontSize: 12 },
      },
    },
    layer: [
      {
        mark: { type: "bar", cornerRadiusEnd: 3, height: 18 },
        encoding: {
          x: { field: "bar", type: "quantitative", title: axisTitle, scale: { domain: [0, 100] } },
          color: { field: "status", type: "nominal", title: null, scale: { domain: [words.meets, words.below], range: ["#2e7d32", "#e65100"] } },
        },
      },
      { mark: { type: "tick", color: "#111", thickness: 3, size: 26 }, encoding: { x: { field: "target", type: "quantitative" } } },
    ],
  } as TopLevelSpec;
}

const clamp = (x: number) => Math.max(0, Math.min(100, x));

/**
 * One bar per target with data, worst first, at most MAX_BARS: percentages as they are, counts and
 * levels as % of their target (the target tick is then at 100). Null when no target has data (send no chart).
 */
export function progressChartSpec(progress: ProgressReport, words: ChartWords): TopLevelSpec | null {
  const bars: Bar[] = progress.indicators
    .filter((i) => i.value !== null)
    .map((i: IndicatorProgress, n: number) => {
      const isPercent = i.threshold.unit === "%";
      const value = i.value!;
      const bar = isPercent ? value : i.threshold.value ? (value / i.threshold.value) * 100 : 0;
      const unit = aggregateUnit(i.rollup, i.countUnit, words.unitsNoun);
      const valueText = isPercent ? `${fmt(value)}%` : `${fmt(value)}/${fmt(i.threshold.value)}${unit && unit !== "%" ? ` ${unit}` : ""}`;
      return {
        lines: [...wrapLabel(`${n + 1}. ${i.short}`), words.valueAgainstTarget(valueText, i.threshold.text)],
        bar: clamp(bar),
        target: isPercent ? clamp(i.threshold.value) : 100,
        status: i.meets ? ("meets" as const) : ("below" as const),
      };
    });
  if (bars.length === 0) return null;
  const { shown, hidden } = worstFirst(bars);
  const note = hidden ? [words.progressHidden(shown.length, hidden)] : [];
  return barChartSpec(words, words.progressTitle(progress.periodLabel), [progress.under.name, words.progressNote, ...note], shown, words.progressAxis);
}

/**
 * One bar per school for one target (its below-target schools, worst first, at most MAX_BARS),
 * against the target each school must reach. Null when there is nothing to draw.
 */
export function schoolsChartSpec(progress: ProgressReport, code: string, words: ChartWords): TopLevelSpec | null {
  const i = progress.indicators.find((x) => x.code === code);
  if (!i || !i.unitThreshold || i.unitThreshold.unit !== "%") return null;
  const bars: Bar[] = i.below
    .filter((b) => b.value !== null)
    .map((b) => ({
      lines: [...wrapLabel(b.unit.name), b.numerator !== null && b.denominator !== null ? `${fmt(b.numerator)}/${fmt(b.denominator)} (${fmt(b.value!)}%)` : `${fmt(b.value!)}%`],
      bar: clamp(b.value!),
      target: clamp(i.unitThreshold!.value),
      status: "below" as const,
    }));
  if (bars.length === 0) return null;
  const { shown } = worstFirst(bars);
  const hidden = Math.max(0, i.belowCount - shown.length);
  return barChartSpec(
    words,
    words.schoolsTitle(i.short, progress.periodLabel),
    [words.schoolsSubtitle(progress.under.name, i.unitThreshold.text), ...(hidden ? [words.schoolsHidden(shown.length, hidden)] : [])],
    shown,
    words.schoolsAxis,
  );
}

/** Stacked bars per commune (byArea; by level inside one commune): on time + late = reporting rate, out of 100%; the 10 lowest. Null without expected units. */
export function reportingRateChartSpec(late: LateReport, words: ChartWords): TopLevelSpec | null {
  // A department sees its communes (each with its schools); a commune sees its levels.
  const all = (late.groups.byArea.length >= 2 ? late.groups.byArea : late.groups.byLevel).filter((g) => g.expected > 0);
  if (all.length === 0) return null;
  const groups = [...all].sort((a, b) => (a.reportingRate ?? 0) - (b.reportingRate ?? 0)).slice(0, MAX_BARS);
  const hidden = all.length - groups.length;
  const rows = groups.flatMap((g) => {
    const label = [...wrapLabel(g.label), words.submitted(g.submitted, g.expected)].join("\n");
    const share = (n: number) => (g.expected ? (n / g.expected) * 100 : 0);
    return [
      { unit: label, kind: words.onTime, value: share(g.onTime), order: 1 },
      { unit: label, kind: words.late, value: share(g.late), order: 2 },
    ];
  });
  const rate = late.reportingRate === null ? "–" : `${fmt(late.reportingRate)}%`;
  const onTime = late.onTimeRate === null ? "–" : `${fmt(late.onTimeRate)}%`;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CONFIG,
    title: {
      text: words.rateTitle(late.periodLabel),
      subtitle: [
        words.rateSubtitle(late.under.name, late.submitted, late.expected, rate, onTime, late.missing.length),
        ...(hidden ? [words.rateHidden(groups.length, hidden)] : []),
      ],
    },
    width: 300,
    height: { step: 40 },
    data: { values: rows },
    mark: { type: "bar", height: 20 },
    encoding: {
      y: { field: "unit", type: "nominal", sort: null, title: null, axis: { labelExpr: "split(datum.label, '\\n')", labelLimit: 0, labelLineHeight: 15 } },
      x: { field: "value", type: "quantitative", stack: "zero", title: words.rateAxis, scale: { domain: [0, 100] } },
      color: {
        field: "kind",
        type: "nominal",
        title: null,
        scale: { domain: [words.onTime, words.late], range: ["#2e7d32", "#f9a825"] },
      },
      order: { field: "order" },
    },
  } as TopLevelSpec;
}

/** PNG of progressChartSpec; null when there is no data to draw (send no chart). */
export async function progressChartPng(progress: ProgressReport, words: ChartWords): Promise<Buffer | null> {
  const spec = progressChartSpec(progress, words);
  return spec ? svgToPng(await vegaLiteToSvg(spec)) : null;
}

/** PNG of schoolsChartSpec; null when there is nothing to draw. */
export async function schoolsChartPng(progress: ProgressReport, code: string, words: ChartWords): Promise<Buffer | null> {
  const spec = schoolsChartSpec(progress, code, words);
  return spec ? svgToPng(await vegaLiteToSvg(spec)) : null;
}

/** PNG of reportingRateChartSpec; null when no unit is expected to report. */
export async function reportingRateChartPng(late: LateReport, words: ChartWords): Promise<Buffer | null> {
  const spec = reportingRateChartSpec(late, words);
  return spec ? svgToPng(await vegaLiteToSvg(spec)) : null;
}
