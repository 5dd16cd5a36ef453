import * as fs from "fs";
import { RULES_DOC, rulesMarkdown } from "../../policy/docs";
import { ALL_RULES } from "../../policy/rules";

describe("docs/rules.md", () => {
  test("matches the rules (run `npm run policy:docs` after changing one)", () => {
    expect(fs.readFileSync(RULES_DOC, "utf8")).toBe(rulesMarkdown(ALL_RULES));
  });

  test("lists every rule with its severity", () => {
    const doc = rulesMarkdown(ALL_RULES);
    for (const rule of ALL_RULES) expect(doc).toContain(`| ${rule.id} | ${rule.severity} |`);
  });
});
