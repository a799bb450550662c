import type { LightMyRequestResponse } from 'fastify'
import type { Harness, TestKey } from './app.js'

/** Calls for one key, returning parsed JSON and the ETag. */
export function client (h: Harness, key: TestKey) {
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) => {
    const res: LightMyRequestResponse = await h.app.inject({ method, url, headers: { ...key.headers, ...headers }, ...(payload === undefined ? {} : { payload }) })
    const json = /json/.test(String(res.headers['content-type'] ?? '')) && res.body !== ''
    return { status: res.statusCode, body: json ? res.json() : undefined, etag: res.headers.etag as string | undefined, res }
  }
  return {
    call,
    create: (body: object) => call('POST', '/entries', body),
    get: (id: string) => call('GET', `/entries/${id}`),
    /** A state change at the entry's current version (read first). */
    act: async (id: string, action: 'submit' | 'withdraw' | 'approve' | 'reject', body?: object) => {
      const current = await call('GET', `/entries/${id}`)
      return call('POST', `/entries/${id}/${action}`, body, { 'if-match': current.etag ?? `"${id}:1"` })
    },
    patch: async (id: string, body: object) => {
      const current = await call('GET', `/entries/${id}`)
      return call('PATCH', `/entries/${id}`, body, { 'if-match': current.etag ?? `"${id}:1"` })
    }
  }
}

/** A simple organisation: one team with a manager, an hourly activity at a default rate. */
export async function organisation (h: Harness, options: { ratePence?: number, unit?: 'hour' | 'session' } = {}) {
  const manager = await h.person('Manager')
  // A second manager of the team: whoever records or corrects on a worker's behalf cannot approve it.
  const checker = await h.person('Second manager')
  const team = await h.team({ managerIds: [manager.id, checker.id] })
  const activity = await h.activity({ unit: options.unit ?? 'hour' })
  const { createRate } = await import('../../src/modules/rates/service.js')
  await createRate(h.database.handle.db, h.ctx, { activityTypeId: activity.id, scope: 'default', pencePerUnit: options.ratePence ?? 1300, validFrom: '2024-04-01' })
  const managerKey = await h.key('manager', { personId: manager.id })
  const checkerKey = await h.key('manager', { personId: checker.id })
  return { manager, team, activity, managerKey, checkerKey }
}
