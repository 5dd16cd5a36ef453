/**
 * Real Terraform in the loop: the shared library of `npm run validate`, `npm run test:terraform`
 * and the day-2 plans. Pure parts (override generation, classification) need no terraform; the
 * rest shells out to the `terraform` on PATH. This API is shared: add to it, do not rename.
 *
 *   providers (provider.ts)
 *     requiredProviders(stackJson)            -> ProviderRequirement[] (local name, full source, pinned version)
 *     normalizeSource("aws")                  -> "registry.terraform.io/hashicorp/aws"
 *     platformDir()                           -> "linux_amd64" (Terraform's os_arch of this machine)
 *     scanMirror(dir)                         -> Mirror | undefined (which providers and versions a mirror holds)
 *     findMirror({ mirror?, env? })           -> Mirror | undefined (--mirror DIR, then APIGW_TF_MIRROR, then the
 *                                                usual places: /opt/tf-plugins, Terraform's implied mirror dirs, /opt/*)
 *     newestVersion(mirror, source)           -> the newest version the mirror has of a provider
 *     resolveAwsVersion(option, pinned, mirror) -> the version to check against ("mirror" = newest in the mirror)
 *     cliConfigText({ mirror?, pluginCacheDir }) -> a CLI configuration (filesystem_mirror, direct without the
 *                                                mirrored providers, plugin_cache_dir)
 *     prepareTerraformEnv({ root, mirror? })  -> TerraformEnv: writes that configuration under root and returns the
 *                                                env to run terraform with (TF_CLI_CONFIG_FILE always set)
 *   scratch copies (scratch.ts)
 *     overridesFor(stackJson, { awsVersion? }) -> the override file's JSON (pinned versions, region: null on < 6,
 *                                                local backend in the scratch directory)
 *     prepareScratch(stackDir, scratchDir, { awsVersion?, files? }) -> Scratch (copies cdk.tf.json and assets,
 *                                                writes zz_apigw_override.tf.json and any extra files)
 *     regionArguments(stackJson)              -> the resources and data sources that set `region`
 *     listStacks(outdir)                      -> the stack names of a cdktf output directory
 *   running (run.ts)
 *     findTerraform(env?)                     -> { path, version } | undefined
 *     runTerraform(args, { cwd, env, timeoutMs? }) -> TerraformRun (status, stdout, stderr, seconds)
 *     firstError(output)                      -> terraform's first "Error:" line with its detail
 *     terraformParallelism(env?)              -> APIGW_TF_PARALLELISM, default 2
 *     initFailureKind(output)                 -> "providers" when the providers could not be installed, else "error"
 *     parallelMap(items, limit, fn)           -> runs fn over items, at most limit at a time
 *     resultTable(headers, rows)              -> a plain text table
 */
export * from "./provider";
export * from "./scratch";
export * from "./run";
