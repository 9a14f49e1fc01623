// The importer ships no types; only what the portability test reads is declared.
declare module '@usebruno/converters' {
  interface BrunoRequest {
    auth: Record<string, unknown>;
    script: { req?: string; res?: string };
  }
  export function postmanToBruno(collection: unknown): Promise<{
    collection: {
      name: string;
      root: { request: BrunoRequest };
      /** A request, or a folder (`type: 'folder'`) whose own scripts are in `root`. */
      items: Array<{
        name: string;
        type: string;
        request?: { script?: { req?: string; res?: string } };
        root?: { request?: { script?: { req?: string; res?: string } } };
      }>;
    };
    issues: unknown[];
  }>;
  export function postmanToBrunoEnvironment(environment: unknown): Promise<{
    variables: Array<{ name: string; value: string; secret: boolean }>;
  }>;
}
