import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// The Postman CLI: a binary in a platform package of the registry (@postman/pm-bin-<platform>),
// which tokenman pins as an optional dependency and starts directly (its `postman-cli` wrapper
// turns every failing exit code into 1). It must never ask anyone to log in nor send anything to
// Postman's servers: every run gets a home of its own and the settings that turn off its update
// check and its run analytics, which it has no flag for.

/** The platform packages that ship the binary, by Node's platform and architecture. */
const PLATFORM_PACKAGES: Readonly<Record<string, string>> = {
  'linux-x64': '@postman/pm-bin-linux-x64',
  'linux-arm64': '@postman/pm-bin-linux-arm64',
  'darwin-x64': '@postman/pm-bin-macos-x64',
  'darwin-arm64': '@postman/pm-bin-macos-arm64',
  'win32-x64': '@postman/pm-bin-windows-x64',
};

export const POSTMAN_CLI_MISSING =
  'tokenman verify --client postman-cli needs the Postman CLI, an optional dependency of tokenman on linux-x64: run npm install (without --omit=optional), on another platform npm install --no-save @postman/pm-bin-<platform>, or choose --client postman or bruno';

/** Where the Postman CLI binary of this platform is installed, or undefined when it is not. */
export function resolvePostmanCli(): string | undefined {
  const name = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
  if (!name) return undefined;
  const binary = process.platform === 'win32' ? 'bin/postman.exe' : 'bin/postman';
  for (const from of [import.meta.url, join(process.cwd(), 'package.json')]) {
    try {
      const manifest = createRequire(from).resolve(`${name}/package.json`);
      const path = join(manifest, '..', binary);
      if (existsSync(path)) return path;
    } catch {
      // not installed where this looks; try the next place
    }
  }
  return undefined;
}

/** A port on 127.0.0.1 nothing listens on: a request there fails at once, and goes nowhere else. */
const NOWHERE = 'http://127.0.0.1:9';

/**
 * The environment a Postman CLI run gets: a home of its own (where it keeps its settings, logs and
 * an installation id), its update check and run analytics pointed at a closed loopback port, no
 * API key of the user's (with one, a run is uploaded), no colour.
 */
export function postmanCliEnvironment(
  home: string,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const { POSTMAN_API_KEY: _apiKey, ...rest } = base;
  return {
    ...rest,
    HOME: home,
    USERPROFILE: home,
    // 1.34: the update check's host. 1.62: its update check, and the run analytics it sends even
    // with --no-report-events.
    ARS_CLI_BASE_URL: NOWHERE,
    POSTMAN_CLI_SKIP_UPDATE_CHECK: '1',
    POSTMAN_ANALYTICS_BASE_URL: NOWHERE,
    POSTMAN_CLI_SKIP_GUEST_NOTICE: '1',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
  };
}
