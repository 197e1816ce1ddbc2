// The availability zones of a region: `<region>a`, `b`, `c`…, with zone ids in AWS's form
// (`use1-az1`). How many a region has follows AWS where it is well known; three otherwise.

export interface Zone {
  ZoneName: string;
  ZoneId: string;
}

const ZONE_COUNT: Record<string, number> = {
  'us-east-1': 6,
  'us-west-1': 2,
  'us-west-2': 4,
  'ap-northeast-2': 4,
  'ca-central-1': 3,
};

const DIRECTION: Record<string, string> = {
  east: 'e', west: 'w', north: 'n', south: 's', central: 'c',
  northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw',
};

/** `us-east-1` → `use1`, `ap-southeast-2` → `apse2`, `eu-central-1` → `euc1`. */
export function regionShortName(region: string): string {
  const parts = region.split('-');
  if (parts.length < 3) return region.replace(/-/g, '');
  const number = parts[parts.length - 1];
  const prefix = parts.slice(0, parts.length - 2).join('');
  const direction = parts[parts.length - 2];
  return `${prefix}${DIRECTION[direction] ?? direction.slice(0, 1)}${number}`;
}

export function availabilityZones(region: string): Zone[] {
  const count = ZONE_COUNT[region] ?? 3;
  const short = regionShortName(region);
  return Array.from({ length: count }, (_, i) => ({
    ZoneName: `${region}${String.fromCharCode(97 + i)}`,
    ZoneId: `${short}-az${i + 1}`,
  }));
}
