// `tokenman environment`: the Postman environment `tokenman build` writes for a variant, filled from
// the vendor's credentials file, for the user to import into their own Postman. It holds secrets, so
// it goes where git ignores it (`.tokenman/`), readable by the user only, whole or not at all.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { type CommandInput, checkOutputFile } from '../../emit/output-path.js';
import { buildOutputReason, committable, PRIVATE_FOLDER } from '../../emit/private-output-path.js';
import { ensurePrivateFolder, writePrivateFile } from '../../emit/write-private-file.js';
import { planSpec } from '../../plan/plan-spec.js';
import { loadSpecs } from '../../spec/load-specs.js';
import { fillTemplate, templateVariables } from '../../spec/template.js';
import type { Spec, VariantDef } from '../../spec/types.js';
import { canonicalJson } from '../../targets/canonical-json.js';
import { collectionFileName, ENVIRONMENT_SUFFIX, environmentFileName } from '../../targets/output-files.js';
import { generateEnvironment } from '../../targets/postman/generate-environment.js';
import { credentialFills, fillKey } from '../../values/credential-values.js';
import { withValues } from '../../values/environment-fill.js';
import { parseEnvVarFlags } from '../../values/environment-values.js';
import { isPemText, unescapePem } from '../../values/pem-text.js';
import { readCredentialsFile } from '../../values/read-credentials-file.js';
import { countErrors, printProblems } from '../print-problems.js';
import { UsageError } from '../usage-error.js';

export interface EnvironmentFlags {
  variant?: string;
  credentials?: string;
  envVar: string[];
  out?: string;
  dist: string;
}

function chooseVariant(spec: Spec, key: string | undefined): VariantDef {
  const keys = spec.variants.map((v) => v.key).filter(Boolean);
  if (keys.length === 0) {
    if (key !== undefined)
      throw new UsageError(`--variant ${key}: ${spec.file} has no variants; leave --variant out`);
    return spec.variants[0] as VariantDef;
  }
  const variant = spec.variants.find((v) => v.key === key);
  if (variant) return variant;
  const given = key === undefined ? `${spec.file} has variants` : `${spec.file} has no variant "${key}"`;
  throw new UsageError(`${given}; choose one with --variant ${keys.join(' | ')}`);
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

/** `--out -`: the environment goes to standard output, for a pipe or a secrets manager. */
const STDOUT = '-';

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

/** The variant's client certificate and key as PEM files need them, or why there are none. */
function clientCertificateOf(
  variant: VariantDef,
  values: Record<string, string>,
): { crt: string; key: string; escaped: boolean } | { missing: true } | { notPem: string } | undefined {
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

export async function environmentCommand(specFile: string, flags: EnvironmentFlags): Promise<number> {
  if (flags.credentials === undefined) {
    throw new UsageError(
      "tokenman environment needs --credentials <file>, your vendor's JSON credentials file; the environment without values is in --dist already",
    );
  }
  const parsed = parseEnvVarFlags(flags.envVar);
  if ('error' in parsed) throw new UsageError(parsed.error);
  const { specs, problems } = await loadSpecs([specFile]);
  const spec = specs[0];
  if (countErrors(problems) || !spec) {
    await printProblems(problems, 'text');
    return 1;
  }
  const variant = chooseVariant(spec, flags.variant);
  const credentials = await readCredentialsFile(flags.credentials);
  if ('error' in credentials) throw new UsageError(credentials.error);
  const found = credentialFills([{ spec, variant }], credentials, () => new Set(Object.keys(parsed.values)));
  if (found.problems.length) {
    await printProblems(found.problems, 'text');
    return 1;
  }
  const values = { ...found.fills.get(fillKey(spec, variant))?.values, ...parsed.values };
  const variantPlan = planSpec(spec).variants.find((planned) => planned.key === variant.key);
  if (!variantPlan) throw new Error(`spec ${spec.id} has no variant ${variant.key}`);
  const environment = withValues(generateEnvironment(spec, variantPlan), values);
  const certificate = clientCertificateOf(variant, values);
  // What this command reads is never written over: the vendor's key file may not be downloadable twice.
  const inputs: CommandInput[] = [
    { flag: '--credentials', path: flags.credentials },
    { flag: 'the spec', path: specFile },
  ];

  const name = environmentFileName(spec, variant);
  const toStdout = flags.out === STDOUT;
  const target = toStdout ? STDOUT : await targetOf(flags.out, name);
  const pems = certificate && 'crt' in certificate && !toStdout ? pemFilesOf(target) : undefined;
  const lines: string[] = [];
  const written: string[] = [];
  if (toStdout) {
    process.stdout.write(canonicalJson(environment));
  } else {
    const dir = path.dirname(target);
    const refused = await buildOutputReason(dir, flags.dist);
    if (refused) {
      throw new UsageError(
        `--out ${target} ${refused}, which is committed and shared; give a path outside it, or leave --out out to write into ${PRIVATE_FOLDER}/`,
      );
    }
    // Every file is checked before any is written, so a refusal leaves nothing half done.
    for (const file of [target, ...(pems ? [pems.crtFile, pems.keyFile] : [])])
      await checkOutputFile(file, inputs);
    // tokenman's own folder ignores itself; a folder the user names is only made where missing. Own
    // by its name, not by where it leads: `.tokenman -> .` must not make the current folder private.
    const own = path.resolve(dir) === path.resolve(PRIVATE_FOLDER);
    await ensurePrivateFolder(dir, own);
    await writePrivateFile(target, canonicalJson(environment));
    written.push(target);
    lines.push(
      `wrote ${target} (readable by you only): import it into Postman with ${path.join(flags.dist, collectionFileName(spec))}, select it, and delete it when you no longer need it`,
    );
  }

  // What the file and --env-var left empty, for the user to fill in Postman (DeploymentId is in no key).
  const required = new Set(spec.variables.filter((v) => !v.optional).map((v) => v.name));
  const empty = environment.values.filter((v) => required.has(v.key) && v.value === '').map((v) => v.key);
  if (empty.length) lines.push(`still empty, to fill in Postman: ${empty.join(', ')}`);

  if (certificate && 'crt' in certificate && pems) {
    await writePrivateFile(pems.crtFile, pem(certificate.crt));
    await writePrivateFile(pems.keyFile, pem(certificate.key));
    written.push(pems.crtFile, pems.keyFile);
    const at = hostAndPort(fillTemplate(variant.token.url, (ref) => values[ref.name] ?? ''));
    const where = at ? `Host ${at.host}, Port ${at.port}` : 'the host and port of the token URL';
    lines.push(
      `wrote ${pems.crtFile} and ${pems.keyFile} (readable by you only), the client certificate of mutual TLS${certificate.escaped ? ', with real line breaks where the credentials file has \\n' : ''}`,
      `in Postman: Settings → Certificates → Add Certificate: ${where}, CRT file ${path.resolve(pems.crtFile)}, KEY file ${path.resolve(pems.keyFile)}`,
    );
  } else if (certificate && 'crt' in certificate) {
    lines.push(
      'the client certificate and key are not written with --out -: leave --out out to get them as .pem files for Postman',
    );
  } else if (certificate && 'notPem' in certificate) {
    process.stderr.write(
      `tokenman: warning: ${certificate.notPem} is not PEM text (-----BEGIN …----- to its END line), so no .pem files were written: Postman takes only PEM; give the certificate and key of the credentials file\n`,
    );
  } else if (certificate) {
    lines.push(
      `the token request needs a client certificate, and the credentials file and --env-var give none; add it in Postman under Settings → Certificates`,
    );
  }
  // With --out - standard output is the environment's alone.
  const say = toStdout ? process.stderr : process.stdout;
  if (lines.length) say.write(`${lines.map((line) => (toStdout ? `tokenman: ${line}` : line)).join('\n')}\n`);
  for (const file of written) {
    if (await committable(file)) {
      process.stderr.write(
        `tokenman: warning: ${file} holds secrets and git would commit it; add it to .gitignore, or leave --out out to write into ${PRIVATE_FOLDER}/\n`,
      );
    }
  }
  return 0;
}
