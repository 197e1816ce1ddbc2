// Where the shared reference data is: `../shared/reference` beside the repository (as CI lays it out),
// or IAMD_REFERENCE_DIR.

import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export const REFERENCE_DIR = process.env.IAMD_REFERENCE_DIR ?? resolve(repoRoot, '../shared/reference');

/**
 * For the checks that regenerate committed data from the reference: skipped, with the reason, in a
 * clone with nothing beside it (every other test reads only fixtures kept in the repository).
 */
export const referenceAbsent: string | false = existsSync(REFERENCE_DIR)
  ? false
  : `needs the shared reference data at ${REFERENCE_DIR} (set IAMD_REFERENCE_DIR); it regenerates committed data from it`;
