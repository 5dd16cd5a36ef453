import { Lazy, Token } from "cdktf";

/**
 * A literal string as Terraform must read it inside a configuration string: `${` and `%{`
 * start an interpolation or a directive there, `$${` and `%%{` are the literal characters.
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences
 */
export function terraformLiteral(text: string): string {
  return text.replace(/([$%])\{/g, (_match, sigil: string) => `${sigil}${sigil}{`);
}

/** How cdktf writes a string token into a string (`BEGIN_STRING_TOKEN_MARKER` ... `END_TOKEN_MARKER`). */
const STRING_TOKEN = /\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;

/**
 * A long text with tokens in it (an OpenAPI document with references), resolved in time linear
 * in its length. Once a string holds a token, cdktf's tokenizer rescans the rest of it at every
 * `}`, so a 1,000-route document took seconds per resolution; here each token is resolved on its
 * own and spliced in, which gives the same text.
 */
export function linearlyResolved(text: string): string {
  if (!Token.isUnresolved(text)) return text;
  return Lazy.stringValue({ produce: (context) => text.replace(STRING_TOKEN, (marker) => `${context.resolve(marker)}`) });
}
