import * as fs from "fs";
import * as path from "path";
import { X509Certificate } from "crypto";
import { ConfigError } from "./errors";

export interface TruststoreFile {
  /** The bundle as uploaded: API Gateway reads PEM. */
  readonly pem: string;
  /** Each certificate's subject and end of validity, in file order. */
  readonly certificates: readonly { readonly subject: string; readonly notAfter: Date }[];
  /** One line per certificate that expires within the warning period. */
  readonly warnings: readonly string[];
}

const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const DAY_MS = 86_400_000;

/**
 * Reads a mutual TLS truststore of the repository (`file` from `projectDir`) and checks what
 * API Gateway would refuse at apply, or what would lock clients out later: a bundle without
 * certificates, one that does not parse, one that has expired (API Gateway only warns of it). Certificates that expire within
 * `warningDays` are warnings: clients whose chain ends there are refused from that day on.
 */
export function readTruststore(projectDir: string, setting: string, file: string, warningDays: number, now: Date = new Date()): TruststoreFile {
  let pem: string;
  try {
    pem = fs.readFileSync(path.join(projectDir, file), "utf8");
  } catch {
    throw new ConfigError([`${setting}: got "${file}"; no such file in the repository (paths are from its root, such as config/truststores/partners.pem)`]);
  }
  const blocks = pem.match(CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new ConfigError([`${setting}: ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----); API Gateway refuses such a truststore`]);
  const certificates = blocks.map((block, i) => {
    try {
      const certificate = new X509Certificate(block);
      return { subject: certificate.subject.replace(/\n/g, ", "), notAfter: new Date(certificate.validTo) };
    } catch {
      throw new ConfigError([`${setting}: certificate ${i + 1} of ${file} does not parse as X.509`]);
    }
  });
  const expired = certificates.filter((c) => c.notAfter.getTime() <= now.getTime());
  if (expired.length) {
    throw new ConfigError(expired.map((c) => `${setting}: ${file} holds "${c.subject}", which expired on ${day(c.notAfter)}; API Gateway would only warn (truststoreWarnings) and refuse every client whose chain ends there: renew or remove it`));
  }
  const warnings = certificates
    .filter((c) => c.notAfter.getTime() - now.getTime() < warningDays * DAY_MS)
    .map((c) => `${setting}: "${c.subject}" in ${file} expires on ${day(c.notAfter)}, in ${Math.ceil((c.notAfter.getTime() - now.getTime()) / DAY_MS)} days; add its successor to the bundle before then`);
  return { pem, certificates, warnings };
}

const day = (date: Date) => date.toISOString().slice(0, 10);
