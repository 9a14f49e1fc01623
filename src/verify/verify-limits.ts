// How many runs verify does at once. One home for the defaults: the library, the CLI's flags and
// their help text all read them from here.

/**
 * Runs at once. All runs share one process (and, with --local, the embedded server), so past a few
 * runs more only adds memory; docs/verify.md ("Concurrency and the per-host limit") says why, and
 * `npm run bench -- --only verify-scale --sweep` measures it.
 */
export const DEFAULT_CONCURRENCY = 4;

/**
 * Runs at once against one token host. A run's script sends one token request at a time, so this
 * bounds the token requests in flight against one vendor tenant, whatever the concurrency.
 */
export const DEFAULT_PER_HOST = 8;
