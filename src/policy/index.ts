// The policy engine: parse and validate (AWS's grammar and messages), compile, evaluate, explain.
// A pure library — no I/O, no knowledge of HTTP or storage.

export type * from './types.ts';
export { parsePolicy, policySize, POLICY_SIZE_LIMITS, defaultSizeLimit } from './parse.ts';
export type { PolicyParseOptions } from './parse.ts';
export { compilePolicy, CompiledPolicyDocument } from './compile.ts';
export type { CompiledStatement } from './compile.ts';
export { loadPolicy, PolicyCache } from './load.ts';
export type { LoadResult } from './load.ts';
export { evaluate } from './evaluate.ts';
export { explain } from './explain.ts';
export type { DetailedExplanation, PolicyTypeVerdict } from './explain.ts';
export type { PrincipalGrant } from './principal.ts';
export { statementPositions } from './positions.ts';
export type { StatementPosition, TextPosition } from './positions.ts';
export { contextKeysOf, variableKeysOf } from './context-keys.ts';
export type { KeySet } from './context-keys.ts';
export { parseCidr } from './ip.ts';
export { isAcceptedDate } from './date-value.ts';
