import AjvCompiler from '@fastify/ajv-compiler'

/**
 * How requests are validated (Fastify's ajv compiler, set up twice):
 * - query strings, paths and headers arrive as text, so they are coerced (`?limit=5` is 5);
 * - JSON bodies carry their own types and are strict: `{"displayName":12345}` or a money field
 *   given "1500" is refused, never converted.
 * Both report every failing field. This is Fastify's `schemaController.compilersFactory.buildValidator`.
 */
export function buildValidator (): AjvCompiler.BuildCompilerFromPool {
  const pool = AjvCompiler()
  return (externalSchemas, options) => {
    const compiler = (coerceTypes: 'array' | false) => pool(externalSchemas, {
      ...(options?.plugins === undefined ? {} : { plugins: options.plugins }),
      customOptions: {
        ...options?.customOptions as AjvCompiler.Options | undefined,
        // Unknown fields are refused, not silently dropped; every failing field is reported.
        removeAdditional: false,
        allErrors: true,
        useDefaults: true,
        coerceTypes
      }
    })
    const text = compiler('array')
    const body = compiler(false)
    return (route) => route.httpPart === 'body' ? body(route) : text(route)
  }
}
