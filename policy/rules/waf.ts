import { blocks } from "../stack";
import type { Rule } from "../types";

export const webAclNotEmpty: Rule = {
  id: "APIGW-WAF-ACL-RULES",
  severity: "error",
  message: "A WAFv2 web ACL that allows by default must have at least one rule or rule group",
  explanation:
    "A web ACL with default_action allow and no rule, or only rules that count (action count, or a rule group's override_action count), stops nothing: the stage or distribution it is associated with counts as protected (APIGW-STAGE-WAF, APIGW-HTTP-WAF and Security Hub APIGateway.4 pass) while every request goes through. Add rules: AWS managed rule groups (AWSManagedRulesCommonRuleSet, KnownBadInputs) and a rate-based rule. A web ACL that blocks by default filters by its default alone: not applicable.",
  equivalents: {},
  references: ["AWS WAF Developer Guide: Web ACL default action", "Terraform AWS provider docs: aws_wafv2_web_acl"],
  check: (stack) =>
    stack
      .resources("aws_wafv2_web_acl")
      .filter((acl) => blocks(acl.body.default_action).some((a) => a.allow !== undefined))
      .filter((acl) => acl.body.rule_json === undefined && !blocks(acl.body.rule).some(enforces))
      .map((acl) => ({ address: acl.address, detail: blocks(acl.body.rule).length ? "default_action allow and every rule only counts" : "default_action allow and no rule" })),
};

/**
 * A rule that can stop a request: its action is not count, and a rule group's override_action is
 * none (the group's own actions), not count. A counting rule only labels and logs.
 */
function enforces(rule: Record<string, unknown>): boolean {
  const counts = (holder: unknown) => blocks(holder).some((a) => a.count !== undefined);
  return rule.override_action !== undefined ? !counts(rule.override_action) : !counts(rule.action);
}

const KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet";
/** The group's Log4j rules (Log4JRCE_HEADER, _BODY, _URIPATH, _QUERYSTRING) turned into counting or allowing ones. */
const log4jOverridden = (group: Record<string, unknown>) =>
  blocks(group.rule_action_override).some((o) => /^Log4JRCE/i.test(String(o.name)) && blocks(o.action_to_use).some((a) => a.count !== undefined || a.allow !== undefined));

export const webAclKnownBadInputs: Rule = {
  id: "APIGW-WAF-KNOWN-BAD-INPUTS",
  severity: "error",
  message: "A web ACL associated with a REST stage must include the AWS managed rule group AWSManagedRulesKnownBadInputsRuleSet",
  explanation:
    "The known-bad-inputs group blocks request patterns of exploited vulnerabilities, Log4j's JNDI lookups (CVE-2021-44228) among them, in headers, paths, query strings and bodies, before they reach a backend that might log them. Add a rule with a managed_rule_group_statement naming it (vendor AWS), without a scope_down_statement (the group would see only what it matches) or a rule_action_override that makes its Log4JRCE rules count or allow, and with no allow rule of a lower priority number (WAF stops at the first allow), to every web ACL associated (aws_wafv2_web_acl_association) with an API Gateway stage. Web ACLs not associated with a stage, and those of another stack (a literal ARN or a data source), are not applicable; HTTP APIs take no web ACL (APIGW-HTTP-WAF).",
  equivalents: { checkov: ["CKV2_AWS_77"] },
  references: ["AWS WAF Developer Guide: Known bad inputs managed rule group (Log4JRCE)"],
  check: (stack) => {
    const stages = stack.resources("aws_api_gateway_stage");
    return stack
      .resources("aws_wafv2_web_acl_association")
      .filter((a) => stages.some((stage) => stack.identifies(a.body.resource_arn, stage, "arn")))
      .flatMap((association) => {
        // A web ACL of another stack (a literal ARN or a data source) is that stack's to check.
        const acl = stack.referenced(association.body.web_acl_arn, "aws_wafv2_web_acl");
        if (!acl || acl.address.startsWith("data.")) return [];
        const rules = blocks(acl.body.rule);
        const known = rules.filter(enforces).find((r) =>
          blocks(r.statement)
            .flatMap((s) => blocks(s.managed_rule_group_statement))
            // A scope-down statement limits the group to the requests it matches.
            .some((g) => g.name === KNOWN_BAD_INPUTS && g.vendor_name === "AWS" && !log4jOverridden(g) && g.scope_down_statement === undefined),
        );
        if (!known) return [{ address: acl.address, detail: `associated by ${association.address}, without ${KNOWN_BAD_INPUTS} (or with it only counting, scoped down, or its Log4JRCE rules overridden to count or allow)` }];
        // WAF stops at the first terminating action: an allow rule evaluated earlier lets what it matches skip the group.
        const before = rules.filter((r) => Number(r.priority) < Number(known.priority) && blocks(r.action).some((a) => a.allow !== undefined));
        return before.length ? [{ address: acl.address, detail: `rule ${String(before[0].name)} allows requests (priority ${String(before[0].priority)}) before ${KNOWN_BAD_INPUTS} sees them` }] : [];
      });
  },
};
