import { RESERVED_VARIABLES } from '../spec/reserved-variables.js';
import { isSecretName } from '../spec/secret-names.js';
import type { Variable } from '../spec/spec-input.generated.js';

// Turns the values of a pasted command into spec templates: every shell variable (`$CLIENT_ID`),
// documentation placeholder (`<clientid>`, `{your_client_id}`, `~PASSWORD FROM CSV~`, `%ID%`) and
// Postman variable (`{{ClientId}}`) becomes a declared {{Variable}}; credentials become variables
// even when written out, and secrets written out are dropped rather than kept.

const PIECE =
  /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\{\{([A-Za-z][A-Za-z0-9_]*)\}\}|<([^<>]+)>|\{([^{}]+)\}|~([^~]+)~|%([A-Za-z_][A-Za-z0-9_]*)%/g;

/** A field's part in the token request, which names and describes its variable. */
export interface Role {
  /** The variable a whole-value placeholder or a written-out credential becomes. */
  variable: string;
  description: string;
  secret?: boolean;
  /** Written-out values become this variable's default rather than staying inline. */
  credential?: boolean;
  /** A whole-value placeholder names the variable (`<tenant id>` → TenantId), not the role. */
  namedByPlaceholder?: boolean;
  /** What notes call it: "client secret", "X-Api-Key header". */
  label?: string;
}

export const ROLES = {
  clientId: { variable: 'ClientId', description: 'OAuth client id', credential: true },
  clientSecret: {
    variable: 'ClientSecret',
    description: 'OAuth client secret',
    secret: true,
    credential: true,
    label: 'client secret',
  },
  username: { variable: 'Username', description: 'User name for the password grant', credential: true },
  password: {
    variable: 'Password',
    description: 'Password for the password grant',
    secret: true,
    credential: true,
    label: 'password',
  },
  scope: { variable: 'Scope', description: 'Scopes to request, separated by spaces' },
  privateKey: {
    variable: 'PrivateKey',
    description: 'PEM private key that signs the assertion',
    secret: true,
    credential: true,
    label: 'private key',
  },
  keyId: {
    variable: 'KeyId',
    description: 'kid header of the assertion: the id under which the vendor registered the key',
    credential: true,
  },
  certificate: {
    variable: 'Certificate',
    description: 'PEM certificate of the key: its thumbprint goes in the header of the assertion',
  },
  clientCertificate: {
    variable: 'Certificate',
    description:
      'PEM client certificate (with its chain) for mutual TLS: tokenman verify sends it; Postman takes it from Settings → Certificates',
  },
  clientKey: {
    variable: 'PrivateKey',
    description: 'PEM private key of the client certificate',
    secret: true,
    credential: true,
    label: 'private key',
  },
  issuer: {
    variable: 'Issuer',
    description:
      "iss claim of the assertion: who it is from (Google: the service account's client_email; Salesforce: the consumer key)",
  },
} satisfies Record<string, Role>;

export function parameterRole(name: string): Role {
  return {
    variable: pascalCase(name),
    description: `The ${name} token parameter`,
    namedByPlaceholder: true,
    ...(isSecretName(name) ? { secret: true, credential: true, label: `${name} parameter` } : {}),
  };
}

export function headerRole(name: string): Role {
  return {
    variable: pascalCase(name),
    description: `The ${name} header of the token request`,
    namedByPlaceholder: true,
    ...(isSecretName(name) ? { secret: true, credential: true, label: `${name} header` } : {}),
  };
}

export const PATH_ROLE: Role = {
  variable: 'PathPart',
  description: "The token endpoint's path",
  namedByPlaceholder: true,
};

export class VariableBook {
  readonly variables: Record<string, Variable> = {};
  readonly notes: string[] = [];
  /** Each variable made from a placeholder, and that placeholder as the command wrote it. */
  readonly placeholders: Record<string, string> = {};
  /** Which placeholder each variable came from, so one placeholder used twice is one variable. */
  readonly #origins = new Map<string, string>();

  constructor(
    private readonly sourceLabel: string,
    /** Say which variables were added because the command lacked them. */
    private readonly noteAdded = true,
  ) {}

  /** Declares a variable (or finds the one this origin already made) and returns its name. */
  declare(wanted: string, origin: string, variable: Variable): string {
    let name = safeName(wanted);
    for (let n = 2; this.#origins.has(name) && this.#origins.get(name) !== origin; n += 1) {
      name = `${safeName(wanted)}${n}`;
    }
    if (!this.#origins.has(name)) {
      this.#origins.set(name, origin);
      this.variables[name] = variable;
    } else if (variable.secret) {
      // A placeholder used both as a secret and otherwise is a secret.
      const existing = this.variables[name] as Variable;
      delete existing.default;
      existing.secret = true;
    }
    return name;
  }

  /**
   * The template a value becomes. Placeholders become variables; a written-out credential becomes
   * its role's variable, with the value as default unless it is a secret, which is never kept.
   */
  template(value: string, role: Role): string {
    const pieces = [...value.matchAll(PIECE)];
    const whole = pieces.length === 1 && pieces[0]?.[0] === value;
    if (whole || (role.secret && pieces.length > 0 && !isOnlyPieces(value))) {
      // One placeholder, or a secret with some of it written out: one variable for all of it.
      const origin = whole ? (pieces[0]?.[0] ?? value) : value;
      const postman = whole ? pieces[0]?.[2] : undefined;
      const placeholderName = whole && role.namedByPlaceholder ? pascalCase(innerText(pieces[0])) : '';
      const name = this.declare(postman ?? (placeholderName || role.variable), origin, {
        description: this.describe(role.description, whole ? origin : undefined),
        ...(role.secret ? { secret: true } : {}),
      });
      if (whole) this.placeholders[name] = origin;
      else
        this.notes.push(`${name} stands for the whole value the command gave; enter it in your environment`);
      return `{{${name}}}`;
    }
    if (pieces.length === 0) {
      if (!role.credential) return value;
      // An empty credential (`-d client_id=`, `-u :secret`) is one each user fills in.
      if (value === '') {
        const name = this.declare(role.variable, role.variable, {
          description: role.description,
          ...(role.secret ? { secret: true } : {}),
        });
        return `{{${name}}}`;
      }
      if (role.secret) {
        const name = this.declare(role.variable, role.variable, {
          description: role.description,
          secret: true,
        });
        this.notes.push(
          `the ${role.label ?? name} written in the command was left out: ${name} is a secret variable; each user enters it in their environment`,
        );
        return `{{${name}}}`;
      }
      const name = this.declare(role.variable, role.variable, {
        description: role.description,
        default: value,
      });
      return `{{${name}}}`;
    }
    // Placeholders inside a longer value (`<admin/provider>/<realm>`): one variable each.
    return value.replace(
      PIECE,
      (piece, shell?: string, postman?: string, ...texts: Array<string | undefined>) => {
        const text = shell ?? postman ?? texts.slice(0, 4).find((t) => t !== undefined) ?? piece;
        const name = this.declare(postman ?? (pascalCase(text) || role.variable), piece, {
          description: this.describe(`Part of the ${role.description.replace(/^The /, '')}`, piece),
          ...(role.secret ? { secret: true } : {}),
        });
        this.placeholders[name] = piece;
        return `{{${name}}}`;
      },
    );
  }

  /**
   * The variable for the part of a URL users point at their tenant: the written-out origin is its
   * default, and an origin with a placeholder in it (`https://<APIMHOST>`) is a variable as a whole.
   */
  base(text: string, role: Role): string {
    const pieces = [...text.matchAll(PIECE)];
    if (pieces.length === 1 && pieces[0]?.[0] === text) return this.template(text, role);
    const name = this.declare(role.variable, text, {
      description: pieces.length ? this.describe(role.description, text) : role.description,
      ...(pieces.length ? {} : { default: text }),
    });
    if (pieces.length) this.placeholders[name] = text;
    return `{{${name}}}`;
  }

  /** The template for a field the grant or client authentication needs, present or not. */
  value(value: string | undefined, role: Role): string {
    if (value !== undefined) return this.template(value, role);
    const name = this.declare(role.variable, role.variable, {
      description: role.description,
      ...(role.secret ? { secret: true } : {}),
    });
    if (this.noteAdded) this.notes.push(`added ${name}, which the command does not send but the grant needs`);
    return `{{${name}}}`;
  }

  /** A variable the spec needs and the command gives no value for, without a note: the caller says why. */
  needed(role: Role): string {
    const name = this.declare(role.variable, role.variable, {
      description: role.description,
      ...(role.secret ? { secret: true } : {}),
    });
    return `{{${name}}}`;
  }

  describe(what: string, origin: string | undefined): string {
    if (!origin) return what;
    const shown = origin.startsWith('${') ? `$${origin.slice(2, -1)}` : origin;
    return `${what} (${shown} in ${this.sourceLabel})`;
  }
}

/** The text inside a placeholder's delimiters (`<tenant id>` → `tenant id`). */
function innerText(piece: RegExpMatchArray | undefined): string {
  return piece?.slice(1).find((group) => group !== undefined) ?? '';
}

function isOnlyPieces(value: string): boolean {
  return value.replace(PIECE, '') === '';
}

/** `uaa_url` → UaaUrl, `HTTP USER FROM CSV` → HttpUserFromCsv, `clientId` → ClientId. */
export function pascalCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words
    .map((word) => {
      const mixed = /[a-z]/.test(word) && /[A-Z]/.test(word);
      return mixed
        ? word.charAt(0).toUpperCase() + word.slice(1)
        : word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
    })
    .join('');
  return joined;
}

/** A name the spec accepts: starts with a letter, not one of tokenman's own. */
function safeName(name: string): string {
  let safe = name.replace(/[^A-Za-z0-9_]/g, '');
  if (!/^[A-Za-z]/.test(safe)) safe = `Value${safe}`;
  return RESERVED_VARIABLES.includes(safe) ? `Api${safe}` : safe;
}
