/**
 * zod, loaded on first use. Only option checks and the messages of rows the
 * row coercer refuses need it, so importing recensio, calling `analyze` with
 * no options and starting a worker thread do not pay for loading it (about
 * 100 ms of CPU, as much as the rest of the package's import).
 */
import { createRequire } from 'node:module'
import type { z as Zod } from 'zod'

export type { Zod }
/** The type of `z`, for functions that take it (named so that declarations never read `z: typeof z`). */
export type ZodApi = typeof Zod

let loaded: ZodApi | undefined

/**
 * zod by require(). The call is written `createRequire(import.meta.url)('zod')`
 * for bundlers that follow that pattern (webpack bundles zod so, and makes
 * nothing of a `createRequire` result kept for later); esbuild's CommonJS
 * output empties `import.meta`, and there `__filename` is the bundle.
 */
function requireZod(): { z: ZodApi } {
  const url = import.meta.url as string | undefined
  return (typeof url === 'string' ? createRequire(import.meta.url)('zod') : createRequire(__filename)('zod')) as { z: ZodApi }
}

/** The zod namespace (`z`), required on the first call. */
export function zod(): ZodApi {
  if (loaded !== undefined) return loaded
  try {
    loaded = requireZod().z
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error
    // A bundler that does not follow createRequire (esbuild) leaves zod out of the bundle.
    throw new Error(
      'recensio could not load zod, which it requires at run time to check options and to word refused rows. ' +
        'If recensio was bundled into your program, leave it out of the bundle (esbuild --external:recensio, webpack externals) or install zod beside the bundle.',
      { cause: error },
    )
  }
  return loaded
}

/**
 * A strict object schema made from `shape` on the first call (zod loads
 * then), and the same schema on every call after.
 */
export function lazyStrictObject<Shape extends Zod.core.$ZodLooseShape>(shape: (z: ZodApi) => Shape): () => Zod.ZodObject<Shape, Zod.core.$strict> {
  let made: Zod.ZodObject<Shape, Zod.core.$strict> | undefined
  return () => (made ??= zod().strictObject(shape(zod())) as Zod.ZodObject<Shape, Zod.core.$strict>)
}
