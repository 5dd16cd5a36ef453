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

/** Moves a resource's state from the construct id it had before, when that id differs from its own. */
export function movedFrom(resource: TerraformResource, formerId: string): void {
  if (formerId === resource.node.id || !resource.node.scope) return;
  resource.moveFromId(addressUnder(resource.node.scope, resource.terraformResourceType, formerId));
}

const forgotten = new WeakMap<TerraformStack, string[]>();

/**
 * A `removed` block with `destroy = false` (Terraform >= 1.7): when the configuration no longer
 * has a resource at `address`, Terraform forgets the object instead of destroying it. An address
 * not in the state is left alone, so the block is safe in stacks that never had the resource.
 */
export function forgetWithoutDestroying(scope: Construct, address: string): void {
  const stack = TerraformStack.of(scope);
  const addresses = forgotten.get(stack) ?? [];
  if (addresses.includes(address)) return;
  addresses.push(address);
  forgotten.set(stack, addresses);
  stack.addOverride("removed", addresses.map((from) => ({ from, lifecycle: { destroy: false } })));
}
