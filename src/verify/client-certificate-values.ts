import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { scopedEnvName } from '../spec/environment-names.js';
import { fillTemplate, templateVariables } from '../spec/template.js';
import type { Spec, VariantDef } from '../spec/types.js';
import { unescapePem } from '../values/pem-text.js';
import type { ClientTls } from './client-certificate-files.js';
import { usesClientCertificate } from './local-credentials.js';

function variableIn(template: string): string {
  return templateVariables(template)[0] ?? template;
}

/**
 * The client certificate a real-vendor run presents, read from the values the user gave (an
 * environment file, TOKENMAN_* variables, --env-var). Nothing is sent for a variant whose
 * certificate or key is missing or is not PEM: the run fails with one sentence naming the variable,
 * never its value. Undefined for a variant without mutual TLS.
 */
export function clientTlsFromValues(
  spec: Spec,
  variant: VariantDef,
  values: Record<string, string>,
  host: string,
): { tls: ClientTls } | { problem: string } | undefined {
  if (!usesClientCertificate(variant)) return undefined;
  const which = variant.key ? `variant "${variant.key}" of ${spec.file}` : spec.file;
  const certificate = variant.token.clientCertificate;
  if (!certificate) {
    return {
      problem: `${which} uses clientAuth tls, but its token has no clientCertificate, so tokenman verify has no certificate to present: add clientCertificate: { certificate: "{{Certificate}}", key: "{{PrivateKey}}" } to it`,
    };
  }
  const resolve = (template: string) =>
    unescapePem(fillTemplate(template, (ref) => values[ref.name] ?? '').trim());
  const where = (name: string) =>
    `set it in the environment file (-e), with --env-var ${name}=… or in ${scopedEnvName(spec.id, name)}`;

  const certName = variableIn(certificate.certificate);
  const keyName = variableIn(certificate.key);
  const cert = resolve(certificate.certificate);
  const key = resolve(certificate.key);
  for (const [name, value, what] of [
    [certName, cert, 'PEM certificate'],
    [keyName, key, 'PEM private key'],
  ] as const) {
    if (value === '') {
      return {
        problem: `${which} uses mutual TLS, but ${name} (its ${what}) has no value, so nothing was sent: ${where(name)}`,
      };
    }
  }
  let parsed: X509Certificate;
  try {
    parsed = new X509Certificate(cert);
  } catch {
    return {
      problem: `${certName} of ${which} is not a PEM certificate: it must start with -----BEGIN CERTIFICATE----- (the certificate field of the service key)`,
    };
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    const encrypted = /passphrase|encrypted/i.test((error as Error).message) || key.includes('ENCRYPTED');
    return {
      problem: encrypted
        ? `${keyName} of ${which} is an encrypted private key, which tokenman verify cannot use: decrypt it first (openssl pkey -in key.pem -out plain.pem)`
        : `${keyName} of ${which} is not a PEM private key: it must start with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY----- (the key field of the service key)`,
    };
  }
  if (!parsed.checkPrivateKey(privateKey)) {
    return {
      problem: `${keyName} of ${which} is not the private key of the certificate in ${certName}: take both from the same service key`,
    };
  }
  return { tls: { cert, key, host } };
}
