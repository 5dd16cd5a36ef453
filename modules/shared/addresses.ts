import { TerraformResource, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
// cdktf's own allocator (TerraformStack.allocateLogicalId), so a former address is computed exactly as it was then.
import { makeUniqueId } from "cdktf/lib/private/unique";

/**
 * The Terraform address a resource of `type` had (or would have) at construct path `ids` under
 * `scope`, for `moved` and `removed` blocks that refer to addresses no longer in the configuration.
 */
export function addressUnder(scope: Construct, type: string, ...ids: string[]): string {
  const stack = TerraformStack.of(scope);
  const scopes = scope.node.scopes;
  const components = [...scopes.slice(scopes.indexOf(stack) + 1).map((c) => c.node.id), ...ids];
  return `${type}.${makeUniqueId(components)}`;
}

/**
 * A resource's address as `replace_triggered_by` takes it: a bare reference. cdktf writes a
 * resource given there as "${type.name}", which Terraform refuses (hashicorp/terraform-cdk#3196, #3532).
 */
export function referenceTo(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/**
 * Moves a resource's state from the construct id it had before, when that id differs from its
 * own (a `moved` block, Terraform >= 1.1). Not cdktf's moveFromId: with it, synth runs
 * `terraform version`, and synth needs no terraform.
 */
export function movedFrom(resource: TerraformResource, formerId: string): void {
  if (formerId === resource.node.id || !resource.node.scope) return;
  addBlock(resource, "moved", { from: addressUnder(resource.node.scope, resource.terraformResourceType, formerId), to: referenceTo(resource) });
}

/**
 * A `moved` block between two addresses of `type` under `scope`, the first link of a chain whose
 * last one `movedFrom` writes: Terraform follows chained moves through addresses no longer in
 * the configuration.
 */
export function movedBetween(scope: Construct, type: string, formerId: string, laterId: string): void {
  addBlock(scope, "moved", { from: addressUnder(scope, type, formerId), to: addressUnder(scope, type, laterId) });
}

/**
 * A `removed` block with `destroy = false` (Terraform >= 1.7): when the configuration no longer
 * has a resource at `address`, Terraform forgets the object instead of destroying it. An address
 * not in the state is left alone, so the block is safe in stacks that never had the resource.
 */
export function forgetWithoutDestroying(scope: Construct, address: string): void {
  addBlock(scope, "removed", { from: address, lifecycle: { destroy: false } });
}

const blocks = new WeakMap<TerraformStack, Record<string, object[]>>();

/** Adds a top-level block of the stack's JSON (cdktf has no construct for these). */
function addBlock(scope: Construct, kind: "moved" | "removed", block: { readonly from: string; readonly [key: string]: unknown }): void {
  const stack = TerraformStack.of(scope);
  const byKind = blocks.get(stack) ?? {};
  blocks.set(stack, byKind);
  const list = (byKind[kind] ??= []);
  if (list.some((b) => (b as { from: string }).from === block.from)) return;
  list.push(block);
  stack.addOverride(kind, list);
}
