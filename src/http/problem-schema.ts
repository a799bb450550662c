import Type, { type Static } from 'typebox'

/** The most field errors a problem lists; `errorsOmitted` counts the rest. */
export const MAX_LISTED_ERRORS = 20

export const FieldError = Type.Object({
  in: Type.Enum(['body', 'query', 'params', 'headers'], { description: 'Part of the request holding the field' }),
  pointer: Type.String({ description: 'JSON pointer (RFC 6901) to the field within that part' }),
  detail: Type.String({ description: 'What is wrong with it' })
}, { $id: 'FieldError', description: 'One invalid field' })

export const Problem = Type.Object({
  type: Type.String({ description: 'URI naming the kind of problem; its last segment is `code`' }),
  title: Type.String({ description: 'Short summary, the same for every problem of this type' }),
  status: Type.Integer({ description: 'HTTP status code' }),
  detail: Type.String({ description: 'What went wrong in this occurrence' }),
  code: Type.String({ description: 'Stable machine-readable problem code' }),
  instance: Type.Optional(Type.String({ description: 'Request path this problem occurred on' })),
  requestId: Type.Optional(Type.String({ description: 'Request id, also in the x-request-id header and logs' })),
  errors: Type.Optional(Type.Array(Type.Ref('FieldError'), {
    maxItems: MAX_LISTED_ERRORS,
    description: `Each invalid field (validation problems), at most ${MAX_LISTED_ERRORS}: ` +
      '`errorsOmitted` counts the rest'
  })),
  errorsOmitted: Type.Optional(Type.Integer({
    minimum: 1,
    description: 'How many more invalid fields were found ' +
    'than `errors` lists'
  })),
  warnings: Type.Optional(Type.Array(Type.String(), { description: 'Warnings that applied to the refused request' }))
}, {
  $id: 'Problem',
  additionalProperties: true,
  description: 'RFC 9457 problem details; further members carry facts specific to the problem'
})

export type FieldErrorShape = Static<typeof FieldError>

/** How every route documents its 400 (error-handler.ts); routes with If-Match add to it (etag.ts). */
export const BAD_REQUEST_DESCRIPTION = 'The request is malformed or has invalid fields'

/** A problem response for a route schema: documented as application/problem+json. */
export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Type.Ref('Problem') } }
})
