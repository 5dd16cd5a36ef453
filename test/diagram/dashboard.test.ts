import { layout, renderDashboard } from "../../diagram/dashboard";

const widget = (width: number, height: number, extra: Record<string, unknown> = {}) => ({ type: "metric", width, height, properties: { title: "t", metrics: [["AWS/ApiGateway", "Count"]] }, ...extra });

describe("layout", () => {
  test("flows widgets without x and y left to right, wrapping when the next one does not fit 24 columns", () => {
    expect(layout([widget(24, 4), widget(8, 6), widget(8, 6), widget(8, 6), widget(12, 6), widget(16, 3)]).map((w) => [w.x, w.y])).toEqual([
      [0, 0],
      [0, 4],
      [8, 4],
      [16, 4],
      [0, 10],
      [0, 16],
    ]);
  });

  test("keeps a widget's own x and y", () => {
    expect(layout([widget(6, 6, { x: 18, y: 2 })]).map((w) => [w.x, w.y])).toEqual([[18, 2]]);
  });
});

describe("renderDashboard", () => {
  const body = JSON.stringify({
    widgets: [
      { type: "alarm", width: 24, height: 4, properties: { title: "Alarms", alarms: ["${aws_cloudwatch_metric_alarm.alarms_public-api-5xx_1A2B3C4D.arn}"] } },
      widget(8, 6, { properties: { title: "${aws_lambda_function.users_function_0A1B2C3D.function_name}: errors", metrics: [["AWS/Lambda", "Errors"]], annotations: { horizontal: [{ label: "alarm >= 1", value: 1 }] } } }),
    ],
  });
  const svg = renderDashboard("apigw-dev", body);

  test("draws each widget with its title, the alarms it lists and the thresholds it marks", () => {
    expect(svg).toContain("● public-api-5xx");
    expect(svg).toContain("&lt;users&gt;: errors");
    expect(svg).toContain(">alarm &gt;= 1</text>");
    expect(svg.match(/class="widget"/g)).toHaveLength(2);
  });

  test("is as tall as the rows the widgets take", () => {
    expect(svg).toMatch(/height="290" viewBox="0 0 980 290"/);
  });
});
