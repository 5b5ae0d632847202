/** Folder and module cycles fail the build (`npm run lint`). */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycle',
      comment: 'Folders of src/ follow the pipeline: a folder never depends, even indirectly, on one that depends on it.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-module-cycle',
      comment: 'No file depends, even indirectly, on itself.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'security-is-a-leaf',
      comment: "security/ holds what every stage uses; a helper that wraps another folder's type lives with that folder.",
      severity: 'error',
      from: { path: '^src/core/security/' },
      to: { path: '^src/core/', pathNot: ['^src/core/security/', '^src/core/ports\\.ts$', '^src/core/batonError\\.ts$'] },
    },
    {
      name: 'core-stands-alone',
      comment: 'The engine runs in the editor, the CLI and the MCP server: it reaches them only through ports.ts.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(host|cli|node)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
