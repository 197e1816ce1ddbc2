// Where the shared reference data is: `../shared/reference` beside the repository (as CI lays it out),
// or IAMD_REFERENCE_DIR.

import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export const REFERENCE_DIR = process.env.IAMD_REFERENCE_DIR ?? resolve(repoRoot, '../shared/reference');
