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
import type { LateReport } from "./late.ts";
import type { IndicatorProgress, ProgressReport } from "./progress.ts";

export const CHART_FONT = "Be Vietnam Pro";

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

/** Render a Vega-Lite spec to SVG (no browser, no canvas). */
export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  const { spec: vgSpec } = compile(spec);
  const view = new vega.View(vega.parse(vgSpec), { renderer: "none" });
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

/** One bar per indicator: the share of the target reached; counts are shown against their target. */
export function progressChartSpec(progress: ProgressReport): TopLevelSpec {
  const rows = progress.indicators.map((i: IndicatorProgress, n: number) => {
    const isPercent = i.threshold.unit === "%";
    // Percentages are drawn as they are; counts and levels as % of their threshold (the target line is then 100).
    const bar = i.value === null ? 0 : isPercent ? i.value : i.threshold.value ? (i.value / i.threshold.value) * 100 : 0;
    const valueText =
      i.value === null ? "chưa có số liệu" : isPercent ? `${fmt(i.value)}%` : `${fmt(i.value)}/${fmt(i.threshold.value)}`;
    return {
      label: `${n + 1}. ${i.short}`, // numbered: unique per bar, and no internal code
      bar: Math.min(bar, 120),
      target: isPercent ? i.threshold.value : 100,
      text: `${valueText} (mục tiêu ${i.threshold.text})`,
      status: i.value === null ? "Chưa có số liệu" : i.meets ? "Đạt" : "Chưa đạt",
    };
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CONFIG,
    title: {
      text: `Tiến độ thực hiện chỉ tiêu – ${progress.periodLabel}`,
      subtitle: `${progress.under.name}. Vạch đen: mức chỉ tiêu; số lượng được tính theo % của chỉ tiêu.`,
    },
    width: 460,
    height: { step: 34 },
    data: { values: rows },
    encoding: { y: { field: "label", type: "nominal", sort: null, title: null } },
    layer: [
      {
        mark: { type: "bar", cornerRadiusEnd: 3, height: 22 },
        encoding: {
          x: { field: "bar", type: "quantitative", title: "Mức đạt (%)", scale: { domain: [0, 120] } },
          color: {
            field: "status",
            type: "nominal",
            title: null,
            scale: { domain: ["Đạt", "Chưa đạt", "Chưa có số liệu"], range: ["#2e7d32", "#e65100", "#9e9e9e"] },
          },
        },
      },
      {
        mark: { type: "tick", color: "#111", thickness: 3, size: 30 },
        encoding: { x: { field: "target", type: "quantitative" } },
      },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 11, color: "#222" },
        encoding: { x: { field: "bar", type: "quantitative" }, text: { field: "text" } },
      },
    ],
  } as TopLevelSpec;
}

/** Stacked bars per commune (byArea; by level inside one commune): on time + late = reporting rate, out of 100%. */
export function reportingRateChartSpec(late: LateReport): TopLevelSpec {
  // A department sees its communes (each with its schools); a commune sees its levels.
  const groups = late.groups.byArea.length >= 2 ? late.groups.byArea : late.groups.byLevel;
  const rows = groups.flatMap((g) => {
    const label = `${g.label} (${g.submitted}/${g.expected})`;
    const share = (n: number) => (g.expected ? (n / g.expected) * 100 : 0);
    return [
      { unit: label, kind: "Đúng hạn", value: share(g.onTime), order: 1 },
      { unit: label, kind: "Trễ hạn", value: share(g.late), order: 2 },
    ];
  });
  const rate = late.reportingRate === null ? "–" : `${fmt(late.reportingRate)}%`;
  const onTime = late.onTimeRate === null ? "–" : `${fmt(late.onTimeRate)}%`;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: CONFIG,
    title: {
      text: `Tỷ lệ báo cáo – ${late.periodLabel}`,
      subtitle: `${late.under.name}: đã nộp ${late.submitted}/${late.expected} (${rate}), đúng hạn ${onTime}, chưa nộp ${late.missing.length}.`,
    },
    width: 460,
    height: { step: 28 },
    data: { values: rows },
    mark: { type: "bar", height: 20 },
    encoding: {
      y: { field: "unit", type: "nominal", sort: null, title: null },
      x: { field: "value", type: "quantitative", stack: "zero", title: "Tỷ lệ báo cáo (% số đơn vị phải báo cáo)", scale: { domain: [0, 100] } },
      color: {
        field: "kind",
        type: "nominal",
        title: null,
        scale: { domain: ["Đúng hạn", "Trễ hạn"], range: ["#2e7d32", "#f9a825"] },
      },
      order: { field: "order" },
    },
  } as TopLevelSpec;
}

/** PNG of progressChartSpec. */
export async function progressChartPng(progress: ProgressReport): Promise<Buffer> {
  return svgToPng(await vegaLiteToSvg(progressChartSpec(progress)));
}

/** PNG of reportingRateChartSpec. */
export async function reportingRateChartPng(late: LateReport): Promise<Buffer> {
  return svgToPng(await vegaLiteToSvg(reportingRateChartSpec(late)));
}
