// A connection reset under a query (issue 10). When the server's side of a connection goes away
// with a TCP reset, the client's socket reports an error first and closes a moment later. A
// statement issued in between (a transaction's ROLLBACK after its failed statement, or a pooled
// query in the failed query's catch) used to be queued on the dead connection and never
// settled; after the reconnect, the next caller's answers were handed to that stale statement:
// the caller waited forever, or got another statement's rows (a valid API key answered 401 in
// test/faults/database-faults.test.ts). postgres.js is patched for it (patches/). Needs a
// Postgres server: skipped, saying why, on PGlite.
import t, { type Test } from 'tap'
import postgres from 'postgres'
import { openDatabase, rowsOf, sql, type DatabaseHandle } from '../../src/db/open.js'
import { classifyDatabaseError } from '../../src/db/errors.js'
import { inTransaction } from '../../src/db/transaction.js'
import { createTestDatabase, onServer } from '../helpers/database.js'
import { HANG_BOUND_MS, waitFor } from '../helpers/faults.js'
import { serverAddressOf, startTcpProxy, urlThroughProxy, type TcpProxy } from '../helpers/tcp-proxy.js'

const serverOnly = onServer() ? false : 'resetting a connection needs a Postgres server: runs on the server pass (DATABASE_URL)'
const rounds = 10

interface Rig { handle: DatabaseHandle, proxy: TcpProxy, outside: postgres.Sql, applicationName: string }

/** The service's database client (one connection, so every statement reuses it) through a proxy the test can reset. */
async function rig (t: Test): Promise<Rig> {
  const database = await createTestDatabase()
  const proxy = await startTcpProxy(serverAddressOf(database.url!))
  const applicationName = `${new URL(database.url!).pathname.slice(1)}_reset`
  const handle = await openDatabase({ url: urlThroughProxy(database.url!, proxy), poolMax: 1, connectTimeoutS: 5, applicationName })
  const outside = postgres(database.url!, { max: 1, onnotice: () => {} })
  t.teardown(async () => {
    await handle.close()
    await outside.end({ timeout: 5 })
    await proxy.close()
    await database.handle.close()
    await database.dispose()
  })
  return { handle, proxy, outside, applicationName }
}

/** Settles within the hang bound, or says it hung. */
async function bounded<T> (work: Promise<T>): Promise<{ value?: T, error?: unknown, hung: boolean }> {
  let timer: NodeJS.Timeout | undefined
  const bound = new Promise<'hung'>((resolve) => { timer = setTimeout(() => resolve('hung'), HANG_BOUND_MS) })
  try {
    const outcome = await Promise.race([work.then((value) => ({ value, hung: false }), (error: unknown) => ({ error, hung: false })), bound])
    return outcome === 'hung' ? { hung: true } : outcome
  } finally {
    clearTimeout(timer)
  }
}

/** Waits until the rig's connection is running a statement, then resets it. */
async function resetWhileActive (r: Rig): Promise<void> {
  await waitFor('the statement to be running on the server', async () => {
    const [row] = await r.outside<Array<{ n: number }>>`select count(*)::int as n from pg_stat_activity
      where application_name = ${r.applicationName} and state = 'active' and query like '%pg_sleep%'`
    return row!.n > 0 ? true : undefined
  })
  r.proxy.reset()
}

/** Asks for `n`; anything but exactly one row holding `n` is an answer meant for another statement. */
async function one (handle: DatabaseHandle, n: number): Promise<number> {
  const rows = rowsOf<{ n: number } | undefined>(await handle.db.execute(sql`select ${n}::int as n`))
  if (rows.length !== 1 || rows[0]?.n !== n) throw new WrongAnswer(`asked ${n}, got ${JSON.stringify(rows)}`)
  return n
}

class WrongAnswer extends Error {}

t.test('a statement issued between the socket error and its close fails at once, and the next statements get their own answers', { skip: serverOnly }, async (t) => {
  const r = await rig(t)
  const outcomes: string[] = []
  for (let round = 1; round <= rounds; round++) {
    // The failed statement's handler issues another at once, as a service's error path does.
    let followUp: Promise<number> | undefined
    const sleeping = r.handle.db.execute(sql`select pg_sleep(5)`).catch(() => { followUp = one(r.handle, -1); throw new Error('reset') })
    await resetWhileActive(r)
    await sleeping.catch(() => {})
    const follow = await bounded(followUp!)
    const next = await bounded(one(r.handle, round))
    outcomes.push(`${follow.hung ? 'hung' : follow.error === undefined ? `answered ${String(follow.value)}` : 'failed'} / ${next.hung ? 'hung' : next.error === undefined ? `answered ${String(next.value)}` : 'failed'}`)
    if (follow.hung || next.hung) break
  }
  t.same(outcomes.filter((o) => /hung/.test(o)), [], 'no statement hung')
  t.same(outcomes.filter((o) => !/^(failed|answered -1) \/ answered \d+$/.test(o)), [], 'the follow-up failed or answered itself')
  t.same(outcomes.map((o) => o.split(' / ')[1]), Array.from({ length: rounds }, (_, i) => `answered ${i + 1}`), 'every later statement got its own answer')
  t.comment(`connection resets: ${outcomes.length} rounds (${outcomes.join('; ')})`)
})

t.test('a backend terminated while its rows are arriving: the next statement gets its own rows, not a slot left by the lost ones', { skip: serverOnly }, async (t) => {
  // The first row is large enough to be sent at once; the second waits. The row counter of the
  // lost result used to carry over, so the next answer's first row landed in its second slot.
  const r = await rig(t)
  const outcomes: string[] = []
  for (let round = 1; round <= rounds; round++) {
    // bounded() starts it: drizzle's query runs when first awaited.
    const lost = bounded(r.handle.db.execute(sql`select g, case when g = 1 then repeat('x', 65536) end as pad,
      pg_sleep(case when g = 2 then 5 else 0 end) from generate_series(1, 3) g`))
    await waitFor('the second row to be waiting', async () => {
      const [row] = await r.outside<Array<{ n: number }>>`select count(*)::int as n from pg_stat_activity
        where application_name = ${r.applicationName} and state = 'active' and wait_event = 'PgSleep'`
      return row!.n > 0 ? true : undefined
    })
    await r.outside`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${r.applicationName}`
    const failed = await lost
    const next = await bounded(one(r.handle, round))
    outcomes.push(`${failed.hung ? 'hung' : failed.error === undefined ? 'answered' : 'failed'} / ${next.hung ? 'hung' : next.error === undefined ? `answered ${String(next.value)}` : (next.error as Error).message}`)
    if (failed.hung || next.hung) break
  }
  t.same(outcomes, Array.from({ length: rounds }, (_, i) => `failed / answered ${i + 1}`), 'the lost statement failed; the next one got exactly its own row')
  t.comment(`terminated mid-result: ${outcomes.length} rounds`)
})

t.test('a transaction whose connection is reset: its ROLLBACK is never left queued for the next caller', { skip: serverOnly }, async (t) => {
  const r = await rig(t)
  const outcomes: string[] = []
  for (let round = 1; round <= rounds; round++) {
    const transaction = inTransaction(r.handle.db, async (tx) => { await tx.execute(sql`select pg_sleep(5)`) })
    await resetWhileActive(r)
    const failed = await bounded(transaction)
    const next = await bounded(one(r.handle, round))
    const inTx = await bounded(inTransaction(r.handle.db, async (tx) => rowsOf<{ n: number }>(await tx.execute(sql`select ${round * 100}::int as n`))[0]!.n))
    outcomes.push([failed.hung ? 'hung' : failed.error === undefined ? 'committed' : 'failed',
      next.hung ? 'hung' : next.error === undefined ? `answered ${String(next.value)}` : 'failed',
      inTx.hung ? 'hung' : inTx.error === undefined ? `answered ${String(inTx.value)}` : 'failed'].join(' / '))
    if (failed.hung || next.hung || inTx.hung) break
  }
  t.same(outcomes.filter((o) => /hung/.test(o)), [], 'nothing hung')
  t.same(outcomes, Array.from({ length: rounds }, (_, i) => `failed / answered ${i + 1} / answered ${(i + 1) * 100}`),
    'the reset transaction failed; the next statement and the next transaction got their own answers')
  t.comment(`transactions reset: ${outcomes.length} rounds`)
})

t.test('any interleaving of statements, transactions and resets: every statement settles, and only with its own answer', { skip: serverOnly }, async (t) => {
  // The class of fault above: an answer handed to the wrong statement, or none at all. Each
  // statement asks for a number only it knows; 8 callers over 2 connections; at random moments
  // the connections are reset (the socket errors) or their backends terminated (the server
  // sends an error, then closes); a failed statement is followed at once by another, as a
  // service's error path does.
  const database = await createTestDatabase()
  const proxy = await startTcpProxy(serverAddressOf(database.url!))
  const handle = await openDatabase({ url: urlThroughProxy(database.url!, proxy), poolMax: 2, connectTimeoutS: 5, applicationName: 'reset_mix' })
  const outside = postgres(database.url!, { max: 1, onnotice: () => {} })
  t.teardown(async () => { await handle.close(); await outside.end({ timeout: 5 }); await proxy.close(); await database.handle.close(); await database.dispose() })
  const seed = Number(process.env.FUZZ_SEED ?? 20261202)
  let state = seed
  const random = (): number => { state = (state * 1_103_515_245 + 12_345) % 2 ** 31; return state / 2 ** 31 }
  let next = 0
  const wrong: string[] = []
  const otherErrors: string[] = []
  let hung = 0
  let answered = 0
  let failed = 0
  const check = (asked: number, rows: Array<{ n: number } | undefined>): void => {
    if (rows.length !== 1 || rows[0]?.n !== asked) wrong.push(`asked ${asked}, got ${JSON.stringify(rows)}`)
  }
  const operation = async (): Promise<void> => {
    const kind = random()
    const ns = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ++next)
    const work: Promise<unknown> = kind < 0.5
      ? Promise.all(ns.map(async (n) => {
        try {
          // No parameters: the statement is pipelined on a busy connection, as most reads are.
          check(n, rowsOf(await handle.db.execute(sql.raw(`select ${n}::int as n, pg_sleep(${(random() / 50).toFixed(4)})`))))
        } catch (error) {
          const again = ++next
          check(again, rowsOf(await handle.db.execute(sql`select ${again}::int as n`)))
          throw error
        }
      }))
      : inTransaction(handle.db, async (tx) => {
        for (const n of ns) check(n, rowsOf(await tx.execute(sql`select ${n}::int as n, pg_sleep(${random() / 50})`)))
      }, { attempts: 1 })
    const outcome = await bounded(work)
    if (outcome.hung) hung++
    else if (outcome.error === undefined) answered++
    else {
      failed++
      // A lost connection is the only acceptable failure here.
      if (classifyDatabaseError(outcome.error)?.kind !== 'unavailable') otherErrors.push(String((outcome.error as Error).message).slice(0, 120))
    }
  }
  const load = { running: true }
  let resets = 0
  let terminations = 0
  const resetter = (async () => {
    while (load.running) {
      await new Promise((resolve) => setTimeout(resolve, 5 + random() * 40))
      if (!load.running) break
      if (random() < 0.5) resets += proxy.reset() > 0 ? 1 : 0
      else terminations += (await outside`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'reset_mix'`).length > 0 ? 1 : 0
    }
  })()
  await Promise.all(Array.from({ length: 8 }, async () => { for (let i = 0; i < 40; i++) await operation() }))
  load.running = false
  await resetter
  t.equal(hung, 0, 'no operation hung')
  t.same(wrong, [], 'no statement got another statement\'s answer')
  t.same(otherErrors, [], 'every failure was the lost connection, never a mangled answer')
  t.ok(resets >= 10 && terminations >= 10 && failed > 0 && answered > 0,
    `faults reached statements in flight (${resets} resets, ${terminations} terminations, ${failed} operations failed, ${answered} answered)`)
  // A termination sent just before the load ended may still be arriving: the pool answers once
  // it has, with the right answer and never another's.
  const recovered = await waitFor('the pool to answer again', async () => one(handle, 7).catch((error: unknown) => {
    if (classifyDatabaseError(error)?.kind === 'unavailable') return undefined
    throw error
  }), HANG_BOUND_MS)
  t.equal(recovered, 7, 'the pool answers correctly afterwards')
  t.comment(`reset mix: seed ${seed}, ${next} statements in 320 operations (${answered} answered, ${failed} failed, ${hung} hung), ${resets} resets, ${terminations} terminations, wrong answers ${wrong.length}`)
})
