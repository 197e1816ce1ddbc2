// Request → {operation, input}, per protocol, validated against the operation's input shape.
// Throws only ApiError, whatever the bytes.

import { ApiError, isApiError } from '../common/errors.ts';
import { serviceModel, type Operation, type ServiceModel } from './model.ts';
import { decodeQueryInput, parseForm, type FormParams } from './query.ts';
import { fromJson, parseJsonBody } from './json.ts';
import { decodeRestInput } from './rest.ts';
import { validateInput, type Violation } from './validate.ts';
import { serviceWire } from './wire.ts';
import { invalidEc2Action, invalidQueryAction, missingAction, unknownOperation } from './errors.ts';
import { header, isTargetPrefixOf, type ServiceTarget, type WireRequest } from './services.ts';

export interface DecodedRequest {
  operation: string;
  input: Record<string, unknown>;
}

/** Query parameters: the form body of a POST (first occurrence wins), then the query string. */
function queryParams(req: WireRequest): FormParams {
  const params: FormParams = new Map();
  if (req.method === 'POST' && req.body.length) parseForm(req.body.toString('utf8'), params);
  for (const [k, v] of req.query) if (!params.has(k)) params.set(k, v);
  return params;
}

function decodeQuery(model: ServiceModel, req: WireRequest, ec2: boolean): { op: Operation; input: Record<string, unknown>; violations: Violation[] } {
  const params = queryParams(req);
  const action = params.get('Action');
  if (action === undefined) throw missingAction();
  const op = model.operations.get(action);
  if (ec2) {
    if (!op) throw invalidEc2Action(action);
  } else {
    const version = params.get('Version');
    if (!op || version !== model.metadata.apiVersion) throw invalidQueryAction(action, version);
  }
  const { input, violations } = decodeQueryInput(op.input, params, ec2 ? 'ec2' : 'query');
  return { op, input, violations };
}

function decodeJsonRpc(model: ServiceModel, req: WireRequest): { op: Operation; input: Record<string, unknown> } {
  const target = header(req, 'x-amz-target') ?? '';
  const dot = target.lastIndexOf('.');
  const op = dot > 0 && isTargetPrefixOf(model.metadata, target.slice(0, dot)) ? model.operations.get(target.slice(dot + 1)) : undefined;
  if (!op) throw unknownOperation();
  try {
    const body = parseJsonBody(req.body);
    const input = op.input ? (fromJson(op.input, body, '') as Record<string, unknown>) : {};
    return { op, input };
  } catch (e) {
    throw refusedFor(op.name, e);
  }
}

/** The operation each refused request named, by the error decode threw for it. */
const refusedOperations = new WeakMap<object, string>();

function refusedFor(operation: string, error: unknown): unknown {
  if (typeof error === 'object' && error !== null) refusedOperations.set(error, operation);
  return error;
}

/**
 * The operation of the model a refused request named, when decode threw `error` for its input (the
 * model rejects it) rather than for not naming one at all. Access Advisor counts such an attempt.
 */
export function operationOfRefusedInput(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? refusedOperations.get(error) : undefined;
}

function decodeUnchecked(target: ServiceTarget, req: WireRequest): DecodedRequest {
  const model = serviceModel(target.service);
  const style = serviceWire(target.service).validation;
  let op: Operation;
  let input: Record<string, unknown>;
  let violations: Violation[] = [];
  switch (target.protocol) {
    case 'query':
    case 'ec2':
      ({ op, input, violations } = decodeQuery(model, req, target.protocol === 'ec2'));
      break;
    case 'json':
      ({ op, input } = decodeJsonRpc(model, req));
      break;
    case 'rest-json':
      ({ operation: op, input } = decodeRestInput(model, req));
      break;
  }
  if (op.input) {
    const invalid = validateInput(op.input, input, style, violations);
    if (invalid) throw refusedFor(op.name, invalid);
  }
  return { operation: op.name, input };
}

/** Decodes and validates a request for `target` (from `resolveService`). Throws only ApiError. */
export function decode(target: ServiceTarget, req: WireRequest): DecodedRequest {
  try {
    return decodeUnchecked(target, req);
  } catch (e) {
    if (isApiError(e)) throw e;
    // A decoder bug must not become a 500 or an uncaught exception: the request is what we could not read.
    throw new ApiError('MalformedInput', 'The request could not be read.', 400);
  }
}
