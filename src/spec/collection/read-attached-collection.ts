// The spec's `api.collection` (or `tokenman attach`'s argument), read and checked against the
// variables the environments will declare: what the Postman target needs to put the token into it
// (AttachedCollectionDef), and the build's word on what changes and what is missing, as problems
// placed in the collection file.
import { DocumentPositions } from '../api/document-positions.js';
import type { Problem } from '../problem.js';
import { TOKEN_VARIABLES } from '../reserved-variables.js';
import type { ProblemInit } from '../spec-source.js';
import type { AttachedCollectionDef, CollectionPath } from '../types.js';
import { asObject, authOf, authPath, collectionEntries } from './collection-items.js';
import { isDynamic, variablesOfCollection, variablesSent } from './collection-variables.js';
import { type AtFileName, readCollection } from './read-collection.js';
import { replacedAuth, TOKEN_AUTH_TYPES } from './token-auth.js';

export interface AttachedCollectionRead {
  /** Present when there is no error. */
  collection?: AttachedCollectionDef;
  problems: Problem[];
  /** The declared variables the collection sends, so none is reported as unused. */
  usesVariables: string[];
}

export interface ReadAttachedInput {
  /** The collection file as messages show it. */
  file: string;
  /** Makes a problem at whatever names the file. */
  atFileName: AtFileName;
  /** The variables the spec's environments declare (its own and its API document's). */
  declared: readonly string[];
  /** Where a variable the collection lacks is declared: the spec, or for `tokenman attach` the spec given. */
  declareHint: string;
  /** What a path to nothing is told: where the path is read from. */
  missingHint?: string;
}

export async function readAttachedCollection(input: ReadAttachedInput): Promise<AttachedCollectionRead> {
  const { file } = input;
  const read = await readCollection(file, input.atFileName, input.missingHint);
  if (!read.collection) return { problems: read.problems, usesVariables: [] };
  const { collection } = read;
  const positions = new DocumentPositions(file);
  const at = (init: ProblemInit, path: CollectionPath): Problem => {
    const place = positions.inFile(file, path);
    return {
      ruleId: init.ruleId,
      severity: init.severity ?? 'warning',
      message: init.message,
      ...(init.hint ? { hint: init.hint } : {}),
      file,
      position: place.position,
      ...(place.end ? { end: place.end } : {}),
    };
  };
  const problems: Problem[] = [];
  const bearer = `Bearer {{${TOKEN_VARIABLES.token}}}`;

  const ownAuth = asObject(collection.auth)?.type;
  if (typeof ownAuth === 'string' && ownAuth !== 'noauth' && !isTokenmans(collection.auth))
    problems.push(
      at(
        TOKEN_AUTH_TYPES.includes(ownAuth)
          ? {
              ruleId: 'collection-auth-replaced',
              message: `the collection's own ${ownAuth} auth is replaced by ${bearer}, which tokenman's pre-request script fetches`,
              hint: 'the spec says how the token is fetched: its token section',
            }
          : {
              ruleId: 'collection-auth-replaced',
              message: `the collection's own ${ownAuth} auth is replaced by ${bearer}: the requests that inherited it send the token instead`,
              hint: `give the requests that need ${ownAuth} auth of their own, or a folder of them`,
            },
        ['auth'],
      ),
    );

  const switchedAuth: CollectionPath[] = [];
  for (const entry of collectionEntries(collection.item)) {
    const type = replacedAuth(entry);
    if (type === undefined) continue;
    const path = authPath(entry);
    switchedAuth.push(path);
    problems.push(
      at(
        {
          ruleId: 'collection-auth-switched',
          message: `${entry.kind} "${entry.label}" had its own ${type} auth; it now inherits the collection's ${bearer}`,
          hint: "tokenman's pre-request script fetches the token for every request; give it noauth to send none",
        },
        path,
      ),
    );
  }

  // A request that sends the token and writes an Authorization header of its own: the runtime's
  // bearer auth replaces the header when it is sent, which is worth a word, not a surprise.
  const switchedAt = new Set(switchedAuth.map((path) => JSON.stringify(path)));
  const sendsToken = new Map<string, boolean>();
  for (const entry of collectionEntries(collection.item)) {
    // Its own auth decides (a switched one is the token), else the folder's it stands in.
    const own = authOf(entry) !== undefined;
    const token = own
      ? switchedAt.has(JSON.stringify(authPath(entry)))
      : (sendsToken.get(JSON.stringify(entry.path.slice(0, -2))) ?? true);
    sendsToken.set(JSON.stringify(entry.path), token);
    if (entry.kind !== 'request' || !token) continue;
    const headers = asObject(entry.value.request)?.header;
    if (!Array.isArray(headers)) continue;
    headers.forEach((header, index) => {
      const h = asObject(header);
      if (typeof h?.key !== 'string' || h.key.toLowerCase() !== 'authorization' || h.disabled === true)
        return;
      problems.push(
        at(
          {
            ruleId: 'collection-authorization-header',
            message: `request "${entry.label}" sets an Authorization header of its own; the collection's ${bearer} replaces it when it is sent`,
            hint: 'remove the header, or give the request auth of its own (noauth keeps the header as written)',
          },
          [...entry.path, 'request', 'header', index, 'key'],
        ),
      );
    });
  }

  const uses = variablesSent(collection, (path) => switchedAt.has(JSON.stringify(path)));
  const declared = new Set([...input.declared, ...Object.values(TOKEN_VARIABLES)]);
  const own = variablesOfCollection(collection);
  for (const use of uses) {
    if (declared.has(use.name) || own.has(use.name) || isDynamic(use.name)) continue;
    const count = use.requests.length;
    problems.push(
      at(
        {
          ruleId: 'collection-undeclared-variable',
          message: `{{${use.name}}} is sent by ${count === 1 ? `request "${use.requests[0]}"` : `${count} requests, first "${use.requests[0]}"`}, but no environment declares it and the collection gives it no value`,
          hint: input.declareHint.replace('NAME', use.name),
        },
        use.path,
      ),
    );
  }

  return {
    collection: {
      file,
      collection,
      switchedAuth,
      variables: uses.map((use) => use.name),
    },
    problems,
    usesVariables: uses.map((use) => use.name).filter((name) => input.declared.includes(name)),
  };
}

/** The collection's auth as tokenman writes it (a collection it attached to before): nothing to say. */
function isTokenmans(auth: unknown): boolean {
  const bearer = asObject(auth)?.bearer;
  return (
    asObject(auth)?.type === 'bearer' &&
    Array.isArray(bearer) &&
    bearer.some((entry) => asObject(entry)?.value === `{{${TOKEN_VARIABLES.token}}}`)
  );
}
