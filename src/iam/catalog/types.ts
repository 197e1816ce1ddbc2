// The service-linked-role catalog's vocabulary, shared by the built-in catalog and the user file.

/** Where an entry comes from, strongest evidence first (see docs/catalog.md). */
export type ServiceEntrySource =
  | 'aws-recorded'
  | 'aws-docs'
  | 'aws-managed-policy-reference'
  | 'emulator-code'
  | 'user';

/** What iamd knows about the service-linked role of one AWS service principal. */
export interface ServiceLinkedRoleSpec {
  servicePrincipal: string;
  /** `AWSServiceRoleFor…`; with a custom suffix the role is `<roleName>_<suffix>`. */
  roleName: string;
  /** Always `/aws-service-role/<servicePrincipal>/`. */
  path: string;
  /** The managed policies attached to the role; each resolves in the catalog's policies(). May be empty. */
  policyArns: string[];
  /** Whether CreateServiceLinkedRole accepts CustomSuffix; AWS refuses it for most services. */
  customSuffixAllowed: boolean;
  /**
   * The description the role carries when the service creates it itself. CreateServiceLinkedRole
   * without a Description creates a role without one, whatever this says.
   */
  description?: string;
  source: ServiceEntrySource;
}
