/** Writes docs/rules.md from the rule definitions. */
import * as fs from "fs";
import { RULES_DOC, rulesMarkdown } from "../policy/docs";
import { ALL_RULES } from "../policy/rules";

fs.mkdirSync("docs", { recursive: true });
fs.writeFileSync(RULES_DOC, rulesMarkdown(ALL_RULES));
console.log(`wrote ${RULES_DOC}`);
