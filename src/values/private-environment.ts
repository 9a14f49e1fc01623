// The Postman environment `tokenman build` writes for a variant, filled from the vendor's credentials
// file, for the user to import into their own Postman (`tokenman environment`). It holds secrets, so
// it goes where git ignores it (`.tokenman/`), readable by the user only, whole or not at all. Nothing
// here prints: the result says what was written, what to tell the user and what to warn them of.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { type CommandInput, checkOutputFile } from '../emit/output-path.js';
import { committable, PRIVATE_FOLDER } from '../emit/private-output-path.js';
import { ensurePrivateFolder, writePrivateFile } from '../emit/write-private-file.js';
import { planSpec } from '../plan/plan-spec.js';
import { loadSpecs } from '../spec/load-specs.js';
import { countErrors, type Problem } from '../spec/problem.js';
import { fillTemplate, templateVariables } from '../spec/template.js';
import type { Spec, VariantDef } from '../spec/types.js';
import { buildOutputReason } from '../targets/build-output-folder.js';
import { canonicalJson } from '../targets/canonical-json.js';
import { collectionFileName, ENVIRONMENT_SUFFIX, environmentFileName } from '../targets/output-files.js';
import { generateEnvironment } from '../targets/postman/generate-environment.js';
import { credentialFills, fillKey } from './credential-values.js';
import { withValues } from './environment-fill.js';
import { isPemText, unescapePem } from './pem-text.js';
import { readCredentialsFile } from './read-credentials-file.js';

/** `out` of this value: the environment goes to standard output, for a pipe or a secrets manager. */
export const TO_STDOUT = '-';

export interface PrivateEnvironmentRequest {
  specFile: string;
  /** The variant's key; required when the spec has variants. */
  variant?: string | undefined;
  /** The vendor's JSON credentials file. */
  credentials: string;
  /** Values over the credentials file's (`--env-var`). */
  values: Record<string, string>;
  /** A file, a folder to write into, `-` for standard output, or undefined for `.tokenman/`. */
  out?: string | undefined;
  /** The build's output folder, which never receives a secret. */
  dist: string;
}

export type PrivateEnvironmentResult =
  /** The user's mistake, as one sentence that names the flag or file and what would be valid. */
  | { error: string }
  /** The spec or the credentials file does not hold what the environment needs. */
  | { problems: Problem[] }
  | {
      /** The environment's JSON, when it goes to standard output. */
      stdout?: string;
      /** The files written, each readable by the user only. */
      written: string[];
      /** What the user needs to know next: where to import, what is still empty. */
      notes: string[];
      /** What may put a secret at risk, or left the client certificate out. */
      warnings: string[];
    };

function chooseVariant(spec: Spec, key: string | undefined): VariantDef | { error: string } {
  const keys = spec.variants.map((v) => v.key).filter(Boolean);
  if (keys.length === 0) {
    if (key !== undefined)
      return { error: `--variant ${key}: ${spec.file} has no variants; leave --variant out` };
    return spec.variants[0] as VariantDef;
  }
  const variant = spec.variants.find((v) => v.key === key);
  if (variant) return variant;
  const given = key === undefined ? `${spec.file} has variants` : `${spec.file} has no variant "${key}"`;
  return { error: `${given}; choose one with --variant ${keys.join(' | ')}` };
}

/** `host` and `port` of the token endpoint, as Postman's certificate settings ask for them. */
function hostAndPort(url: string): { host: string; port: string } | undefined {
  try {
    const parsed = new URL(url);
    return { host: parsed.hostname, port: parsed.port || (parsed.protocol === 'http:' ? '80' : '443') };
  } catch {
    return undefined;
  }
}

function pem(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Where the environment goes: .tokenman/<name>, <folder>/<name> for a folder, or the path given. */
async function targetOf(out: string | undefined, name: string): Promise<string> {
  if (out === undefined) return path.join(PRIVATE_FOLDER, name);
  const isFolder = (await stat(out).catch(() => undefined))?.isDirectory();
  return isFolder ? path.join(out, name) : out;
}

/** The client certificate's .pem files beside the environment file. */
function pemFilesOf(target: string): { crtFile: string; keyFile: string } {
  const base = target.endsWith(ENVIRONMENT_SUFFIX)
    ? target.slice(0, -ENVIRONMENT_SUFFIX.length)
    : target.replace(/\.json$/, '');
  return { crtFile: `${base}.certificate.pem`, keyFile: `${base}.key.pem` };
}

type ClientCertificate =
  | { crt: string; key: string; escaped: boolean }
  | { missing: true }
  | { notPem: string }
  | undefined;

/** The variant's client certificate and key as PEM files need them, or why there are none. */
function clientCertificateOf(variant: VariantDef, values: Record<string, string>): ClientCertificate {
  const certificate = variant.token.clientCertificate;
  if (!certificate) return undefined;
  const fill = (template: string) => fillTemplate(template, (ref) => values[ref.name] ?? '').trim();
  const given = { crt: fill(certificate.certificate), key: fill(certificate.key) };
  if (!given.crt || !given.key) return { missing: true };
  const crt = unescapePem(given.crt);
  const key = unescapePem(given.key);
  for (const [template, text] of [
    [certificate.certificate, crt],
    [certificate.key, key],
  ] as const) {
    if (!isPemText(text)) return { notPem: templateVariables(template)[0] ?? template };
  }
  return { crt, key, escaped: crt !== given.crt || key !== given.key };
}

/** What the user is told of the client certificate, once the files are (or are not) written. */
function certificateNotes(
  certificate: ClientCertificate,
  pems: { crtFile: string; keyFile: string } | undefined,
  tokenUrl: string,
): { notes: string[]; warnings: string[] } {
  if (!certificate) return { notes: [], warnings: [] };
  if ('crt' in certificate && pems) {
    const at = hostAndPort(tokenUrl);
    const where = at ? `Host ${at.host}, Port ${at.port}` : 'the host and port of the token URL';
    return {
      notes: [
        `wrote ${pems.crtFile} and ${pems.keyFile} (readable by you only), the client certificate of mutual TLS${certificate.escaped ? ', with real line breaks where the credentials file has \\n' : ''}`,
        `in Postman: Settings → Certificates → Add Certificate: ${where}, CRT file ${path.resolve(pems.crtFile)}, KEY file ${path.resolve(pems.keyFile)}`,
      ],
      warnings: [],
    };
  }
  if ('crt' in certificate)
    return {
      notes: [
        'the client certificate and key are not written with --out -: leave --out out to get them as .pem files for Postman',
      ],
      warnings: [],
    };
  if ('notPem' in certificate)
    return {
      notes: [],
      warnings: [
        `${certificate.notPem} is not PEM text (-----BEGIN …----- to its END line), so no .pem files were written: Postman takes only PEM; give the certificate and key of the credentials file`,
      ],
    };
  return {
    notes: [
      'the token request needs a client certificate, and the credentials file and --env-var give none; add it in Postman under Settings → Certificates',
    ],
    warnings: [],
  };
}

/**
 * The variant's environment, filled with the credentials file's values and `values` over them,
 * written to `out` (with the client certificate's .pem files beside it) or returned for standard
 * output. Every file is checked before any is written, so a refusal leaves nothing half done.
 */
export async function writePrivateEnvironment(
  request: PrivateEnvironmentRequest,
): Promise<PrivateEnvironmentResult> {
  const { specs, problems } = await loadSpecs([request.specFile]);
  const spec = specs[0];
  if (countErrors(problems) || !spec) return { problems };
  const variant = chooseVariant(spec, request.variant);
  if ('error' in variant) return variant;
  const credentials = await readCredentialsFile(request.credentials);
  if ('error' in credentials) return credentials;
  const found = credentialFills([{ spec, variant }], credentials, () => new Set(Object.keys(request.values)));
  if (found.problems.length) return { problems: found.problems };
  const values = { ...found.fills.get(fillKey(spec, variant))?.values, ...request.values };
  const variantPlan = planSpec(spec).variants.find((planned) => planned.key === variant.key);
  if (!variantPlan) throw new Error(`spec ${spec.id} has no variant ${variant.key}`);
  const environment = withValues(generateEnvironment(spec, variantPlan), values);
  const text = canonicalJson(environment);
  const certificate = clientCertificateOf(variant, values);
  const toStdout = request.out === TO_STDOUT;
  const notes: string[] = [];
  const written: string[] = [];
  let pems: { crtFile: string; keyFile: string } | undefined;

  if (!toStdout) {
    const target = await targetOf(request.out, environmentFileName(spec, variant));
    const dir = path.dirname(target);
    const refused = await buildOutputReason(dir, request.dist);
    if (refused)
      return {
        error: `--out ${target} ${refused}, which is committed and shared; give a path outside it, or leave --out out to write into ${PRIVATE_FOLDER}/`,
      };
    pems = certificate && 'crt' in certificate ? pemFilesOf(target) : undefined;
    // What this command reads is never written over: the vendor's key file may not be downloadable twice.
    const inputs: CommandInput[] = [
      { flag: '--credentials', path: request.credentials },
      { flag: 'the spec', path: request.specFile },
    ];
    for (const file of [target, ...(pems ? [pems.crtFile, pems.keyFile] : [])])
      await checkOutputFile(file, inputs);
    // tokenman's own folder ignores itself; a folder the user names is only made where missing. Own
    // by its name, not by where it leads: `.tokenman -> .` must not make the current folder private.
    await ensurePrivateFolder(dir, path.resolve(dir) === path.resolve(PRIVATE_FOLDER));
    await writePrivateFile(target, text);
    written.push(target);
    notes.push(
      `wrote ${target} (readable by you only): import it into Postman with ${path.join(request.dist, collectionFileName(spec))}, select it, and delete it when you no longer need it`,
    );
  }

  // What the file and --env-var left empty, for the user to fill in Postman (DeploymentId is in no key).
  const required = new Set(spec.variables.filter((v) => !v.optional).map((v) => v.name));
  const empty = environment.values.filter((v) => required.has(v.key) && v.value === '').map((v) => v.key);
  if (empty.length) notes.push(`still empty, to fill in Postman: ${empty.join(', ')}`);

  if (certificate && 'crt' in certificate && pems) {
    await writePrivateFile(pems.crtFile, pem(certificate.crt));
    await writePrivateFile(pems.keyFile, pem(certificate.key));
    written.push(pems.crtFile, pems.keyFile);
  }
  const tokenUrl = fillTemplate(variant.token.url, (ref) => values[ref.name] ?? '');
  const told = certificateNotes(certificate, pems, tokenUrl);
  notes.push(...told.notes);
  const warnings = [...told.warnings];
  for (const file of written) {
    if (await committable(file))
      warnings.push(
        `${file} holds secrets and git would commit it; add it to .gitignore, or leave --out out to write into ${PRIVATE_FOLDER}/`,
      );
  }
  return { ...(toStdout ? { stdout: text } : {}), written, notes, warnings };
}
