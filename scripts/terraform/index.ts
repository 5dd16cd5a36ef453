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
 *     providerSetKey(scratch)                 -> a key of the provider versions the copy pins (one schema, one first init per key)
 *   running (run.ts)
 *     findTerraform(env?)                     -> { path, version } | undefined
 *     runTerraform(args, { cwd, env, timeoutMs? }) -> TerraformRun (status, stdout, stderr, seconds)
 *     firstError(output)                      -> terraform's first "Error:" line with its detail
 *     terraformParallelism(env?)              -> APIGW_TF_PARALLELISM, default 2
 *     initFailureKind(output)                 -> "providers" when the providers could not be installed, else "error"
 *     parallelMap(items, limit, fn)           -> runs fn over items, at most limit at a time
 *     resultTable(headers, rows)              -> a plain text table
 *     summarize(name, results, notRunLabel)   -> prints failures and `<name>: N passed, N failed, N not run`; the exit code
 *     runMain(name, main)                     -> runs a CLI's async main: its result is the exit code, an exception one line and 1
 *     optionValue(args, name)                 -> the value after `name` in a CLI's arguments; an option without one throws
 *     outputToCheck(args, outdir)             -> --dir, or the platform synthesized into outdir (undefined when the synth failed)
 *     firstAlone()                            -> gate(key, fn): the first fn per key runs alone, the rest after it
 *                                                (init: Terraform's plugin cache is not safe for concurrent installs)
 *   HCL for *.tftest.hcl (hcl.ts; test files have no JSON form)
 *     hclValue(value) / hclBlock(block) / hclFile(blocks, comment?) -> HCL text; expr("plan") marks an expression
 *     hclString(s)                            -> a quoted string with ${ and %{ escaped (read literally)
 *   mock values from `terraform providers schema -json` (mock.ts)
 *     mockDefaults(ctx, { kind, type }, schemaBlock) -> a mock_resource/mock_data `defaults`: every computed
 *                                                top-level attribute, realistic (ARNs of the type's service,
 *                                                ids, URLs, ACM validation records of type CNAME)
 *     mockValue(ctx, target, path, schemaType) / mockString(ctx, target, path) / mockArn(ctx, target)
 *     schemaOf(schema, source, target)        -> the schema block of a resource or data source type
 *   terraform test files (tftest.ts)
 *     testFile(stackJson, schema, stackName)  -> TestFile: mock_provider per provider configuration (aliases too),
 *                                                the authorizer read-back's override_data, run "plan", run "apply",
 *                                                one expect_failures run per negative case
 *     stackConditions(stackJson)              -> every pre/postcondition, check assert, output precondition, validation
 *     negativeCases(stackJson)                -> { cases, unknown }: a violating override per condition; unknown
 *                                                ones fail the stack (a new condition needs a rule in VIOLATIONS)
 *     authorizerOverrides(stackJson)          -> override_data naming the REST authorizers in document order
 *     preventDestroyOverride(stackJson)       -> the test-only override (TEST_OVERRIDE_FILE) with prevent_destroy off
 *     parseTestOutput(output) / classifyTest(stack, init, test, file) -> per-run statuses, StackTest
 */
export * from "./provider";
export * from "./scratch";
export * from "./run";
export * from "./hcl";
export * from "./mock";
export * from "./tftest";
