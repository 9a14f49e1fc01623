import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';

const source = readFileSync(new URL('../../../src/targets/postman/token-script.js', import.meta.url), 'utf8');

/** The script's pure helpers, evaluated as the sandbox would (no pm, so its main part does not run). */
export function tokenScriptHelpers() {
  const context: Record<string, unknown> = {};
  runInNewContext(source, context);
  return context as {
    tokenmanResolve(
      template: string,
      lookup: (name: string) => string | undefined,
      missing?: string[],
    ): string;
    tokenmanLookup(value: unknown, path: string): unknown;
    tokenmanJwtExp(token: string, decode: (s: string) => string): number | undefined;
    tokenmanExpiresAt(
      body: unknown,
      token: string,
      settings: { expiresInPath: string; fallbackLifetime: number },
      now: number,
      decode: (s: string) => string,
    ): { at: number; source: string };
    tokenmanRenewAt(expiresAt: number, obtainedAt: number, skew: number): number;
    tokenmanBlankSecretFields(text: string): string;
    tokenmanRedact(message: string, values: unknown[]): string;
    tokenmanDescribeFailure(code: number, status: string, text: string, body: unknown): string;
    tokenmanReadDiscovery(
      url: string,
      answer: { code: number; status?: string; text: string; body: unknown },
      fields: string[],
    ): { endpoint?: string; error?: string };
    tokenmanErrorText(error: { code?: string; message?: string } | undefined): string;
    tokenmanAssertionHint(why: string, assertion: unknown): string;
    tokenmanGrantParams(
      token: unknown,
      grant: string,
      resolve: (template: string) => string,
      refreshToken: string | undefined,
      assertion: string,
    ): Array<[string, string]>;
    tokenmanAssertionOptions(
      assertion: unknown,
      resolve: (template: string) => string,
    ): Record<string, unknown>;
  };
}
