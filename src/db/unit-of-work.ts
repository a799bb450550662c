import { AsyncLocalStorage } from 'node:async_hooks'
import type { Db, Tx } from './open.js'

/**
 * A request's unit of work, for requests whose answer must commit with their change: the first
 * transaction such a request opens stays open until the answer is ready, a last step (the
 * Idempotency-Key record holding that answer) runs in it, and only then does it commit. So a
 * change is never committed without its record: a client whose answer was lost (a 503 because
 * the connection died after the commit, a dropped HTTP connection) retries with the same key and
 * gets the committed answer replayed, instead of a refusal or a second change.
 *
 * While the unit is open, the request's database handle (`requestDb`) runs every statement in
 * it, so the request reads its own writes; each further transaction the request opens is a
 * savepoint inside it.
 */
export class HeldTransaction {
  #opening: Promise<Tx> | undefined
  #tx: Tx | undefined
  #last: ((step: ((tx: Tx) => Promise<void>) | undefined) => void) | undefined
  #done: Promise<void> | undefined

  constructor (private readonly root: Db) {}

  /** The open transaction, once the request's first write opened it. */
  get tx (): Tx | undefined { return this.#tx }

  /** Runs `work` inside the held transaction (opening it first), as a savepoint. */
  async run<T> (work: (tx: Tx) => Promise<T>): Promise<T> {
    const tx = await this.#open()
    return tx.transaction(work)
  }

  /**
   * Runs `step` in the transaction and commits. Rejects when the commit did not happen, or may
   * not have (the connection was lost): the caller must then answer as for any failed write.
   */
  async commit (step: (tx: Tx) => Promise<void>): Promise<void> {
    if (this.#done === undefined) return
    this.#last!(step)
    await this.#done
  }

  /** Rolls back whatever the request wrote (its answer is an error); never rejects. */
  async rollback (): Promise<void> {
    if (this.#done === undefined) return
    this.#last!(undefined)
    await this.#done.catch(() => {})
  }

  #open (): Promise<Tx> {
    if (this.#opening !== undefined) return this.#opening
    const last = new Promise<((tx: Tx) => Promise<void>) | undefined>((resolve) => { this.#last = resolve })
    this.#opening = new Promise<Tx>((resolve, reject) => {
      this.#done = this.root.transaction(async (tx) => {
        this.#tx = tx
        resolve(tx)
        const step = await last
        if (step === undefined) tx.rollback()
        else await step(tx)
      })
      this.#done.catch(reject)
    })
    return this.#opening
  }
}

interface RequestScope { held?: HeldTransaction }

const scopes = new AsyncLocalStorage<RequestScope>()
const requestHandles = new WeakSet<object>()

/** Runs `next` (the rest of a request) with a scope of its own. */
export function withRequestScope (next: () => void): void {
  scopes.run({}, next)
}

/** From now on in this request, the first transaction is held until `HeldTransaction.commit`. */
export function holdTransaction (root: Db): HeldTransaction {
  const scope = scopes.getStore()
  if (scope === undefined) throw new Error('holdTransaction outside a request scope')
  scope.held = new HeldTransaction(root)
  return scope.held
}

/** The held transaction of the current request, if it holds one. */
export function heldTransaction (): HeldTransaction | undefined {
  return scopes.getStore()?.held
}

/**
 * The handle routes give services: the database itself, or, inside a request whose
 * transaction is held and open, that transaction.
 */
export function requestDb (root: Db): Db {
  const handle = new Proxy(root, {
    get (target, property) {
      const actual: object = scopes.getStore()?.held?.tx ?? target
      const value: unknown = Reflect.get(actual, property, actual)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(actual) : value
    }
  })
  requestHandles.add(handle)
  return handle
}

/** The held transaction that a transaction opened on `db` joins, if any. */
export function heldFor (db: Db): HeldTransaction | undefined {
  return requestHandles.has(db) ? heldTransaction() : undefined
}
