// `tokenman environment`: the Postman environment `tokenman build` writes for a variant, filled from
// the vendor's credentials file, for the user to import into their own Postman. It holds secrets, so
// it goes where git ignores it (`.tokenman/`), readable by the user only, whole or not at all.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  buildOutputReason,
  committable,
  PRIVATE_FOLDER,
  resolveReal,
} from '../../emit/private-output-path.js';
import { ensurePrivateFolder, writePrivateFile } from '../../emit/write-private-file.js';
import { planSpec } from '../../plan/plan-spec.js';
import { loadSpecs } from '../../spec/load-specs.js';
import { fillTemplate } from '../../spec/template.js';
import type { Spec, VariantDef } from '../../spec/types.js';
import { canonicalJson } from '../../targets/canonical-json.js';
import { collectionFileName, ENVIRONMENT_SUFFIX, environmentFileName } from '../../targets/output-files.js';
import { generateEnvironment } from '../../targets/postman/generate-environment.js';
import { credentialFills, fillKey } from '../../values/credential-values.js';
import { withValues } from '../../values/environment-fill.js';
import { parseEnvVarFlags } from '../../values/environment-values.js';
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

  const name = environmentFileName(spec, variant);
  const outIsFolder =
    flags.out !== undefined && (await stat(flags.out).catch(() => undefined))?.isDirectory();
  const target =
    flags.out === undefined
      ? path.join(PRIVATE_FOLDER, name)
      : outIsFolder
        ? path.join(flags.out, name)
        : flags.out;
  const dir = path.dirname(target);
  const refused = await buildOutputReason(dir, flags.dist);
  if (refused) {
    throw new UsageError(
      `--out ${target} ${refused}, which is committed and shared; give a path outside it, or leave --out out to write into ${PRIVATE_FOLDER}/`,
    );
  }
  // tokenman's own folder ignores itself; a folder the user names is only made where missing.
  const own = (await resolveReal(dir)) === (await resolveReal(PRIVATE_FOLDER));
  await ensurePrivateFolder(dir, own);

  const variantPlan = planSpec(spec).variants.find((planned) => planned.key === variant.key);
  if (!variantPlan) throw new Error(`spec ${spec.id} has no variant ${variant.key}`);
  const environment = withValues(generateEnvironment(spec, variantPlan), values);
  await writePrivateFile(target, canonicalJson(environment));
  const written = [target];
  const lines = [
    `wrote ${target} (readable by you only): import it into Postman with ${path.join(flags.dist, collectionFileName(spec))}, select it, and delete it when you no longer need it`,
  ];

  // What the file and --env-var left empty, for the user to fill in Postman (DeploymentId is in no key).
  const required = new Set(spec.variables.filter((v) => !v.optional).map((v) => v.name));
  const empty = environment.values.filter((v) => required.has(v.key) && v.value === '').map((v) => v.key);
  if (empty.length) lines.push(`still empty, to fill in Postman: ${empty.join(', ')}`);

  const certificate = variant.token.clientCertificate;
  if (certificate) {
    const fill = (template: string) => fillTemplate(template, (ref) => values[ref.name] ?? '');
    const crt = fill(certificate.certificate);
    const key = fill(certificate.key);
    if (crt && key) {
      const base = target.endsWith(ENVIRONMENT_SUFFIX)
        ? target.slice(0, -ENVIRONMENT_SUFFIX.length)
        : target.replace(/\.json$/, '');
      const crtFile = `${base}.certificate.pem`;
      const keyFile = `${base}.key.pem`;
      await writePrivateFile(crtFile, pem(crt));
      await writePrivateFile(keyFile, pem(key));
      written.push(crtFile, keyFile);
      const at = hostAndPort(fill(variant.token.url));
      const where = at ? `Host ${at.host}, Port ${at.port}` : 'the host and port of the token URL';
      lines.push(
        `wrote ${crtFile} and ${keyFile} (readable by you only), the client certificate of mutual TLS`,
        `in Postman: Settings → Certificates → Add Certificate: ${where}, CRT file ${path.resolve(crtFile)}, KEY file ${path.resolve(keyFile)}`,
      );
    } else {
      lines.push(
        `the token request needs a client certificate, and the credentials file and --env-var give none; add it in Postman under Settings → Certificates`,
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const file of written) {
    if (await committable(file)) {
      process.stderr.write(
        `tokenman: warning: ${file} holds secrets and git would commit it; add it to .gitignore, or leave --out out to write into ${PRIVATE_FOLDER}/\n`,
      );
    }
  }
  return 0;
}
