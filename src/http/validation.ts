import AjvCompiler from '@fastify/ajv-compiler'

/**
 * An instant as the service stores and compares it: an RFC 3339 date-time (already checked by
 * ajv's format) that JavaScript reads and Postgres can take. A leap second (23:59:60Z is valid
 * RFC 3339) is not an instant JavaScript knows, and an offset can push 9999-12-31 into year
 * 10000: both reached the database as a 500 (`/audit-events?from=2026-12-31T23:59:60Z`).
 */
function storableInstant (text: string): Date | undefined {
  const instant = new Date(text)
  if (Number.isNaN(instant.getTime())) return undefined
  const year = instant.getUTCFullYear()
  return year >= 1 && year <= 9999 ? instant : undefined
}

interface FormatDefinition {
  validate: (text: string) => boolean
  compare?: (a: string, b: string) => number | undefined
}

/** Tightens ajv-formats' `date-time` (RFC 3339) to instants the service can store. */
function storableDateTimes (ajv: AjvCompiler.Ajv): void {
  const rfc3339 = ajv.formats['date-time'] as FormatDefinition | undefined
  if (rfc3339 === undefined) throw new Error('ajv-formats must define date-time before it is tightened')
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (text: string) => rfc3339.validate(text) && storableInstant(text) !== undefined,
    ...(rfc3339.compare === undefined ? {} : { compare: rfc3339.compare })
  })
}

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
      .filter(([, value]) => (Array.isArray(value) ? value : [value])
        .some((item) => typeof item === 'number' && !Number.isFinite(item)))
      .map(([name]) => ({
        instancePath: `/${pointerToken(name)}`,
        schemaPath: `#/properties/${pointerToken(name)}`,
        keyword: 'type',
        params: { type: 'number' },
        message: 'must be a finite number'
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
 * Both report every failing field, and both read `date-time` as an instant the service can store.
 * This is Fastify's `schemaController.compilersFactory.buildValidator`.
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
        // Each error carries its schema, so a failed pattern can say in words what is allowed.
        verbose: true,
        useDefaults: true,
        coerceTypes
      },
      onCreate: storableDateTimes
    })
    const text = compiler('array')
    const body = compiler(false)
    return (route) => route.httpPart === 'body'
      ? body(route)
      : finiteNumbersOnly(text(route) as Validate) as ReturnType<typeof text>
  }
}
