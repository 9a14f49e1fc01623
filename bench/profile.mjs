// Reads a V8 .cpuprofile (what `node --cpu-prof` writes) into what the benchmark reports: which
// packages ran at all (their module bodies show up as frames even when they only load) and where the
// sampled self time went, by origin.

/** The origin of a frame's script: a package, tokenman's own build/, Node's internals, or V8's own. */
function origin(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const inModules = url.lastIndexOf('/node_modules/');
  if (inModules >= 0) {
    const [first, second] = url.slice(inModules + '/node_modules/'.length).split('/');
    return first?.startsWith('@') ? `${first}/${second}` : (first ?? url);
  }
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('/build/') || url.includes('/bin/tokenman')) return 'tokenman';
  return url.replace(/^file:\/\//, '');
}

export function profileSummary(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  const packages = new Set();
  for (const node of profile.nodes) {
    const { url, functionName } = node.callFrame;
    if (url.includes('/node_modules/')) packages.add(origin(url, functionName));
  }
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const node = byId.get(id);
    if (!node) return;
    const key = origin(node.callFrame.url, node.callFrame.functionName);
    self.set(key, (self.get(key) ?? 0) + ms);
  });
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  return { totalMs, packages: [...packages].sort(), top };
}
