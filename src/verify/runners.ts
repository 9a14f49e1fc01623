// The runners verify drives, and how each is named in outcomes and reports. A client the user
// names (`--client`) is one or more runners: the Postman CLI runs both the v2.1 collection and the
// Collection v3 folder.

/** Which client runs the generated files, as `--client` names it. */
export type VerifyClient = 'postman' | 'postman-cli' | 'bruno' | 'all';

export const VERIFY_CLIENTS: readonly VerifyClient[] = ['postman', 'postman-cli', 'bruno', 'all'];

export type Runner = 'newman' | 'postman-cli' | 'postman-cli-v3' | 'bru';

interface RunnerNames {
  /** After the run's label: `sap-ai-core (x509) in Bruno`. */
  label: string;
  /** After a report's base name: `sap-ai-core.x509.bruno.junit.xml`; '' for none. */
  report: string;
  /** What outcomes say in `client`; absent for Newman, as it has always been. */
  client?: Exclude<Runner, 'newman' | 'bru'> | 'bruno';
}

export const RUNNER_NAMES: Readonly<Record<Runner, RunnerNames>> = {
  newman: { label: '', report: '' },
  'postman-cli': { label: ' in Postman CLI', report: '.postman-cli', client: 'postman-cli' },
  'postman-cli-v3': { label: ' in Postman CLI (v3)', report: '.postman-cli-v3', client: 'postman-cli-v3' },
  bru: { label: ' in Bruno', report: '.bruno', client: 'bruno' },
};

/** The runners of a client, in the order their runs come: each runs every variant. */
export function runnersOf(client: VerifyClient): Runner[] {
  switch (client) {
    case 'postman':
      return ['newman'];
    case 'postman-cli':
      return ['postman-cli', 'postman-cli-v3'];
    case 'bruno':
      return ['bru'];
    case 'all':
      return ['newman', 'postman-cli', 'postman-cli-v3', 'bru'];
  }
}
