// How the benches bundle a TypeScript runner, engine included, into one CommonJS file for Node.

/** Bundles `entry` into `outfile` (esbuild options in `extra` are added); returns `outfile`. */
export async function bundleRunner(entry, outfile, extra = {}) {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    legalComments: 'none',
    ...extra,
  });
  return outfile;
}
