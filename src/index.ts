// tokenman's library API: the same stages the CLI runs, for tests and other programs. Nothing here
// prints or exits; results and problems are returned as values.

export {
  type CheckResult,
  checkArtifacts,
  type Drift,
  type WriteResult,
  writeArtifacts,
} from './emit/write-artifacts.js';
export { type InitOptions, type InitResult, initSpec } from './init/init-spec.js';
export { parsePastedCommand } from './init/parse-pasted.js';
export type { PastedRequest } from './init/pasted-request.js';
export { type AttachOnceInput, type AttachOnceResult, attachOnce } from './pipeline/attach-once.js';
export {
  type BuildOptions,
  type BuildResult,
  buildSpecs,
  buildSpecs as build,
} from './pipeline/build-specs.js';
export { type Plan, planSpec } from './plan/plan-spec.js';
export { type DiscoveryPlan, planTokenRequests, type TokenPlan } from './plan/token-plan.js';
export type { ScriptConfig as TokenScriptConfig } from './sandbox/types.js';
export {
  type ClientRegistration,
  type ServerStats,
  startTokenServer,
  type TokenFault,
  type TokenServer,
  type TokenServerOptions,
} from './server/index.js';
export { findSpecFiles } from './spec/find-spec-files.js';
export { formatProblem, formatProblemsJson } from './spec/format-problem.js';
export { type LoadOptions, loadSpec, loadSpecText, parseSpec, type SpecResult } from './spec/load-spec.js';
export { loadSpecs } from './spec/load-specs.js';
export type { Position, Problem, Severity } from './spec/problem.js';
export { TOKEN_VARIABLES } from './spec/reserved-variables.js';
export type * from './spec/types.js';
export { canonicalJson } from './targets/canonical-json.js';
export { type Artifact, generateArtifacts } from './targets/generate-artifacts.js';
export { generateCollection } from './targets/postman/generate-collection.js';
export { type EnvironmentJson, generateEnvironment } from './targets/postman/generate-environment.js';
export { type CredentialsFile, readCredentialsFile } from './values/read-credentials-file.js';
export type { ReporterName } from './verify/reports.js';
export {
  type VerifyOptions,
  type VerifyOutcome,
  type VerifyResult,
  verifyCollections,
  verifyCollections as verify,
} from './verify/verify-collections.js';
