import { Block, blocks, StackView } from "../stack";
import type { Rule } from "../types";

const OPEN = ["0.0.0.0/0", "::/0"];

interface Ingress {
  readonly address: string;
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  readonly cidrs: string[];
}

/** Every ingress rule of a security group, whichever of Terraform's three forms it is written in. */
function ingressOf(stack: StackView, group: Block): Ingress[] {
  const inline = blocks(group.body.ingress).map((r) => ({
    address: group.address,
    protocol: String(r.protocol),
    from: Number(r.from_port),
    to: Number(r.to_port),
    cidrs: [...(r.cidr_blocks ?? []), ...(r.ipv6_cidr_blocks ?? [])],
  }));
  const legacy = stack
    .resources("aws_security_group_rule")
    .filter((r) => r.body.type === "ingress" && stack.identifies(r.body.security_group_id, group, "id"))
    .map((r) => ({
      address: r.address,
      protocol: String(r.body.protocol),
      from: Number(r.body.from_port),
      to: Number(r.body.to_port),
      cidrs: [...(r.body.cidr_blocks ?? []), ...(r.body.ipv6_cidr_blocks ?? [])],
    }));
  const modern = stack
    .resources("aws_vpc_security_group_ingress_rule")
    .filter((r) => stack.identifies(r.body.security_group_id, group, "id"))
    .map((r) => ({
      address: r.address,
      protocol: String(r.body.ip_protocol),
      from: Number(r.body.from_port),
      to: Number(r.body.to_port),
      cidrs: [r.body.cidr_ipv4, r.body.cidr_ipv6].filter((c): c is string => typeof c === "string"),
    }));
  return [...inline, ...legacy, ...modern];
}

export const endpointSecurityGroup: Rule = {
  id: "APIGW-VPCE-SG",
  severity: "error",
  message: "The execute-api endpoint's security group must let in only TCP 443, and not from 0.0.0.0/0 or ::/0",
  explanation:
    "The endpoint serves HTTPS only; any other open port is attack surface, and an internet-wide range on a private API's endpoint defeats the point of a private API. Allow TCP 443 from the ranges that call the API.",
  equivalents: { checkov: ["CKV_AWS_260", "CKV_AWS_277"], securityHub: ["EC2.18"], trivy: ["AVD-AWS-0107"] },
  references: [],
  check: (stack) => {
    const endpoints = stack.resources("aws_vpc_endpoint").filter((e) => typeof e.body.service_name === "string" && e.body.service_name.endsWith(".execute-api"));
    const groups = endpoints.flatMap((e) => [].concat(e.body.security_group_ids ?? []).map((id) => stack.referenced(id, "aws_security_group")).filter((g): g is Block => g !== undefined));
    return [...new Set(groups)].flatMap((group) =>
      ingressOf(stack, group).flatMap((rule) => {
        const problems = [
          ...(rule.protocol === "tcp" || rule.protocol === "6" ? [] : [`protocol ${rule.protocol}`]),
          ...(rule.from === 443 && rule.to === 443 ? [] : [`ports ${rule.from}-${rule.to}`]),
          ...rule.cidrs.filter((c) => OPEN.includes(c)).map((c) => `source ${c}`),
        ];
        return problems.length ? [{ address: rule.address, detail: problems.join(", ") }] : [];
      }),
    );
  },
};
