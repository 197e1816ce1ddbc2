// The layering of docs/architecture.md, checked on every `npm test`: no cycles, the policy engine
// imports nothing of iamd, and no folder of src/ imports from a layer above its own.
// A layer may import from any layer below it and from its own.

const LAYERS = [
  ['policy'],
  ['store'],
  ['common'],
  ['protocol', 'jobs', 'authz', 'audit', 'saml'],
  ['sts', 'dispatch'],
  ['auth', 'iam'],
  ['services'],
  // Reads the IAM state, asks the policy engine, and knows the linked services' role actions.
  ['analysis'],
  ['server', 'cli'],
];

const above = (i) => LAYERS.slice(i + 1).flat();

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one; split what they share into a module below both.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'policy-imports-nothing-of-iamd',
      severity: 'error',
      comment: 'The policy engine is a pure library: no I/O, no HTTP, no storage, no iamd types.',
      from: { path: '^src/policy/' },
      to: { path: '^src/(?!policy/)' },
    },
    ...LAYERS.flatMap((layer, i) =>
      i === LAYERS.length - 1
        ? []
        : [
            {
              name: `layer-${layer.join('-')}`,
              severity: 'error',
              comment: `${layer.join(', ')} may not import from a layer above (${above(i).join(', ')}).`,
              from: { path: `^src/(${layer.join('|')})/` },
              to: { path: `^src/(${above(i).join('|')})/` },
            },
          ],
    ),
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports is dead code (entry points and generated data excepted).',
      from: { orphan: true, path: '^src/', pathNot: ['^src/cli/main\\.ts$', '\\.d\\.ts$'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
