import t from 'tap'
import { build } from '../helpers/app.js'

const h = await build(t)
const admin = await h.key('admin')
const headers = admin.headers

t.test('teams carry a cost centre and their managers; managers read the teams they manage', async (t) => {
  const mo = await h.person('Mo')
  const created = await h.app.inject({ method: 'POST', url: '/teams', headers, payload: { name: 'Youth Voice', costCentre: 'YV01', managerIds: [mo.id] } })
  t.equal(created.statusCode, 201)
  t.match(created.json(), { name: 'Youth Voice', costCentre: 'YV01', managerIds: [mo.id], active: true, version: 1 })
  const duplicate = await h.app.inject({ method: 'POST', url: '/teams', headers, payload: { name: 'Youth Voice', costCentre: 'YV02' } })
  t.match(duplicate.json(), { status: 409, detail: 'A team with this name already exists' })
  const unknown = await h.app.inject({ method: 'POST', url: '/teams', headers, payload: { name: 'Ghosts', costCentre: 'G', managerIds: ['00000000-0000-4000-8000-000000000000'] } })
  t.match(unknown.json(), { status: 422, rule: 'unknown_person' })

  const moKey = await h.key('manager', { personId: mo.id })
  const mine = await h.app.inject({ method: 'GET', url: '/teams', headers: moKey.headers })
  t.same(mine.json().items.map((team: { id: string }) => team.id), [created.json().id], 'a manager lists only their own teams')

  const other = await h.person('Pat')
  const changed = await h.app.inject({ method: 'PATCH', url: `/teams/${created.json().id}`, headers: { ...headers, 'if-match': created.headers.etag as string }, payload: { managerIds: [other.id], costCentre: 'YV09' } })
  t.match(changed.json(), { managerIds: [other.id], costCentre: 'YV09', version: 2 })
  const gone = await h.app.inject({ method: 'GET', url: `/teams/${created.json().id}`, headers: moKey.headers })
  t.equal(gone.statusCode, 404, 'a former manager no longer sees the team')
})

t.test('activity types: code and unit are fixed, the rest can change', async (t) => {
  const created = await h.app.inject({ method: 'POST', url: '/activity-types', headers, payload: { code: 'PEER_SUPPORT', name: 'Peer support', payElementCode: 'SESS01', unit: 'hour' } })
  t.equal(created.statusCode, 201)
  const dup = await h.app.inject({ method: 'POST', url: '/activity-types', headers, payload: { code: 'PEER_SUPPORT', name: 'Again', payElementCode: 'X', unit: 'session' } })
  t.match(dup.json(), { status: 409, detail: 'An activity type with this code already exists' })
  const id = created.json().id
  const recode = await h.app.inject({ method: 'PATCH', url: `/activity-types/${id}`, headers: { ...headers, 'if-match': created.headers.etag as string }, payload: { unit: 'session' } })
  t.equal(recode.statusCode, 400, 'the unit cannot change')
  const renamed = await h.app.inject({ method: 'PATCH', url: `/activity-types/${id}`, headers: { ...headers, 'if-match': created.headers.etag as string }, payload: { payElementCode: 'SESS02', active: false } })
  t.match(renamed.json(), { code: 'PEER_SUPPORT', unit: 'hour', payElementCode: 'SESS02', active: false, version: 2 })
  const worker = await h.key('worker')
  const read = await h.app.inject({ method: 'GET', url: '/activity-types?active=false', headers: worker.headers })
  t.ok(read.json().items.some((a: { id: string }) => a.id === id), 'every role reads activity types')
})

t.test('statutory figures are seeded from README "UK rules" and an admin adds next year', async (t) => {
  const worker = await h.key('worker')
  const seeded = await h.app.inject({ method: 'GET', url: '/statutory/minimum-wage-rates', headers: worker.headers })
  t.match(seeded.json().items, [
    { effectiveFrom: '2024-04-01', age21AndOverPence: 1144, age18To20Pence: 860, age16To17Pence: 640, apprenticePence: 640 },
    { effectiveFrom: '2025-04-01', age21AndOverPence: 1221, age18To20Pence: 1000, age16To17Pence: 755, apprenticePence: 755 },
    { effectiveFrom: '2026-04-01', age21AndOverPence: 1271, age18To20Pence: 1085, age16To17Pence: 800, apprenticePence: 800 }
  ])
  const thresholds = await h.app.inject({ method: 'GET', url: '/statutory/benefit-thresholds', headers: worker.headers })
  const sources = [...seeded.json().items, ...thresholds.json().items].map((row: { source: string }) => row.source)
  t.notOk(sources.some((source) => /\.md\b/.test(source)), 'no seeded source names a file outside the repository')
  t.match(thresholds.json().items, [
    { effectiveFrom: '2024-04-01', esaPermittedWorkWeeklyPence: 18350, esaPermittedWorkWeeklyHours: 16 },
    { effectiveFrom: '2025-04-01', esaPermittedWorkWeeklyPence: 19550, ucWorkAllowanceMonthlyPence: 41100 },
    { effectiveFrom: '2026-04-01', esaPermittedWorkWeeklyPence: 20350 }
  ])

  const next = { effectiveFrom: '2027-04-01', age21AndOverPence: 1320, age18To20Pence: 1150, age16To17Pence: 850, apprenticePence: 850, source: 'test figures' }
  t.equal((await h.app.inject({ method: 'POST', url: '/statutory/minimum-wage-rates', headers: worker.headers, payload: next })).statusCode, 403)
  t.equal((await h.app.inject({ method: 'POST', url: '/statutory/minimum-wage-rates', headers, payload: next })).statusCode, 201)
  const again = await h.app.inject({ method: 'POST', url: '/statutory/minimum-wage-rates', headers, payload: next })
  t.match(again.json(), { status: 409, detail: 'Minimum-wage figures from this date already exist' })
  const w = await h.worker({ dateOfBirth: '1980-01-01' })
  const floor = await h.app.inject({ method: 'GET', url: `/workers/${w.id}/minimum-wage?date=2027-04-01`, headers })
  t.match(floor.json(), { floorPencePerHour: 1320, effectiveFrom: '2027-04-01' }, 'the new figures apply from their date')
  const benefits = await h.app.inject({ method: 'POST', url: '/statutory/benefit-thresholds', headers, payload: { effectiveFrom: '2027-04-01', esaPermittedWorkWeeklyPence: 21000, esaPermittedWorkWeeklyHours: 16, ucWorkAllowanceMonthlyPence: 42000, source: 'test' } })
  t.equal(benefits.statusCode, 201)
})

t.test('people: admins add and rename; finance reads', async (t) => {
  const created = await h.app.inject({ method: 'POST', url: '/people', headers, payload: { displayName: 'Chris' } })
  t.equal(created.statusCode, 201)
  const finance = await h.key('finance')
  t.equal((await h.app.inject({ method: 'GET', url: `/people/${created.json().id}`, headers: finance.headers })).statusCode, 200)
  t.equal((await h.app.inject({ method: 'POST', url: '/people', headers: finance.headers, payload: { displayName: 'X' } })).statusCode, 403)
  const blank = await h.app.inject({ method: 'POST', url: '/people', headers, payload: { displayName: '   ' } })
  t.equal(blank.statusCode, 400, 'a blank name is refused')
  const list = await h.app.inject({ method: 'GET', url: '/people?active=true&limit=1', headers })
  t.equal(list.json().items.length, 1)
  t.type(list.json().nextCursor, 'string')
})
