import { existsSync, watch } from 'node:fs';
import { basename, join } from 'node:path';
import { findSpecFiles } from '../spec/find-spec-files.js';
import { type BuildOptions, type BuildResult, buildSpecs } from './build-specs.js';

export interface WatchEvent {
  /** The spec files that changed (empty for the first build and after a spec was removed). */
  changed: string[];
  result: BuildResult;
}

export interface SpecWatcher {
  close(): void;
}

// Editors save in bursts (write, rename, chmod); one rebuild per burst.
const SETTLE_MS = 100;

/**
 * Builds every spec, then rebuilds each spec that changes, for as long as it runs. A spec with an
 * error is reported and skipped; the others keep building. A removed or renamed spec rebuilds the
 * whole folder, so its generated files are removed too.
 */
export function watchSpecs(options: BuildOptions, onBuild: (event: WatchEvent) => void): SpecWatcher {
  const specsDir = options.specsDir ?? 'specs';
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let queue = Promise.resolve();

  const rebuild = (files: string[]) => {
    queue = queue.then(async () => {
      if (files.length > 0) {
        for (const file of files)
          onBuild({ changed: [file], result: await buildSpecs({ ...options, files: [file] }) });
        return;
      }
      const result = await buildSpecs({ ...options, files: [] });
      onBuild({ changed: [], result });
      // One broken spec stops a whole-folder build; the others still build, one at a time.
      if (result.problems.some((p) => p.severity === 'error')) {
        const broken = new Set(result.problems.map((p) => p.file));
        for (const file of await findSpecFiles(specsDir)) {
          if (!broken.has(file))
            onBuild({ changed: [file], result: await buildSpecs({ ...options, files: [file] }) });
        }
      }
    });
  };

  const flush = () => {
    const files = [...pending].map((name) => join(specsDir, name));
    pending.clear();
    rebuild(files.every((file) => existsSync(file)) ? files : []);
  };

  rebuild([]);
  const watcher = watch(specsDir, (_event, name) => {
    if (!name || !/\.ya?ml$/.test(name)) return;
    pending.add(basename(name));
    clearTimeout(timer);
    timer = setTimeout(flush, SETTLE_MS);
  });
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
