#!/usr/bin/env bash
# Starts a Terraform Cloud run of the stack in directory $1 (its cdk.tf.json names the workspace)
# without confirming it: the workspace's own auto-apply setting decides, or a member of a team
# with apply access confirms it in Terraform Cloud. The token needs only "queue plans" on the
# workspace. Workspaces with local execution plan and apply here instead.
# Env: TF_TOKEN_app_terraform_io; STACK (for messages). API: developer.hashicorp.com/terraform/cloud-docs/api-docs/run
set -euo pipefail
dir=$1
host=$(jq -r '.terraform.cloud.hostname // "app.terraform.io"' "$dir/cdk.tf.json")
org=$(jq -r '.terraform.cloud.organization' "$dir/cdk.tf.json")
workspace=$(jq -r '.terraform.cloud.workspaces.name' "$dir/cdk.tf.json")
# Terraform's own naming (CLI configuration, "Environment variable credentials"): dots become
# underscores and hyphens double underscores, so app-terraform.io is not app.terraform.io.
token_var=$(sed -e 's/-/__/g' -e 's/\./_/g' <<<"TF_TOKEN_$host")
token=${!token_var:?"$token_var is not set: the stack's GitHub environment needs the secret TF_APPLY_TOKEN"}
api() { curl -sSf -H "Authorization: Bearer $token" -H "Content-Type: application/vnd.api+json" "$@"; }

ws=$(api "https://$host/api/v2/organizations/$org/workspaces/$workspace")
if [ "$(jq -r '.data.attributes."execution-mode"' <<< "$ws")" = "local" ]; then
  terraform -chdir="$dir" init -input=false -no-color
  terraform -chdir="$dir" apply -input=false -no-color -auto-approve
  exit 0
fi
ws_id=$(jq -r '.data.id' <<< "$ws")
cv=$(api -X POST "https://$host/api/v2/workspaces/$ws_id/configuration-versions" \
  -d '{"data":{"type":"configuration-versions","attributes":{"auto-queue-runs":false}}}')
tarball=$(mktemp --suffix=.tar.gz)
tar -czf "$tarball" -C "$dir" .
curl -sSf -X PUT -H "Content-Type: application/octet-stream" --data-binary @"$tarball" "$(jq -r '.data.attributes."upload-url"' <<< "$cv")"
rm -f "$tarball"
run=$(api -X POST "https://$host/api/v2/runs" -d "$(jq -n --arg ws "$ws_id" --arg cv "$(jq -r '.data.id' <<< "$cv")" --arg msg "${GITHUB_SERVER_URL:-}/${GITHUB_REPOSITORY:-}/actions/runs/${GITHUB_RUN_ID:-}" \
  '{data:{type:"runs",attributes:{message:$msg},relationships:{workspace:{data:{type:"workspaces",id:$ws}},"configuration-version":{data:{type:"configuration-versions",id:$cv}}}}}')")
run_id=$(jq -r '.data.id' <<< "$run")
echo "::notice::${STACK:-$workspace}: run https://$host/app/$org/workspaces/$workspace/runs/$run_id queued; the workspace applies it itself (auto-apply) or waits for confirmation in Terraform Cloud"
