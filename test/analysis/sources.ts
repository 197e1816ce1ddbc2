// What the analysis reads besides the store, as the server builds it: AWS's managed policies and the
// linked services' roles from the built-in service catalog.

import { linkedServiceRoles, type AnalysisSources } from '../../src/analysis/index.ts';
import { loadServiceCatalog } from '../../src/iam/catalog/service-linked-roles.ts';

export function analysisSources(): AnalysisSources {
  const catalog = loadServiceCatalog({ file: undefined });
  return { awsPolicies: catalog.policies(), linked: linkedServiceRoles(catalog) };
}
