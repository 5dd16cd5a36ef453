/**
 * A literal string as Terraform must read it inside a configuration string: `${` and `%{`
 * start an interpolation or a directive there, `$${` and `%%{` are the literal characters.
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences
 */
export function terraformLiteral(text: string): string {
  return text.replace(/([$%])\{/g, (_match, sigil: string) => `${sigil}${sigil}{`);
}
