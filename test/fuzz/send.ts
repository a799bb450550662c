import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import type { Role } from '../../src/domain/actor.js'
import type { Harness } from '../helpers/app.js'
import { badIfMatch, RawJson } from './bad-values.js'
import type { Operation } from './operations.js'
import { forgeCursor } from './cursors.js'
import { CursorRef, ForgedCursorRef, type Recipe } from './recipes.js'
import { MemberTeamRef, PoolRef, type Schema } from './schema-values.js'
import { kinds, type FuzzWorld, type Kind } from './world.js'

const NO_ID = '00000000-0000-4000-8000-000000000000'

/** The states an action can succeed from: ids in them are preferred (7 times in 10). */
const preferredStates: Record<string, string[]> = {
  'POST submit': ['draft', 'rejected'],
  'POST withdraw': ['submitted'],
  'POST approve': ['submitted'],
  'POST reject': ['submitted'],
  'POST corrections': ['approved', 'exported'],
  'PATCH {id}': ['draft', 'rejected'],
  'DELETE {id}': ['draft'],
  'POST close': ['open'],
  'POST reopen': ['closed'],
  'POST exports': ['closed']
}

/** The request as sent, for reports (the Authorization value is never kept). */
export interface SentRequest {
  method: string
  url: string
  headers: Record<string, string>
  payload: string | undefined
  remoteAddress: string
  /** The role of the key sent, or which bad credential. */
  credential: string
}

export interface Exchange {
  request: SentRequest
  response: LightMyRequestResponse
  resourceId: string | undefined
  /** What was injected, credentials included: to send the very same request again. */
  options: InjectOptions & { headers: Record<string, string> }
}

function pickId (world: FuzzWorld, ref: PoolRef, op: Operation | undefined): string {
  const kind: Kind = ref.kind === 'any' ? kinds[ref.pick % kinds.length]! : ref.kind
  let pool = world.pools[kind]
  if (op !== undefined && op.method !== 'GET') {
    // The ids the credentials act as are read, never changed: the run would lose its keys.
    pool = pool.filter((id) => !world.protectedIds.has(id))
    const preferred = preferredStates[`${op.method} ${op.path.split('/').pop()}`]
    if (preferred !== undefined && ref.pick % 10 < 7) {
      const candidates = pool.filter((id) => preferred.includes(world.states.get(id) ?? ''))
      if (candidates.length > 0) pool = candidates
    }
  }
  if (pool.length === 0) return NO_ID
  return pool[Math.floor(ref.pick / 10) % pool.length]!
}

/** Replaces references with real ids and cursors, as the world stands now (undefined: leave out). */
function resolveValue (value: unknown, world: FuzzWorld, op: Operation, path: string | undefined): unknown {
  if (value instanceof PoolRef) return pickId(world, value, path === 'id' ? op : undefined)
  if (value instanceof CursorRef) {
    const cursors = world.cursors.get(op.path) ?? []
    return cursors.length === 0 ? undefined : cursors[value.pick % cursors.length]
  }
  if (value instanceof ForgedCursorRef) {
    // Two times in three one of this list's cursors, else any list's (another shape of key).
    const own = world.cursors.get(op.path) ?? []
    const cursors = own.length > 0 && value.pick % 3 !== 0 ? own : [...world.cursors.values()].flat()
    return cursors.length === 0 ? undefined : forgeCursor(cursors[Math.floor(value.pick / 3) % cursors.length]!, value.forgery)
  }
  if (value instanceof RawJson) return value
  if (Array.isArray(value)) {
    const items = value.map((item) => resolveValue(item, world, op, undefined))
    // Lists of ids are sets (teamIds, managerIds): two picks of one id would just be refused.
    return value.some((item) => item instanceof PoolRef) && items.every((item) => typeof item === 'string') ? [...new Set(items)] : items
  }
  if (typeof value === 'object' && value !== null) {
    const resolved: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      if (!(item instanceof MemberTeamRef)) resolved[key] = resolveValue(item, world, op, undefined)
    }
    for (const [key, item] of Object.entries(value)) {
      if (!(item instanceof MemberTeamRef)) continue
      const workerId = typeof resolved.workerId === 'string' ? resolved.workerId : world.credentials.worker.personId ?? ''
      const teams = world.teamsOf.get(workerId) ?? world.pools.team
      resolved[key] = teams.length === 0 ? undefined : teams[item.pick % teams.length]
    }
    return Object.fromEntries(Object.entries(resolved).filter(([, item]) => item !== undefined))
  }
  return value
}

const asText = (value: unknown): string => typeof value === 'string' ? value : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)

function encodePathValue (value: unknown): string {
  const text = asText(value)
  try {
    return encodeURIComponent(text)
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'))
  }
}

/** Header values as an HTTP client could send them (no characters outside latin-1). */
const sendable = (value: string): string => value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?')

function authorizationOf (recipe: Recipe, world: FuzzWorld): { authorization?: string, remoteAddress: string, credential: string } {
  const { credential } = recipe
  if ('role' in credential) {
    // Seven times in ten, a role the route is known to refuse is swapped for one it takes.
    const allowed = world.allowedRoles.get(recipe.op.id)
    const role = allowed !== undefined && allowed.length > 0 && !allowed.includes(credential.role) && credential.dice < 70
      ? allowed[credential.dice % allowed.length]!
      : credential.role
    return { authorization: world.credentials[role].headers.authorization, remoteAddress: '127.0.0.1', credential: role }
  }
  const admin = world.credentials.admin.secret
  const remoteAddress = `10.9.${credential.address}.1`
  const values: Record<typeof credential.invalid, string | undefined> = {
    none: undefined,
    'empty bearer': 'Bearer ',
    'unknown key': `Bearer sp_${'q'.repeat(43)}`,
    'revoked key': `Bearer ${world.revokedSecret}`,
    'basic scheme': `Basic ${Buffer.from(`admin:${admin}`).toString('base64')}`,
    'truncated key': `Bearer ${admin.slice(0, -1)}`,
    'key with suffix': `Bearer ${admin}x`,
    'two keys': `Bearer ${admin}, Bearer ${world.credentials.finance.secret}`,
    huge: `Bearer ${'a'.repeat(20_000)}`,
    'no scheme': admin
  }
  const authorization = values[credential.invalid]
  return { ...(authorization === undefined ? {} : { authorization }), remoteAddress, credential: `bad: ${credential.invalid}` }
}

/** Fills in a recipe from the world and sends it through the app. */
export async function send (h: Harness, world: FuzzWorld, recipe: Recipe, sharedKeyPrefix: string): Promise<Exchange> {
  const { op } = recipe
  const pathValues = Object.fromEntries(Object.entries(recipe.path).map(([name, value]) => [name, resolveValue(value, world, op, name)]))
  const url = op.path.replace(/\{(\w+)\}/g, (_match, name: string) => encodePathValue(pathValues[name]))
  const resourceId = typeof pathValues.id === 'string' ? pathValues.id : undefined

  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(resolveValue(recipe.query, world, op, undefined) as Record<string, unknown>)) {
    if (Array.isArray(value)) for (const item of value) search.append(name, asText(item))
    else search.append(name, asText(value))
  }
  const query = search.toString()

  const { authorization, remoteAddress, credential } = authorizationOf(recipe, world)
  const headers: Record<string, string> = {}
  if (authorization !== undefined) headers.authorization = authorization
  let payload: string | undefined
  if (recipe.body !== undefined) {
    const value = resolveValue(recipe.body.value, world, op, undefined)
    payload = value instanceof RawJson ? value.text : JSON.stringify(value)
    const contentType = recipe.contentType ?? 'application/json'
    if (contentType !== '') headers['content-type'] = contentType
  }
  const { idempotency, ifMatch } = recipe
  if (idempotency.kind === 'fresh' || idempotency.kind === 'bad') headers['idempotency-key'] = idempotency.key
  if (idempotency.kind === 'shared') headers['idempotency-key'] = `${sharedKeyPrefix}-${idempotency.index}`
  const id = resourceId ?? NO_ID
  const current = world.etags.get(id) ?? `"${id}:1"`
  if (ifMatch.kind === 'current') headers['if-match'] = current
  if (ifMatch.kind === 'stale') headers['if-match'] = current.replace(/:(\d+)"$/, (_m, v: string) => `:${Math.max(0, Number(v) - 1)}"`)
  if (ifMatch.kind === 'unquoted') headers['if-match'] = current.replace(/^"(.*)"$/, '$1')
  if (ifMatch.kind === 'bad') { const bad = badIfMatch(id); headers['if-match'] = bad[ifMatch.index % bad.length]! }
  if (ifMatch.kind === 'other resource') headers['if-match'] = world.etags.get(pickId(world, new PoolRef('any', ifMatch.pick), undefined)) ?? `"${NO_ID}:1"`
  Object.assign(headers, recipe.headers)
  for (const [name, value] of Object.entries(headers)) headers[name] = sendable(value)

  const fullUrl = query === '' ? url : `${url}?${query}`
  const options = { method: op.method, url: fullUrl, headers, remoteAddress, ...(payload === undefined ? {} : { payload }) }
  const response = await h.app.inject(options)
  const { authorization: _hidden, ...shown } = headers
  return {
    request: { method: op.method, url: fullUrl, headers: { ...shown, ...(authorization === undefined ? {} : { authorization: '(hidden)' }) }, payload, remoteAddress, credential },
    response,
    resourceId,
    options
  }
}

/** The kind of resource a response schema describes, from its component name. */
const kindOfComponent: Record<string, Kind> = {
  ApiKey: 'apiKey',
  CreatedApiKey: 'apiKey',
  Person: 'person',
  Worker: 'worker',
  Team: 'team',
  ActivityType: 'activity',
  Rate: 'rate',
  CreatedRate: 'rate',
  Entry: 'entry',
  EntryWithWarnings: 'entry',
  PaySchedule: 'schedule',
  PayPeriod: 'period',
  ExportSummary: 'export'
}
const componentOf = (schema: Schema | undefined): string | undefined => schema?.$ref?.split('/').pop()

/** Learns from a successful answer: new ids, current ETags and states, cursors, new secrets. */
export function learn (world: FuzzWorld, op: Operation, exchange: Exchange, schema: Schema | undefined): void {
  const { response, resourceId } = exchange
  if (response.statusCode === 403) {
    // The auth hook names the roles a route takes; other 403s are about scope, not role.
    const roles = /needs one of the roles: ([a-z, ]+)$/.exec(String((response.json() as { detail?: unknown }).detail ?? ''))?.[1]
    if (roles !== undefined) world.allowedRoles.set(op.id, roles.split(', ') as Role[])
    return
  }
  if (response.statusCode === 204 && resourceId !== undefined) world.states.set(resourceId, 'deleted')
  if (!/json/.test(String(response.headers['content-type'] ?? '')) || response.body === '') return
  const body = response.json() as Record<string, unknown>
  if (typeof body !== 'object' || body === null) return
  const remember = (item: Record<string, unknown>, kind: Kind | undefined) => {
    if (typeof item.id !== 'string') return
    if (kind !== undefined && !world.pools[kind].includes(item.id)) world.pools[kind].push(item.id)
    if (typeof item.state === 'string') world.states.set(item.id, item.state)
    if (kind === 'worker' && Array.isArray(item.teamIds)) world.teamsOf.set(item.id, item.teamIds as string[])
    if (typeof item.version === 'number' && kind !== undefined && kind !== 'export') world.etags.set(item.id, `"${item.id}:${item.version}"`)
  }
  const single = componentOf(schema)
  if (single !== undefined) remember(body, kindOfComponent[single])
  const listed = componentOf(schema?.properties?.items?.items)
  if (listed !== undefined && Array.isArray(body.items)) for (const item of body.items) remember(item as Record<string, unknown>, kindOfComponent[listed])
  if (typeof response.headers.etag === 'string' && typeof body.id === 'string' && single !== 'ExportSummary') world.etags.set(body.id, response.headers.etag)
  if (typeof body.nextCursor === 'string') {
    const cursors = world.cursors.get(op.path) ?? []
    if (cursors.length < 20) cursors.push(body.nextCursor)
    world.cursors.set(op.path, cursors)
  }
  if (typeof body.secret === 'string') world.secrets.push(body.secret)
}
