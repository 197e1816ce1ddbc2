// The Action element's checks: every action names a service AWS has and an action of it (a wildcard,
// at least one); a wildcard in the service name is a suggestion.

import { compileGlob } from '../../../policy/glob.ts';
import { serviceInfo, type ServiceInfo } from './catalog.ts';
import type { Item, Report } from './report.ts';

export async function checkAction(report: Report, item: Item): Promise<void> {
  const text = item.text;
  if (text === '*') return;
  const colon = text.indexOf(':');
  if (colon <= 0) {
    report.at('ERROR', 'INVALID_ACTION', `The action ${text} does not exist.`, item.path);
    return;
  }
  const prefix = text.slice(0, colon);
  const name = text.slice(colon + 1);
  if (/[*?]/.test(prefix)) {
    report.at('SUGGESTION', 'WILDCARD_IN_SERVICE_NAME', 'Avoid using wildcards (*, ?) in the service name because it might grant unintended access to other AWS services with similar names.', item.path);
    return;
  }
  const service = await serviceInfo(prefix);
  if (!service) {
    report.at('ERROR', 'INVALID_SERVICE', `The service ${prefix} does not exist.`, item.path);
    return;
  }
  if (!namesAnAction(service, name.toLowerCase())) {
    report.at('ERROR', 'INVALID_ACTION', `The action ${text} does not exist.`, item.path);
  }
}

/** Whether an action name (lower-cased, maybe a wildcard) names an action of the service; remembered per pattern. */
const actionNameCache = new WeakMap<ServiceInfo, Map<string, boolean>>();
function namesAnAction(service: ServiceInfo, name: string): boolean {
  let cache = actionNameCache.get(service);
  if (!cache) actionNameCache.set(service, (cache = new Map()));
  let known = cache.get(name);
  if (known === undefined) {
    if (/[*?]/.test(name)) {
      const glob = compileGlob(name, { wildcards: true, variables: false, ignoreCase: true });
      known = service.actionsLower.some((a) => glob.test(a, null));
    } else {
      known = service.actionsLower.includes(name);
    }
    // A policy can be written to fill this with made-up names; past a bound it is started afresh.
    if (cache.size >= 10_000) cache.clear();
    cache.set(name, known);
  }
  return known;
}
