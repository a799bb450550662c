import AjvCompiler from '@fastify/ajv-compiler'

type Validate = ((data: unknown) => boolean) & { errors?: AjvCompiler.ErrorObject[] | null }

const pointerToken = (name: string): string => name.replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * ajv's coercion reads "1e999" or "Infinity" as an infinite number for an integer field and
 * then skips minimum and maximum, which only look at finite numbers: `?limit=1e999` reached
 * the database as a 500 and `?limit=-1e999` was served (found by the fuzzer). The text parts
 * are flat (values or lists of values), so a number that is not finite is looked for after
 * them and refused as ajv refuses any other wrong type.
 */
function finiteNumbersOnly (validate: Validate): Validate {
  const checked: Validate = (data) => {
    const valid = validate(data)
    checked.errors = validate.errors ?? null
    if (!valid || typeof data !== 'object' || data === null) return valid
    const errors = Object.entries(data)
      .filter(([, value]) => (Array.isArray(value) ? value : [value]).some((item) => typeof item === 'number' && !Number.isFinite(item)))
      .map(([name]) => ({
        instancePath: `/${pointerToken(name)}`, schemaPath: `#/properties/${pointerToken(name)}`, keyword: 'type', params: { type: 'number' }, message: 'must be a finite number'
      }))
    if (errors.length === 0) return true
    checked.errors = errors
    return false
  }
  return checked
}

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
    return (route) => route.httpPart === 'body' ? body(route) : finiteNumbersOnly(text(route) as Validate) as ReturnType<typeof text>
  }
}
