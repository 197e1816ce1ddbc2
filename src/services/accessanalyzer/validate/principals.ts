// The Principal and NotPrincipal elements' checks (resource policies and role trust policies): the
// principal types AWS has, and values of the shape each type takes — an account, or an IAM/STS ARN of
// an account, for AWS; a service's principal name for Service; a provider for Federated. `*` alone
// stands for everyone; a wildcard inside a value is not supported.

import { isJsonObject, type JsonValue } from '../../../policy/json-reader.ts';
import { itemsOf, type Path, type Report } from './report.ts';

const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const AWS_PRINCIPAL = /^(?:\d{12}|arn:aws[a-z-]*:(?:iam::\d{12}:(?:root|user\/.+|role\/.+|federated-user\/.+)|sts::\d{12}:(?:assumed-role\/.+\/.+|federated-user\/.+)))$/;
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.(?:amazonaws\.com(?:\.cn)?|amazon\.com)$/;
const FEDERATED_PRINCIPAL = /^(?:arn:aws[a-z-]*:iam::\d{12}:(?:saml-provider\/[\w+=,.@-]+|oidc-provider\/.+)|[a-z0-9][a-z0-9.-]*\.[a-z]{2,}(?:\/.*)?)$/i;

export function checkPrincipal(report: Report, value: JsonValue, path: Path): void {
  if (value === '*') return;
  if (!isJsonObject(value)) {
    report.at('ERROR', 'INVALID_PRINCIPAL_FORMAT', 'The Principal element must be "*" or an object of principal types and their values.', path);
    return;
  }
  for (const [type, values] of value) {
    if (!PRINCIPAL_TYPES.has(type)) {
      report.atKey('ERROR', 'INVALID_PRINCIPAL_KEY', `The principal key ${type} is not valid. Use one of the following principal keys: AWS, Service, Federated, CanonicalUser.`, [...path, type]);
      continue;
    }
    for (const item of itemsOf(report, values, [...path, type])) {
      const text = item.text;
      if (text === '*' && type === 'AWS') continue;
      if (/[*?]/.test(text)) {
        report.at('ERROR', 'UNSUPPORTED_WILDCARD_IN_PRINCIPAL', 'Wildcards (*, ?) are not supported with the principal key. Replace the wildcard with a valid principal value.', item.path);
      } else if (type === 'AWS' && !AWS_PRINCIPAL.test(text)) {
        report.at('ERROR', 'INVALID_PRINCIPAL_FORMAT', `The principal ${text} is not valid. Use an account ID or the ARN of an IAM user, role or session.`, item.path);
      } else if (type === 'Service' && !SERVICE_PRINCIPAL.test(text)) {
        report.at('ERROR', 'INVALID_SERVICE_PRINCIPAL_FORMAT', `The service principal ${text} is not valid. Use the format service-name.amazonaws.com.`, item.path);
      } else if (type === 'Federated' && !FEDERATED_PRINCIPAL.test(text)) {
        report.at('ERROR', 'INVALID_PRINCIPAL_FORMAT', `The federated principal ${text} is not valid. Use the ARN of a SAML or OIDC provider, or a web identity provider's name.`, item.path);
      }
    }
  }
}
