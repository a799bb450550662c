import { createHash } from 'node:crypto'
import { and, eq, lt, sql } from 'drizzle-orm'
import fp from 'fastify-plugin'
import stableStringify from 'safe-stable-stringify'
import Type from 'typebox'
import { idempotencyKeys } from '../db/schema.js'
import { heldTransaction, holdTransaction } from '../db/unit-of-work.js'
import { AppError } from '../errors.js'
import { problemResponse } from './problem-schema.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route creates or acts: it honours Idempotency-Key. */
    idempotent?: boolean
    /**
     * The response holds a secret shown once (a new API key): its body is never stored, so a
     * retry learns what was made but not the secret.
     */
    secretResponse?: boolean
  }
  interface FastifyRequest {
    /** Set while this request holds an Idempotency-Key claim. */
    idempotencyClaim: { callerKeyId: string, key: string } | null
  }
}

export interface IdempotencyOptions {
  /** How long a finished request's response is kept for replay (at least 24 h). */
  retentionMs?: number
  /** How long a claim of a request still running blocks others before it is presumed lost. */
  inFlightMs?: number
}

const IDEMPOTENCY_HEADER = 'idempotency-key'
const REPLAYED_HEADER = 'idempotent-replayed'
// Headers worth replaying; the rest (date, request id, rate limits) belong to the new response.
const KEPT_HEADERS = ['content-type', 'etag', 'location']

const KeyHeader = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '^[\\x21-\\x7E]+$',
  description: 'Client-chosen unique key (visible ASCII, up to 255 characters). Retrying with the same key and body replays the first response instead of acting twice; kept at least 24 hours.'
})

/** Same method, URL and JSON body (whatever the order of its fields) means the same request. */
function requestHash (method: string, url: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${url}\n${stableStringify(body ?? null)}`).digest('hex')
}

/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) for every route with
 * `config.idempotent`. The first request claims the key; a retry with the same key and body
 * replays the stored 2xx response; another body is 422; a retry while the first still runs is
 * 409. Responses other than 2xx release the key: nothing changed, so the client may retry.
 *
 * The request's transaction is held (db/unit-of-work.ts) and the stored response is written in
 * it: the change and its record commit together or not at all. A client whose answer was lost
 * after the commit (a 503 because the connection died, a dropped HTTP connection) gets the
 * committed answer when it retries with the key, never a second change.
 */
export default fp<IdempotencyOptions>(async function idempotency (app, options) {
  const retentionMs = Math.max(options.retentionMs ?? 24 * 3600_000, 24 * 3600_000)
  const inFlightMs = options.inFlightMs ?? 120_000

  app.decorateRequest('idempotencyClaim', null)

  app.addHook('onRoute', (route) => {
    if (route.config?.idempotent !== true || route.schema === undefined) return
    const headers = (route.schema.headers ?? Type.Object({})) as ReturnType<typeof Type.Object>
    route.schema.headers = Type.Object({ ...headers.properties, [IDEMPOTENCY_HEADER]: Type.Optional(KeyHeader) })
    route.schema.response = {
      409: problemResponse('Conflicts with the current state, or the same Idempotency-Key is still being processed'),
      422: problemResponse('Breaks a business rule, or the Idempotency-Key was used with another request'),
      ...(route.schema.response as object | undefined)
    }
  })

  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config.idempotent !== true) return
    const key = request.headers[IDEMPOTENCY_HEADER]
    if (typeof key !== 'string' || request.actor === null) return
    const callerKeyId = request.actor.keyId
    if (callerKeyId === null) return
    const hash = requestHash(request.method, request.url, request.body)

    // Claim the key, or take over a claim whose request died without finishing.
    const claimed = await app.db.insert(idempotencyKeys).values({
      callerKeyId,
      key,
      requestHash: hash,
      state: 'in_flight',
      lockedUntil: sql`now() + ${`${inFlightMs} milliseconds`}::interval`,
      expiresAt: sql`now() + ${`${retentionMs} milliseconds`}::interval`
    }).onConflictDoUpdate({
      target: [idempotencyKeys.callerKeyId, idempotencyKeys.key],
      set: {
        requestHash: hash,
        lockedUntil: sql`now() + ${`${inFlightMs} milliseconds`}::interval`,
        expiresAt: sql`now() + ${`${retentionMs} milliseconds`}::interval`
      },
      setWhere: sql`(${idempotencyKeys.state} = 'in_flight' and ${idempotencyKeys.lockedUntil} < now()) or ${idempotencyKeys.expiresAt} < now()`
    }).returning({ key: idempotencyKeys.key })
    if (claimed.length === 1) {
      request.idempotencyClaim = { callerKeyId, key }
      holdTransaction(app.database.db)
      return
    }

    const [existing] = await app.db.select().from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.callerKeyId, callerKeyId), eq(idempotencyKeys.key, key)))
    if (existing === undefined) {
      // Released between our insert and read: the caller may simply retry.
      throw new AppError('idempotency_key_in_flight', 'A request with this Idempotency-Key just finished; retry it', {}, { 'retry-after': '1' })
    }
    if (existing.requestHash !== hash) {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used for a different request; use a new key for a new request')
    }
    if (existing.state === 'in_flight') {
      throw new AppError('idempotency_key_in_flight', 'A request with this Idempotency-Key is still being processed; retry shortly', {}, { 'retry-after': '1' })
    }
    if (existing.responseBody === null) {
      const location = existing.responseHeaders?.location
      throw new AppError('conflict', `This request already succeeded${location === undefined ? '' : ` (${location})`}; its response held a secret shown only once, so it cannot be replayed. Revoke what was made and make another if the secret was lost.`, {
        rule: 'idempotent_secret_not_replayed',
        ...(location === undefined ? {} : { location })
      })
    }
    reply.code(existing.responseStatus ?? 200)
    for (const [name, value] of Object.entries(existing.responseHeaders ?? {})) reply.header(name, value)
    reply.header(REPLAYED_HEADER, 'true')
    return reply.send(existing.responseBody ?? '')
  })

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyClaim
    if (claim === null || claim === undefined) return payload
    request.idempotencyClaim = null
    const root = app.database.db
    const where = and(eq(idempotencyKeys.callerKeyId, claim.callerKeyId), eq(idempotencyKeys.key, claim.key))
    // Only a claim still in flight is released: a committed answer stays, to be replayed.
    const release = async (): Promise<void> => {
      await root.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.state, 'in_flight')))
    }
    const warn = (error: unknown): void => {
      request.log.warn({ err: { message: (error as Error).message } }, 'could not release the Idempotency-Key')
    }
    const succeeded = reply.statusCode >= 200 && reply.statusCode < 300
    const record = succeeded && (typeof payload === 'string' || payload === null || payload === undefined)
      ? {
          state: 'done' as const,
          responseStatus: reply.statusCode,
          responseHeaders: Object.fromEntries(KEPT_HEADERS.flatMap((name) => {
            const value = reply.getHeader(name)
            return value === undefined ? [] : [[name, String(value)]]
          })) as Record<string, string>,
          responseBody: request.routeOptions.config.secretResponse === true ? null : payload ?? ''
        }
      : undefined

    const held = heldTransaction()
    if (held?.tx !== undefined) {
      // The request changed something: its answer's record commits with the change.
      if (!succeeded) {
        await held.rollback()
        await release().catch(warn)
        return payload
      }
      try {
        await held.commit(async (tx) => {
          if (record !== undefined) await tx.update(idempotencyKeys).set(record).where(where)
        })
      } catch (error) {
        // Not committed, or not known to be: answered as a failed write. A retry replays the
        // answer if it did commit, and acts afresh if it did not.
        await release().catch(() => {})
        throw error
      }
      if (record === undefined) await release().catch(() => {})
      return payload
    }

    try {
      if (record !== undefined) await root.update(idempotencyKeys).set(record).where(where)
      else await release()
    } catch (error) {
      // The change itself is committed (or refused): answer it. The claim lapses after
      // inFlightMs, and the database's own constraints refuse a duplicate on retry.
      request.log.warn({ err: { message: (error as Error).message } }, 'could not record the Idempotency-Key outcome')
    }
    return payload
  })

  // Keys past retention are removed hourly; nothing depends on the timing.
  const sweep = setInterval(() => {
    app.db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, sql`now()`))
      .catch((error: unknown) => { app.log.warn({ err: { message: (error as Error).message } }, 'idempotency sweep failed') })
  }, 3600_000)
  sweep.unref()
  app.addHook('onClose', async () => { clearInterval(sweep) })
  // A request that ended without its answer passing onSend leaves nothing open.
  app.addHook('onResponse', async () => { await heldTransaction()?.rollback() })
}, { name: 'idempotency', dependencies: ['database', 'auth'] })
