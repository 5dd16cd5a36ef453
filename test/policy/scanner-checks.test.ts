import { ALL_RULES } from "../../policy/rules";
import { SCANNER_CHECKS } from "../../policy/scanner-checks";

describe("SCANNER_CHECKS", () => {
  const claimedBy = (scanner: "checkov" | "trivy", id: string) => ALL_RULES.filter((r) => (r.equivalents?.[scanner] ?? []).includes(id));

  test.each(SCANNER_CHECKS.map((c) => [`${c.scanner} ${c.id}`, c] as const))("%s has a rule or a reason, not both", (_name, check) => {
    expect(claimedBy(check.scanner, check.id).length > 0).toBe(check.noRuleBecause === undefined);
  });

  test("lists every API Gateway check a rule claims", () => {
    const listed = new Set(SCANNER_CHECKS.map((c) => `${c.scanner} ${c.id}`));
    const apiGatewayRules = ALL_RULES.filter((r) => r.id.startsWith("APIGW-STAGE") || r.id.startsWith("APIGW-METHOD") || r.id.startsWith("APIGW-HTTP") || r.id.startsWith("APIGW-WAF"));
    const claimed = apiGatewayRules.flatMap((r) => [...(r.equivalents?.checkov ?? []).map((id) => `checkov ${id}`), ...(r.equivalents?.trivy ?? []).map((id) => `trivy ${id}`)]);
    expect(claimed.filter((id) => !listed.has(id))).toEqual([]);
  });
});
