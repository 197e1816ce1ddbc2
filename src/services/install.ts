// Installing services from their descriptors: operations into the dispatcher (with how each words a
// denial), job handlers into the runner, linked services' usage reports into IAM's registry.

import type { JobRunner } from '../jobs/runner.ts';
import type { ServiceDescriptor, ServiceParts } from './descriptor.ts';

export function installServices(services: readonly ServiceDescriptor[], parts: ServiceParts, jobs: JobRunner): void {
  for (const service of services) {
    parts.dispatcher.register(service.operations(parts), service.accessDenied ? { accessDenied: service.accessDenied } : {});
    for (const [type, handler] of Object.entries(service.jobs?.(parts) ?? {})) jobs.register(type, handler);
    if (service.linked) parts.linkedServices.register(service.linked);
  }
}
