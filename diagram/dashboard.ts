/**
 * A picture of a CloudWatch dashboard from its `dashboard_body`, without AWS: each widget as a box
 * on CloudWatch's 24-column grid, where CloudWatch puts it. Widgets without x and y flow left to
 * right and wrap to a new row when the next one does not fit (CloudWatch's automatic layout), so
 * the picture shows the same arrangement as the console, with each widget's title, what it plots
 * and its alarm thresholds. The data itself exists only in AWS: the lines drawn are placeholders.
 */
interface Widget {
  readonly type: string;
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
  readonly properties: {
    readonly title?: string;
    readonly metrics?: readonly unknown[][];
    readonly alarms?: readonly string[];
    readonly annotations?: { readonly horizontal?: readonly { readonly label?: string; readonly value: number }[] };
    readonly markdown?: string;
  };
}

export interface PlacedWidget extends Widget {
  readonly x: number;
  readonly y: number;
}

const COLUMNS = 24;
const UNIT_X = 40;
const UNIT_Y = 24;

/** Positions as CloudWatch gives them: explicit x/y where set, else the flow described above. */
export function layout(widgets: readonly Widget[]): PlacedWidget[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return widgets.map((w) => {
    if (w.x !== undefined && w.y !== undefined) return { ...w, x: w.x, y: w.y };
    if (x + w.width > COLUMNS) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    const placed = { ...w, x, y };
    x += w.width;
    rowHeight = Math.max(rowHeight, w.height);
    return placed;
  });
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const clip = (text: string, width: number) => (text.length * 6.6 > width - 16 ? `${text.slice(0, Math.max(1, Math.floor((width - 16) / 6.6) - 1))}…` : text);
/** Terraform references in titles, such as a function's name, known only at apply: shown as the construct they name. */
const readable = (text: string) => text.replace(/\$\{[a-z0-9_]+\.([A-Za-z0-9-]+?)(?:_[a-z-]+)?_[0-9A-F]{8}\.[a-z_]+\}/g, "<$1>");
/** A Terraform reference such as ${aws_cloudwatch_metric_alarm.alarms_public-api-5xx_1A2B.arn}, as the alarm's construct id. */
const alarmName = (reference: string) => /\.(?:alarms_)?([^.]+?)(?:_[0-9A-F]{8})?\.arn\}$/.exec(reference)?.[1] ?? reference;

function widgetBody(w: PlacedWidget, left: number, top: number, width: number, height: number): string[] {
  if (w.type === "alarm") {
    const names = (w.properties.alarms ?? []).map(alarmName);
    const perRow = Math.max(1, Math.floor(width / 190));
    const rows = Math.max(1, Math.floor((height - 34) / 16));
    const shown = names.slice(0, perRow * rows);
    const more = names.length - shown.length;
    return [
      ...shown.map((name, i) => `<text x="${left + 10 + (i % perRow) * 190}" y="${top + 44 + Math.floor(i / perRow) * 16}" class="alarm">● ${escape(clip(name, 190))}</text>`),
      ...(more > 0 ? [`<text x="${left + width - 10}" y="${top + height - 8}" class="note" text-anchor="end">and ${more} more</text>`] : []),
    ];
  }
  if (w.type !== "metric") return [`<text x="${left + 10}" y="${top + 44}" class="note">${escape(w.type)}</text>`];
  const plot = { left: left + 10, top: top + 34, width: width - 20, height: height - 54 };
  const series = (w.properties.metrics ?? []).length;
  const lines: string[] = [`<rect x="${plot.left}" y="${plot.top}" width="${plot.width}" height="${plot.height}" class="plot"/>`];
  for (let s = 0; s < Math.min(series, 4); s++) {
    const points = Array.from({ length: 12 }, (_, i) => {
      const wave = (Math.sin((i + s * 3) * 1.3) + 1) / 2;
      return `${(plot.left + (i * plot.width) / 11).toFixed(1)},${(plot.top + plot.height * (0.25 + 0.5 * wave)).toFixed(1)}`;
    });
    lines.push(`<polyline points="${points.join(" ")}" class="series s${s}"/>`);
  }
  for (const threshold of w.properties.annotations?.horizontal ?? []) {
    const at = plot.top + plot.height * 0.18;
    lines.push(`<line x1="${plot.left}" y1="${at}" x2="${plot.left + plot.width}" y2="${at}" class="threshold"/>`);
    lines.push(`<text x="${plot.left + plot.width - 4}" y="${at - 3}" class="threshold-label" text-anchor="end">${escape(clip(threshold.label ?? String(threshold.value), plot.width))}</text>`);
  }
  lines.push(`<text x="${left + 10}" y="${top + height - 8}" class="note">${series} metric${series === 1 ? "" : "s"}</text>`);
  return lines;
}

/** The SVG picture of a dashboard body (the JSON text of `dashboard_body`). */
export function renderDashboard(title: string, body: string): string {
  const widgets = layout((JSON.parse(body) as { widgets: Widget[] }).widgets);
  const rows = Math.max(0, ...widgets.map((w) => w.y + w.height));
  const width = COLUMNS * UNIT_X + 20;
  const height = rows * UNIT_Y + 50;
  const boxes = widgets.flatMap((w) => {
    const left = 10 + w.x * UNIT_X + 3;
    const top = 40 + w.y * UNIT_Y + 3;
    const boxWidth = w.width * UNIT_X - 6;
    const boxHeight = w.height * UNIT_Y - 6;
    return [
      `<g class="widget">`,
      `<rect x="${left}" y="${top}" width="${boxWidth}" height="${boxHeight}" rx="3" class="box"/>`,
      `<text x="${left + 10}" y="${top + 20}" class="title">${escape(clip(readable(w.properties.title ?? w.type), boxWidth))}</text>`,
      ...widgetBody(w, left, top, boxWidth, boxHeight),
      `</g>`,
    ];
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<style>.box{fill:#fff;stroke:#d5dbdb}.plot{fill:#fafafa;stroke:#eaeded}.title{font-size:12px;font-weight:bold;fill:#16191f}.note{font-size:11px;fill:#687078}.alarm{font-size:11px;fill:#1d8102}.series{fill:none;stroke-width:1.5}.s0{stroke:#1f77b4}.s1{stroke:#ff7f0e}.s2{stroke:#2ca02c}.s3{stroke:#d62728}.threshold{stroke:#d13212;stroke-dasharray:4 3}.threshold-label{font-size:10px;fill:#d13212}</style>`,
    `<rect width="${width}" height="${height}" fill="#f2f3f3"/>`,
    `<text x="10" y="26" font-size="16" font-weight="bold" fill="#16191f">${escape(title)} (CloudWatch dashboard, ${widgets.length} widgets; lines are placeholders)</text>`,
    ...boxes,
    `</svg>`,
    "",
  ].join("\n");
}
