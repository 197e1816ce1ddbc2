// Output or ApiError → the HTTP response each protocol's SDKs parse: status, headers (always
// `x-amzn-RequestId`, equal to the body's request id where the body has one, and `Date`), body.

import type { ApiError } from '../common/errors.ts';
import { serviceModel, type Operation, type ServiceModel } from './model.ts';
import { structureBody, escapeXml } from './xml.ts';
import { toJson } from './json.ts';
import type { ServiceTarget } from './services.ts';

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

// The `Date` header, formatted once per second rather than per response.
let dateSecond = -1;
let dateText = '';
export function httpDate(now = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

// No Content-Length: the HTTP layer sets it from the bytes it sends. Counting the UTF-8 bytes of the
// text here as well cost a scan of every answer (~5 % of a 52 KB ListRoles page's CPU).
function respond(status: number, contentType: string | undefined, body: string, requestId: string, extra?: Record<string, string>): WireResponse {
  const headers: Record<string, string> = {
    'x-amzn-RequestId': requestId,
    Date: httpDate(),
  };
  if (contentType) headers['Content-Type'] = contentType;
  if (extra) Object.assign(headers, extra);
  return { status, headers, body };
}

/** EC2's model namespace lacks the trailing slash its real responses carry (ec2-protocol.md § 2). */
function xmlNamespace(model: ServiceModel): string {
  const ns = model.metadata.xmlNamespace ?? '';
  return ns.endsWith('/') ? ns : `${ns}/`;
}

const jsonContentType = (model: ServiceModel): string => `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}`;

function operationOf(model: ServiceModel, name: string): Operation {
  const op = model.operations.get(name);
  if (!op) throw new Error(`${model.name} has no operation ${name}`);
  return op;
}

/** The fixed parts of an operation's XML envelope, built once. */
interface Envelope {
  open: string;
  close: string;
  resultOpen: string;
  resultClose: string;
  emptyResult: string;
}
const envelopes = new WeakMap<Operation, Envelope>();

function envelopeOf(model: ServiceModel, op: Operation): Envelope {
  let e = envelopes.get(op);
  if (!e) {
    const wrapper = op.resultWrapper ?? `${op.name}Result`;
    e = {
      open: `<${op.name}Response xmlns="${xmlNamespace(model)}">`,
      close: `</${op.name}Response>`,
      resultOpen: `<${wrapper}>`,
      resultClose: `</${wrapper}>`,
      emptyResult: `<${wrapper}/>`,
    };
    envelopes.set(op, e);
  }
  return e;
}

const asObject = (output: unknown): Record<string, unknown> =>
  output !== null && typeof output === 'object' ? (output as Record<string, unknown>) : {};

export function encodeResult(target: ServiceTarget, operation: string, output: unknown, requestId: string): WireResponse {
  const model = serviceModel(target.service);
  const op = operationOf(model, operation);
  const id = escapeXml(requestId);
  switch (target.protocol) {
    case 'query': {
      const e = envelopeOf(model, op);
      let result = '';
      if (op.output) {
        const inner = structureBody(op.output, asObject(output), 'query');
        // botocore looks the wrapper up by name, even for an empty output (UpdateRole).
        result = inner ? e.resultOpen + inner + e.resultClose : e.emptyResult;
      }
      const body = `${e.open}${result}<ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata>${e.close}`;
      return respond(200, 'text/xml', body, requestId);
    }
    case 'ec2': {
      const e = envelopeOf(model, op);
      const inner = op.output ? structureBody(op.output, asObject(output), 'ec2') : '<return>true</return>';
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n${e.open}<requestId>${id}</requestId>${inner}${e.close}`;
      return respond(200, 'text/xml;charset=UTF-8', body, requestId);
    }
    case 'json': {
      const body = op.output ? JSON.stringify(toJson(op.output, asObject(output))) : '{}';
      return respond(200, jsonContentType(model), body, requestId);
    }
    case 'rest-json': {
      if (!op.output || op.responseCode === 204) return respond(op.responseCode, undefined, '', requestId);
      const obj = asObject(output);
      const extra: Record<string, string> = {};
      for (const m of op.output.members) {
        if (m.location === 'header' && obj[m.name] !== undefined && obj[m.name] !== null) extra[m.locationName ?? m.name] = String(obj[m.name]);
      }
      return respond(op.responseCode, 'application/json', JSON.stringify(toJson(op.output, obj)), requestId, extra);
    }
  }
}

export function encodeError(target: ServiceTarget, err: ApiError, requestId: string): WireResponse {
  const model = serviceModel(target.service);
  const id = escapeXml(requestId);
  const message = err.message;
  switch (target.protocol) {
    case 'query': {
      const body =
        `<ErrorResponse xmlns="${xmlNamespace(model)}"><Error><Type>${err.fault}</Type><Code>${escapeXml(err.code)}</Code>` +
        `<Message>${escapeXml(message)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`;
      return respond(err.status, 'text/xml', body, requestId);
    }
    case 'ec2': {
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(err.code)}</Code>` +
        `<Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${id}</RequestID></Response>`;
      return respond(err.status, 'text/xml;charset=UTF-8', body, requestId);
    }
    case 'json': {
      const shape = model.errorsByCode.get(err.code);
      if (model.metadata.awsQueryCompatible) {
        // Query-compatible JSON (CloudWatch): `__type` is the shape, the header carries the Query code.
        const type = shape ? `com.amazonaws.${model.name}#${shape.name}` : err.code;
        const body = JSON.stringify({ __type: type, message });
        return respond(err.status, jsonContentType(model), body, requestId, { 'x-amzn-query-error': `${err.code};${err.fault}` });
      }
      const body = JSON.stringify({ __type: shape?.name ?? err.code, message });
      return respond(err.status, jsonContentType(model), body, requestId);
    }
    case 'rest-json': {
      const body = JSON.stringify({ ...err.members, message });
      return respond(err.status, 'application/json', body, requestId, { 'x-amzn-ErrorType': err.code });
    }
  }
}
